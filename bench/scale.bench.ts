/**
 * Scale (issue 17, point 6): a simulated process with 1,000,000 regions against one with 100,000,
 * the same layout (one-page allocations, each followed by the free rest of its 64 KiB granule).
 * Time should grow at most linearly: each figure is the 1M time over the 100k time, goal at most
 * 12x (10x the regions, 20% slack for caches and the collector).
 * - snapshot: the simulated source's regions (as columns, as the source makes them), encoded for
 *   the wire (what the service's worker does for `process.snapshot`);
 * - first paint, its data: the renderer's work before React draws (the snapshot decoded onto
 *   its columns, allocations grouped from them, the table's rows built in address order), in
 *   Node on the renderer's own shared modules;
 * - filter, its data: the search box's filter over every region (text "ffff"), rows rebuilt;
 * - first paint in Chromium: the inspector opened on the simulated process in a fresh page per
 *   run, from asking to the first full frame (the page of `vmscope serve`, behind a loopback
 *   server that answers process.snapshot with the encoded simulated snapshot: the transfer goes
 *   through Chromium's network stack as from the host), with the trace of where the time goes;
 * - filter in Chromium: "ffff" typed in the search box, to the frame after the table changed.
 */
import { type Browser, chromium } from 'playwright-core';
import { createSimulation } from '../src/core/sim/simulation';
import { processRegionColumns } from '../src/core/sim/report';
import { groupAllocations } from '../src/shared/allocations';
import { NO_FILTER, matchRegions } from '../src/shared/regionFilter';
import { type RegionList, regionList } from '../src/shared/regionList';
import { buildRows } from '../src/shared/regionRows';
import { type EncodedSnapshot, decodeSnapshot, encodeSnapshot } from '../src/shared/snapshotCodec';
import { snapshotFromColumns } from '../src/shared/snapshotColumns';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../src/shared/winConstants';
import { SNAPSHOT_META } from '../test/support/snapshotFixture';
import { startServe } from './serve';
import {
  type Bench,
  type BenchFigure,
  type Stats,
  fromStats,
  referenceOf,
  statsOf,
  timed,
} from './harness';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  type Trace,
  chromiumMissing,
  describeTraces,
  paintOf,
  snapshotFront,
  timeTableChange,
  traceOf,
} from './inspectorPage';
import { BENCH_NAMES } from './names';

const SMALL = 100_000;
const LARGE = 1_000_000;
const RUNS = 3;

/** A simulated process of `regions` regions: one-page allocations, each with its granule's free tail. */
function simulatedProcess(regions: number) {
  const { process: p } = createSimulation({ physicalMemory: 1 << 30, pagefileSize: 1 << 30 });
  for (let i = 0; i < regions / 2; i++) {
    const r = p.virtualAlloc(null, 4096n, M.MEM_RESERVE | M.MEM_COMMIT, P.PAGE_READWRITE);
    if (!r.ok) throw new Error(r.error);
  }
  return p;
}

interface Stage {
  snapshot: Stats;
  paint: Stats;
  filter: Stats;
  regions: number;
  encoded: EncodedSnapshot;
}

type Key = 'snapshot' | 'paint' | 'filter' | 'pagePaint' | 'pageFilter';

async function measure(count: number): Promise<Stage> {
  const p = simulatedProcess(count);
  let encoded: EncodedSnapshot | undefined;
  const snapshot = await timed(() => {
    // As the simulated source makes it: the regions as columns, encoded by copying them.
    const columns = processRegionColumns(p);
    const s = snapshotFromColumns({ ...SNAPSHOT_META, source: 'simulated' }, columns);
    encoded = encodeSnapshot(s);
  }, RUNS);
  let regions: RegionList | undefined;
  const sort = { key: 'address' as const, descending: false };
  const paint = await timed(() => {
    regions = regionList(decodeSnapshot(encoded!));
    buildRows(regions, groupAllocations(regions.columns), null, sort, new Set());
  }, RUNS);
  const allocations = groupAllocations(regions!.columns);
  const filter = await timed(() => {
    const matches = matchRegions(regions!, { ...NO_FILTER, text: 'ffff' });
    buildRows(regions!, allocations, matches && ((i) => matches[i] === 1), sort, new Set());
  }, RUNS);
  return { snapshot, paint, filter, regions: regions!.length, encoded: encoded! };
}

