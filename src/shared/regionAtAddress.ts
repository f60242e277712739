import { parseAddress } from './address';
import type { RegionsLike } from './regionList';

/**
 * The index of the region that contains an address, or -1. Regions are sorted by base and do not
 * overlap (free gaps are regions too), so a binary search finds it in a few bigint compares.
 */
export function regionAtAddress(regions: RegionsLike, address: bigint): number {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = regions.at(mid)!;
    const base = parseAddress(r.base);
    if (address < base) hi = mid - 1;
    else if (address >= base + BigInt(r.size)) lo = mid + 1;
    else return mid;
  }
  return -1;
}
