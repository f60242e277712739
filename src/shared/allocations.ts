import type { Region, RegionKind } from './model';
import { REGION_KINDS, REGION_STATES } from './model';
import { columnsOf } from './regionList';
import { type Measures, zeroMeasures } from './regionFields';
import { HAS_ALLOCATION, type RegionColumns, addressWriter } from './snapshotColumns';

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

const FREE = REGION_STATES.indexOf('free');
const UNUSABLE = REGION_KINDS.indexOf('unusable');

/** The allocations of regions given as a Region array or as columns (read from the columns). */
export function groupAllocations(regions: readonly Region[] | RegionColumns): Allocation[] {
  const c = columnsOf(regions);
  const { flags, state, kind, allocHi, allocLo, size, committed } = c;
  const { wsTotal, wsPrivate, wsShareable, wsShared, wsLocked } = c;
  const address = addressWriter();
  const out: Allocation[] = [];
  let current: Allocation | null = null;
  let currentKind = 0;
  let keyHi = -1;
  let keyLo = -1;
  for (let i = 0; i < c.count; i++) {
    const own = state[i] === FREE || !(flags[i]! & HAS_ALLOCATION);
    if (current === null || own || allocHi[i] !== keyHi || allocLo[i] !== keyLo) {
      currentKind = kind[i]!;
      current = {
        first: i,
        count: 0,
        base: address(c.baseHi[i]!, c.baseLo[i]!),
        ...zeroMeasures(),
        kind: REGION_KINDS[currentKind]!,
      };
      // A region of its own never continues into the next one.
      keyHi = own ? -1 : allocHi[i]!;
      keyLo = own ? -1 : allocLo[i]!;
      out.push(current);
    }
    if (currentKind === UNUSABLE && kind[i] !== UNUSABLE) {
      currentKind = kind[i]!;
      current.kind = REGION_KINDS[currentKind]!;
    }
    current.count += 1;
    current.size += size[i]!;
    current.committed += committed[i]!;
    current.wsTotal += wsTotal[i]!;
    current.wsPrivate += wsPrivate[i]!;
    current.wsShareable += wsShareable[i]!;
    current.wsShared += wsShared[i]!;
    current.wsLocked += wsLocked[i]!;
  }
  return out;
}
