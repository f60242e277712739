import type { Region, RegionKind } from './model';

/**
 * VMMap's tree: regions grouped under the allocation (reservation) they belong to. Regions are
 * in address order; an allocation is a run of consecutive regions with the same allocationBase.
 * A free region is an allocation of its own.
 */
export interface Allocation {
  /** Index of the first region in the snapshot's region array. */
  first: number;
  /** Number of regions. */
  count: number;
  base: string;
  size: number;
  committed: number;
  wsTotal: number;
  wsPrivate: number;
  wsShareable: number;
  wsShared: number;
  wsLocked: number;
  /** The kind the allocation shows as: its first region's that is not `unusable`. */
  kind: RegionKind;
}

export function groupAllocations(regions: readonly Region[]): Allocation[] {
  const out: Allocation[] = [];
  let current: Allocation | null = null;
  let currentKey: string | null = null;
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i]!;
    const key = r.state === 'free' || r.allocationBase === null ? null : r.allocationBase;
    if (current === null || key === null || key !== currentKey) {
      current = {
        first: i,
        count: 0,
        base: r.base,
        size: 0,
        committed: 0,
        wsTotal: 0,
        wsPrivate: 0,
        wsShareable: 0,
        wsShared: 0,
        wsLocked: 0,
        kind: r.kind,
      };
      currentKey = key;
      out.push(current);
    }
    if (current.kind === 'unusable' && r.kind !== 'unusable') current.kind = r.kind;
    current.count += 1;
    current.size += r.size;
    current.committed += r.committed;
    current.wsTotal += r.workingSet.total;
    current.wsPrivate += r.workingSet.private;
    current.wsShareable += r.workingSet.shareable;
    current.wsShared += r.workingSet.shared;
    current.wsLocked += r.workingSet.locked;
  }
  return out;
}
