import { REGION_KINDS, REGION_STATES, type Region } from './model';
import { columnsOf } from './regionList';
import type { RegionColumns } from './snapshotColumns';

export interface Fragmentation {
  largestFree: number;
  freeBlocks: number;
  freeBytes: number;
  unusableBytes: number;
}

/** How broken up the free address space is (VMMap's fragmentation view, as figures). */
export function fragmentation(regions: readonly Region[] | RegionColumns): Fragmentation {
  const result: Fragmentation = { largestFree: 0, freeBlocks: 0, freeBytes: 0, unusableBytes: 0 };
  const { count, state, kind, size } = columnsOf(regions);
  const [freeState, freeKind, unusable] = [
    REGION_STATES.indexOf('free'),
    REGION_KINDS.indexOf('free'),
    REGION_KINDS.indexOf('unusable'),
  ];
  for (let i = 0; i < count; i++) {
    if (state[i] === freeState && kind[i] === freeKind) {
      result.freeBlocks += 1;
      result.freeBytes += size[i]!;
      result.largestFree = Math.max(result.largestFree, size[i]!);
    } else if (kind[i] === unusable) {
      result.unusableBytes += size[i]!;
    }
  }
  return result;
}
