/**
 * Scale (issue 17, point 6): a simulated process with 1,000,000 regions against one with 100,000,
 * the same layout (one-page allocations, each followed by the free rest of its 64 KiB granule).
 * Time should grow at most linearly: each figure is the 1M time over the 100k time, goal at most
 * 12x (10x the regions, 20% slack for caches and the collector).
 * - snapshot: the simulated source's regions, encoded for the wire (what the service's worker
 *   does for `process.snapshot`);
 * - first paint, its data: the renderer's work before React draws (the snapshot decoded, its
 *   regions built, allocations grouped, the table's rows built in address order). Measured in
 *   Node on the renderer's own shared modules; the drawing itself is the inspector bench's.
 * - filter: the search box's filter over every region (text "ffff") and the rows rebuilt.
 */
import { createSimulation } from '../src/core/sim/simulation';
import { processRegions } from '../src/core/sim/report';
import { groupAllocations } from '../src/shared/allocations';
import type { Snapshot } from '../src/shared/model';
import { NO_FILTER, matchRegions } from '../src/shared/regionFilter';
import { buildRows } from '../src/shared/regionRows';
import { type EncodedSnapshot, decodeSnapshot, encodeSnapshot } from '../src/shared/snapshotCodec';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../src/shared/winConstants';
import { SNAPSHOT_META } from '../test/support/snapshotFixture';
import { type Bench, type BenchFigure, type Stats, fromStats, referenceOf, timed } from './harness';

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
}

async function measure(count: number): Promise<Stage> {
  const p = simulatedProcess(count);
  let encoded: EncodedSnapshot | undefined;
  const snapshot = await timed(() => {
    const s: Snapshot = { ...SNAPSHOT_META, source: 'simulated', regions: processRegions(p) };
    encoded = encodeSnapshot(s);
  }, RUNS);
  let regions: Snapshot['regions'] = [];
  const sort = { key: 'address' as const, descending: false };
  const paint = await timed(() => {
    regions = decodeSnapshot(encoded!).regions;
    buildRows(regions, groupAllocations(regions), null, sort, new Set());
  }, RUNS);
  const allocations = groupAllocations(regions);
  const filter = await timed(() => {
    const matches = matchRegions(regions, { ...NO_FILTER, text: 'ffff' });
    buildRows(regions, allocations, matches && ((i) => matches[i] === 1), sort, new Set());
  }, RUNS);
  return { snapshot, paint, filter, regions: regions.length };
}

export const scaleBench: Bench = {
  name: 'scale (simulated, 1,000,000 vs 100,000 regions)',
  skipReason: () => null,
  async run(): Promise<BenchFigure[]> {
    const small = await measure(SMALL);
    const large = await measure(LARGE);
    console.log(`  regions: ${small.regions} and ${large.regions}`);
    const figure = (name: string, key: 'snapshot' | 'paint' | 'filter'): BenchFigure =>
      fromStats(`${name}, ${large.regions} regions`, large[key], 'ms', {
        reference: referenceOf(`the same, ${small.regions} regions`, small[key], 'ms'),
        ratio: large[key].median / small[key].median,
        goal: { of: 'ratio', op: '<=', limit: 12 },
      });
    return [
      figure('snapshot (regions + encoding)', 'snapshot'),
      figure('first paint, its data (decode, regions, allocations, rows)', 'paint'),
      figure('filter (search "ffff", rows rebuilt)', 'filter'),
    ];
  },
};
