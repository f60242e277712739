import { type Allocation, groupAllocations } from './allocations';
import { REGION_KINDS, REGION_TYPES, type Region, type RegionKind } from './model';
import { columnsOf } from './regionList';
import { MEASURE_KEYS, type Measures, zeroMeasures } from './regionFields';
import type { RegionColumns } from './snapshotColumns';

/** One row of VMMap's top pane. */
export interface KindSummary extends Measures {
  kind: RegionKind | 'total';
  /** Committed bytes of private memory (not shareable with another process). */
  private: number;
  /** Allocations (VMMap's blocks) of this kind. */
  blocks: number;
  largestBlock: number;
}

function empty(kind: KindSummary['kind']): KindSummary {
  // private sits after committed in every listing of a summary row (SUMMARY_FIELDS).
  return Object.assign({ kind, size: 0, committed: 0, private: 0 }, zeroMeasures(), {
    blocks: 0,
    largestBlock: 0,
  });
}

/**
 * Rows for every kind present, in REGION_KINDS order, then a total row (free excluded, as in
 * VMMap). Read from the columns; `allocations`, when the caller has them, are not grouped again.
 */
export function summarizeByKind(
  regions: readonly Region[] | RegionColumns,
  allocations?: readonly Allocation[],
): KindSummary[] {
  const c = columnsOf(regions);
  // Sums per kind in one typed array (kind-major, then each measure, then private), made into rows after.
  const measures = MEASURE_KEYS.map((key) => c[key]);
  const width = measures.length + 1;
  const sums = new Float64Array(REGION_KINDS.length * width);
  const seen = new Uint8Array(REGION_KINDS.length);
  const privateType = REGION_TYPES.indexOf('private');
  for (let i = 0; i < c.count; i++) {
    const at = c.kind[i]! * width;
    seen[c.kind[i]!] = 1;
    for (let m = 0; m < measures.length; m++) sums[at + m] = sums[at + m]! + measures[m]![i]!;
    if (c.type[i] === privateType)
      sums[at + measures.length] = sums[at + measures.length]! + c.committed[i]!;
  }
  const rows = new Map<RegionKind, KindSummary>();
  const total = empty('total');
  REGION_KINDS.forEach((kind, k) => {
    if (!seen[k]) return;
    const row = empty(kind);
    MEASURE_KEYS.forEach((key, m) => (row[key] = sums[k * width + m]!));
    row.private = sums[k * width + measures.length]!;
    rows.set(kind, row);
    if (kind === 'free') return;
    for (const key of MEASURE_KEYS) total[key] += row[key];
    total.private += row.private;
  });
  for (const a of allocations ?? groupAllocations(c)) {
    const row = rows.get(a.kind);
    if (!row) continue;
    row.blocks += 1;
    row.largestBlock = Math.max(row.largestBlock, a.size);
    if (a.kind !== 'free') {
      total.blocks += 1;
      total.largestBlock = Math.max(total.largestBlock, a.size);
    }
  }
  const ordered = REGION_KINDS.filter((k) => rows.has(k)).map((k) => rows.get(k)!);
  return [...ordered, total];
}
