/**
 * Drawing a live chart of one hour at 10 Hz (36,000 points per series, the memory chart's five
 * lines):
 * - the LTTB step alone in Node, at the bucket width the chart uses for an hour across 1,100 px:
 *   a full pass, and the incremental update after one new sample;
 * - chart updates in Debian's Chromium (bench/chartPage), from new data to the committed SVG
 *   with layout forced (paint is not inside the figure): one new sample (goal: under 16 ms),
 *   and a cold redraw of a new hour (the first draw, a zoom, a toggle), each against recharts
 *   drawing every row with its own <Line>s, no downsampling. The median live update is the
 *   goal's figure; the slowest is printed too (the axes move, and recharts redraws, once per
 *   LTTB bucket: every 4 s at an hour across 1,100 px).
 */
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { TimeBucketLttb, bucketMsFor } from '../src/shared/lttb';
import type { SeriesRow } from '../src/shared/series';
import { MEMORY_LINES } from '../src/renderer/src/views/watch/seriesSpecs';
import { syntheticRows } from './chartPage/syntheticRows';
import {
  type Bench,
  type BenchFigure,
  type Stats,
  fromStats,
  referenceOf,
  statsOf,
  timed,
} from './harness';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../e2e/chromium';
import { BENCH_NAMES } from './names';

const POINTS = 36_000;
const PLOT_PX = 1100;
const LIVE_PER_ROUND = 8;
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

type Kind = 'live' | 'cold' | 'full';

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = join(
      dir,
      new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/$/, '/index.html'),
    );
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

/** Median ms of each kind of chart update in Chromium, the kinds measured alternately. */
async function chromiumUpdates(
  runs: number,
): Promise<Record<Kind, { ms: Stats; all: number[]; points: number }>> {
  const outDir = mkdtempSync(join(tmpdir(), 'vmscope-chart-bench-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
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
    const kinds: Kind[] = ['live', 'cold', 'full'];
    // One page each: a chart that just drew 36,000 rows would slow the next small update.
    const pages = Object.fromEntries(
      await Promise.all(kinds.map(async (k) => [k, await browser.newPage()] as const)),
    );
    for (const page of Object.values(pages)) await page.goto(url);
    const update = async (
      kind: Kind,
    ): Promise<{ ms: number; points: number; pathChars: number }> => {
      const page = pages[kind]!;
      const result = await page.evaluate((k) => window.measure(k), kind);
      // Let the browser paint and the ResizeObserver settle before the next update.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      return result;
    };
    for (let i = 0; i < 3; i++) for (const kind of kinds) await update(kind);
    const out = Object.fromEntries(
      kinds.map((k) => [k, { ms: statsOf([]), all: [] as number[], points: 0 }]),
    ) as Record<Kind, { ms: Stats; all: number[]; points: number }>;
    for (let i = 0; i < runs; i++) {
      // Live updates are cheap and vary most (the axes move once per bucket): more of them.
      for (const kind of [...kinds, ...Array<Kind>(LIVE_PER_ROUND - 1).fill('live')]) {
        const result = await update(kind);
        if (result.pathChars === 0) throw new Error(`the ${kind} benchmark chart drew no line`);
        out[kind].all.push(result.ms);
        out[kind].points = result.points;
      }
    }
    for (const kind of kinds) out[kind].ms = statsOf(out[kind].all);
    return out;
  } finally {
    server?.close();
    await browser.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

export const chartBench: Bench = {
  name: BENCH_NAMES.chart,
  skipReason: () => null,
  async run(): Promise<BenchFigure[]> {
    const rows = syntheticRows(POINTS + 1);
    const hour = rows.slice(0, POINTS);
    const bucketMs = bucketMsFor(hour.at(-1)!.time - hour[0]!.time, PLOT_PX);
    const samplers = () =>
      MEMORY_LINES.map(
        (l) =>
          new TimeBucketLttb<SeriesRow>(
            (r) => r.time,
            (r) => r[l.key],
            bucketMs,
          ),
      );
    const fullMs = await timed(() => samplers().map((s) => s.indices(hour, 0, hour.length)), 9);
    const kept = samplers()[0]!.indices(hour, 0, hour.length).length;
    // One new sample: the same arrays, one row longer.
    const live = samplers();
    const growing = hour.slice();
    live.forEach((s) => s.indices(growing, 0, growing.length));
    const tailMs = await timed(() => {
      growing.push({ ...rows[POINTS]!, time: growing.at(-1)!.time + 100 });
      return live.map((s) => s.indices(growing, 0, growing.length));
    }, 9);
    const lttb = [
      fromStats(
        `LTTB in Node, ${MEMORY_LINES.length} series x ${POINTS} points, ${bucketMs} ms buckets (${kept} points kept per series): full pass`,
        fullMs,
        'ms',
        {
          noReference: 'the incremental update below is read against it',
        },
      ),
      fromStats('LTTB in Node, the same after one new sample (incremental)', tailMs, 'ms', {
        reference: referenceOf('the full pass above', fullMs, 'ms'),
        ratio: tailMs.median / fullMs.median,
      }),
    ];
    const liveName = 'chart update in Chromium, one new sample';
    const coldName = 'chart redraw in Chromium, a new hour (full LTTB pass)';
    const missing = chromiumMissing();
    if (missing) {
      const notMeasured = `${missing} (set VMSCOPE_CHROMIUM)`;
      return [
        ...lttb,
        { name: liveName, value: Number.NaN, unit: 'ms', notMeasured },
        { name: coldName, value: Number.NaN, unit: 'ms', notMeasured },
      ];
    }
    const browser = await chromiumUpdates(7);
    const all = (k: Kind): string => browser[k].all.map((x) => x.toFixed(1)).join(', ');
    console.log(`  runs (ms): live ${all('live')}\n  cold ${all('cold')}\n  full ${all('full')}`);
    const reference = referenceOf(
      `recharts drawing all ${POINTS} rows with its <Line>s`,
      browser.full.ms,
      'ms',
    );
    const slowest = Math.max(...browser.live.all);
    return [
      ...lttb,
      fromStats(
        `${liveName} (${browser.live.points} points drawn per line)`,
        browser.live.ms,
        'ms',
        {
          reference,
          ratio: browser.live.ms.median / reference.value,
          goal: { of: 'value', op: '<', limit: 16 },
        },
      ),
      {
        name: `${liveName}: the slowest of ${browser.live.all.length} (an update that moves the axes)`,
        value: slowest,
        unit: 'ms',
        reference,
        ratio: slowest / reference.value,
      },
      fromStats(coldName, browser.cold.ms, 'ms', {
        reference,
        ratio: browser.cold.ms.median / reference.value,
      }),
    ];
  },
};
