import { groupAllocations } from './allocations';
import { REGION_KINDS, type Region, type RegionKind } from './model';

/** One row of VMMap's top pane. */
export interface KindSummary {
  kind: RegionKind | 'total';
  size: number;
  committed: number;
  /** Committed bytes of private memory (not shareable with another process). */
  private: number;
  wsTotal: number;
  wsPrivate: number;
  wsShareable: number;
  wsShared: number;
  wsLocked: number;
  /** Allocations (VMMap's blocks) of this kind. */
  blocks: number;
  largestBlock: number;
}

function empty(kind: KindSummary['kind']): KindSummary {
  return {
    kind,
    size: 0,
    committed: 0,
    private: 0,
    wsTotal: 0,
    wsPrivate: 0,
    wsShareable: 0,
    wsShared: 0,
    wsLocked: 0,
    blocks: 0,
    largestBlock: 0,
  };
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
      target.size += r.size;
      target.committed += r.committed;
      target.private += priv;
      target.wsTotal += r.workingSet.total;
      target.wsPrivate += r.workingSet.private;
      target.wsShareable += r.workingSet.shareable;
      target.wsShared += r.workingSet.shared;
      target.wsLocked += r.workingSet.locked;
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
