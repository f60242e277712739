/**
 * Drawing a live chart:
 * - the LTTB step alone in Node: the memory chart's 5 series x 36,000 points, 600 kept per series;
 * - a chart update at 36,000 points per series in Debian's Chromium (bench/chartPage): the LTTB
 *   step plus React and recharts committing the memory chart, with layout forced, against the
 *   same update drawing every point (goal: under 16 ms). Paint itself is not inside the figure.
 */
import { existsSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { downsampleRows } from '../src/shared/lttb';
import type { SeriesRow } from '../src/shared/series';
import { DRAW_POINTS, MEMORY_LINES } from '../src/renderer/src/views/watch/seriesSpecs';
import { syntheticRows } from './chartPage/syntheticRows';
import { type Bench, type BenchFigure, medianMs } from './harness';

const POINTS = 36_000;
const CHROMIUM = process.env['VMSCOPE_CHROMIUM'] ?? '/usr/bin/chromium';

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

export const chartBench: Bench = {
  name: 'chart drawing',
  skipReason: () => null,
  async run(): Promise<BenchFigure[]> {
    const rows = syntheticRows(POINTS);
    const series = MEMORY_LINES.map((l) => (r: SeriesRow) => r[l.key]);
    const lttbMs = await medianMs(() => downsampleRows(rows, (r) => r.time, series, DRAW_POINTS), 9);
    const kept = downsampleRows(rows, (r) => r.time, series, DRAW_POINTS).length;
    const browser = existsSync(CHROMIUM) ? await chromiumUpdates(7) : null;
    return [
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