interface PageStage {
  pagePaint: Stats;
  pageFilter: Stats;
  traces: Trace[];
}

/** The inspector in Chromium on one encoded snapshot: first paint per fresh page, then the filter. */
async function measurePage(browser: Browser, url: string): Promise<PageStage> {
  const paints: number[] = [];
  const filters: number[] = [];
  const traces: Trace[] = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}#/inspect?pid=${SNAPSHOT_META.process.pid}&source=simulated`);
    paints.push(await paintOf(page));
    traces.push(await traceOf(page));
    // One discarded filter first, as a user's first keystroke after the page settled.
    await timeTableChange(page, { search: 'ffff' });
    await timeTableChange(page, { search: '' });
    filters.push(await timeTableChange(page, { search: 'ffff' }));
    await page.context().close();
  }
  return { pagePaint: statsOf(paints), pageFilter: statsOf(filters), traces };
}

export const scaleBench: Bench = {
  name: BENCH_NAMES.scale,
  skipReason: () => null,
  async run(): Promise<BenchFigure[]> {
    const small = await measure(SMALL);
    const large = await measure(LARGE);
    console.log(`  regions: ${small.regions} and ${large.regions}`);
    const pages = await measurePages([small.encoded, large.encoded]);
    const [smallPage, largePage] = pages ?? [];
    const figure = (name: string, key: Key): BenchFigure => {
      const [l, s] =
        key === 'pagePaint' || key === 'pageFilter'
          ? [largePage?.[key], smallPage?.[key]]
          : [large[key], small[key]];
      if (!l || !s)
        return {
          name: `${name}, ${large.regions} regions`,
          value: Number.NaN,
          unit: 'ms',
          notMeasured: chromiumMissing() ?? 'Chromium did not run',
        };
      return fromStats(`${name}, ${large.regions} regions`, l, 'ms', {
        reference: referenceOf(`the same, ${small.regions} regions`, s, 'ms'),
        ratio: l.median / s.median,
        goal: { of: 'ratio', op: '<=', limit: 12 },
      });
    };
    for (const [stage, count] of [
      [smallPage, small.regions],
      [largePage, large.regions],
    ] as const) {
      if (!stage) continue;
      console.log(
        `  where the first paint's time goes in Chromium, ${count} regions (ms after asking):`,
      );
      for (const line of describeTraces(stage.traces)) console.log(line);
    }
    return [
      figure('snapshot (regions + encoding)', 'snapshot'),
      figure('first paint, its data (decode, allocations, rows)', 'paint'),
      figure('filter, its data (search "ffff", rows rebuilt)', 'filter'),
      figure('first paint in Chromium (asking to first full frame)', 'pagePaint'),
      figure('filter in Chromium (search "ffff" to the next frame)', 'pageFilter'),
    ];
  },
};

/** Both sizes in one browser and one `vmscope serve`; null without Chromium. */
async function measurePages(encoded: EncodedSnapshot[]): Promise<PageStage[] | null> {
  if (chromiumMissing()) return null;
  const serve = await startServe();
  let browser: Browser | undefined;
  try {
    const serveUrl = serve.url;
    let current = encoded[0]!;
    const front = await snapshotFront(serveUrl, () => current.data);
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const out: PageStage[] = [];
      for (const e of encoded) {
        current = e;
        out.push(await measurePage(browser, front.url));
      }
      return out;
    } finally {
      await front.close();
    }
  } finally {
    await browser?.close();
    await serve.close();
  }
}
