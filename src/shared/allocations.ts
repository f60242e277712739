import type { Region, RegionKind } from './model';
import { addMeasures, type Measures, zeroMeasures } from './regionFields';

/**
 * VMMap's tree: regions grouped under the allocation (reservation) they belong to. Regions are
 * in address order; an allocation is a run of consecutive regions with the same allocationBase.
 * A free region is an allocation of its own.
 */
export interface Allocation extends Measures {
  /** Index of the first region in the snapshot's region array. */
  first: number;
  /** Number of regions. */
  count: number;
  base: string;
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
        ...zeroMeasures(),
        kind: r.kind,
      };
      currentKey = key;
      out.push(current);
    }
    if (current.kind === 'unusable' && r.kind !== 'unusable') current.kind = r.kind;
    current.count += 1;
    addMeasures(current, r);
  }
  return out;
}
