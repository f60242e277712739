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
  const byKind: (KindSummary | undefined)[] = [];
  const total = empty('total');
  const free = REGION_KINDS.indexOf('free');
  const privateType = REGION_TYPES.indexOf('private');
  for (let i = 0; i < c.count; i++) {
    const k = c.kind[i]!;
    const row = (byKind[k] ??= empty(REGION_KINDS[k]!));
    const priv = c.type[i] === privateType ? c.committed[i]! : 0;
    for (const key of MEASURE_KEYS) row[key] += c[key][i]!;
    row.private += priv;
    if (k === free) continue;
    for (const key of MEASURE_KEYS) total[key] += c[key][i]!;
    total.private += priv;
  }
  const rows = new Map<RegionKind, KindSummary>();
  for (const row of byKind) if (row) rows.set(row.kind as RegionKind, row);
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
