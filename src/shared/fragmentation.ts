import type { Region } from './model';

export interface Fragmentation {
  largestFree: number;
  freeBlocks: number;
  freeBytes: number;
  unusableBytes: number;
}

/** How broken up the free address space is (VMMap's fragmentation view, as figures). */
export function fragmentation(regions: readonly Region[]): Fragmentation {
  const result: Fragmentation = { largestFree: 0, freeBlocks: 0, freeBytes: 0, unusableBytes: 0 };
  for (const r of regions) {
    if (r.state === 'free' && r.kind === 'free') {
      result.freeBlocks += 1;
      result.freeBytes += r.size;
      result.largestFree = Math.max(result.largestFree, r.size);
    } else if (r.kind === 'unusable') {
      result.unusableBytes += r.size;
    }
  }
  return result;
}
