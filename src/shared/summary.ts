import { groupAllocations } from './allocations';
import { REGION_KINDS, type Region, type RegionKind } from './model';
import { addMeasures, type Measures, zeroMeasures } from './regionFields';

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

/** Rows for every kind present, in REGION_KINDS order, then a total row (free excluded, as in VMMap). */
export function summarizeByKind(regions: readonly Region[]): KindSummary[] {
  const rows = new Map<RegionKind, KindSummary>();
  const total = empty('total');
  for (const r of regions) {
    let row = rows.get(r.kind);
    if (!row) rows.set(r.kind, (row = empty(r.kind)));
    const priv = r.type === 'private' ? r.committed : 0;
    for (const target of r.kind === 'free' ? [row] : [row, total]) {
      addMeasures(target, r);
      target.private += priv;
    }
  }
  for (const a of groupAllocations(regions)) {
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
