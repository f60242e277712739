/**
 * Live sampling and drawing:
 * - the sampler watching 20 processes at 10 Hz, as CPU time over wall time (goal: under 2% of
 *   one core), with the ratio to a do-nothing timer loop of the same cadence;
 * - the LTTB step alone in Node: the memory chart's 5 series x 36,000 points, 600 kept per series;
 * - a chart update at 36,000 points per series in Debian's Chromium (bench/chartPage): the LTTB
 *   step plus React and recharts committing the memory chart, with layout forced, against the
 *   same update drawing every point (goal: under 16 ms). Paint itself is not inside the figure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { Sampler } from '../src/core/sampler/sampler';
import { createLinuxSource } from '../src/core/sources/linux/linuxSource';
import { downsampleRows } from '../src/shared/lttb';
import type { SeriesRow } from '../src/shared/series';
import { DRAW_POINTS, MEMORY_LINES } from '../src/renderer/src/views/watch/seriesSpecs';
import { syntheticRows } from './chartPage/syntheticRows';
import { type Bench, type BenchFigure, medianMs } from './harness';

const PROCESSES = 20;
const INTERVAL_MS = 100;
const MEASURE_MS = 5000;
const POINTS = 36_000;
const CHROMIUM = process.env['VMSCOPE_CHROMIUM'] ?? '/usr/bin/chromium';

/** CPU percent of one core spent while `start()` runs for MEASURE_MS (after a 1 s warm-up). */
async function cpuPercent(start: () => () => void): Promise<number> {
  const stop = start();
  await new Promise((r) => setTimeout(r, 1000));
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  const used = process.cpuUsage(cpu);
  const elapsedUs = (performance.now() - wall) * 1000;
  stop();
  return ((used.user + used.system) / elapsedUs) * 100;
}

function samplingAll(pids: number[]): () => () => void {
  return () => {
    const sampler = new Sampler();
    const source = createLinuxSource();
    const stops = pids.map((pid) => sampler.watch(source, pid, INTERVAL_MS, () => {}));
    return () => stops.forEach((stop) => stop());
  };
}

function emptyTimers(): () => void {
  const timers = Array.from({ length: PROCESSES }, () => setInterval(() => {}, INTERVAL_MS));
  return () => timers.forEach(clearInterval);
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = join(dir, new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/$/, '/index.html'));
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

/** Median ms of a chart update in Chromium, downsampled and in full, measured alternately. */
async function chromiumUpdates(runs: number): Promise<{ downsampled: number; full: number; drawnRows: number }> {
  const outDir = mkdtempSync(join(tmpdir(), 'vmscope-chart-bench-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  let server: Server | null = null;
  try {
    await build({
      root: resolve('bench/chartPage'),
      base: './',
      logLevel: 'warn',
      plugins: [react()],
      build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
    });
    server = await serve(outDir);
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    // One page each: a chart that just drew 36,000 rows would slow the next small update.
    const pages = { true: await browser.newPage(), false: await browser.newPage() };
    for (const page of Object.values(pages)) await page.goto(url);
    const update = async (downsample: boolean): Promise<{ ms: number; drawnRows: number; pathChars: number }> => {
      const page = pages[`${downsample}`];
      const result = await page.evaluate((d) => window.measure(d), downsample);
      // Let the browser paint and the ResizeObserver settle before the next update.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      return result;
    };
    for (let i = 0; i < 3; i++) {
      await update(true);
      await update(false);
    }
    const times: { downsampled: number[]; full: number[] } = { downsampled: [], full: [] };
    let drawnRows = 0;
    for (let i = 0; i < runs; i++) {
      const small = await update(true);
      const large = await update(false);
      if (small.pathChars === 0 || large.pathChars === 0) throw new Error('the benchmark chart drew no line');
      times.downsampled.push(small.ms);
      times.full.push(large.ms);
      drawnRows = small.drawnRows;
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { downsampled: median(times.downsampled), full: median(times.full), drawnRows };
  } finally {
    server?.close();
    await browser.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

export const samplerBench: Bench = {
  name: 'sampler and chart drawing',
  skipReason: () => (process.platform === 'linux' ? null : 'samples real processes through /proc'),
  async run(): Promise<BenchFigure[]> {
    const children: ChildProcess[] = Array.from({ length: PROCESSES }, () => spawn('sleep', ['60'], { stdio: 'ignore' }));
    let sampling: number;
    let idle: number;
    try {
      idle = await cpuPercent(emptyTimers);
      sampling = await cpuPercent(samplingAll(children.map((c) => c.pid!)));
    } finally {
      for (const c of children) c.kill('SIGKILL');
    }

    const rows = syntheticRows(POINTS);
    const series = MEMORY_LINES.map((l) => (r: SeriesRow) => r[l.key]);
    const lttbMs = await medianMs(() => downsampleRows(rows, (r) => r.time, series, DRAW_POINTS), 9);
    const kept = downsampleRows(rows, (r) => r.time, series, DRAW_POINTS).length;
    const browser = existsSync(CHROMIUM) ? await chromiumUpdates(7) : null;
    return [
      {
        name: `sampling ${PROCESSES} processes at ${1000 / INTERVAL_MS} Hz (CPU of one core)`,
        value: sampling,
        unit: '%',
        reference: { name: `${PROCESSES} empty timers at the same cadence`, value: idle, unit: '%' },
        ratio: sampling / Math.max(idle, 1e-3),
        goal: 'under 2%',
        met: sampling < 2,
      },
      {
        name: `LTTB in Node, ${series.length} series x ${POINTS} points to ${DRAW_POINTS} each (kept ${kept} rows)`,
        value: lttbMs,
        unit: 'ms',
      },
      ...(browser
        ? [
            {
              name: `chart update in Chromium: LTTB + render of ${browser.drawnRows} rows`,
              value: browser.downsampled,
              unit: 'ms',
              reference: { name: `render of all ${POINTS} rows`, value: browser.full, unit: 'ms' },
              ratio: browser.downsampled / browser.full,
              goal: 'under 16 ms',
              met: browser.downsampled < 16,
            },
          ]
        : []),
    ];
  },
};
