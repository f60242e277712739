import { VmscopeError } from '../../shared/errors';
import type { Region } from '../../shared/model';
import type { Source } from '../sources/source';

/** A range a scan reads: a region, or the part of one a caller named. */
export interface ScanTarget {
  base: bigint;
  size: number;
  regionBase: string;
}

/**
 * Committed regions that can hold data: not PAGE_NOACCESS, not guard pages. A committed region of
 * unknown protection (a minidump without MemoryInfoListStream) is read: what is there decides.
 */
export function readableRegion(region: Region): boolean {
  return (
    region.state === 'committed' &&
    (region.protect === null ||
      (!region.protect.includes('NOACCESS') && !region.protect.includes('GUARD')))
  );
}

/**
 * The regions of a process a scan reads, in address order: every readable committed region, or
 * those whose bases are named (a named base that is no region is an error, so a typo is not a
 * silent empty scan).
 */
export async function scanTargets(
  source: Source,
  pid: number,
  bases?: readonly string[],
): Promise<ScanTarget[]> {
  const snapshot = await source.snapshot(pid, { includeFree: false });
  let regions = snapshot.regions;
  if (bases) {
    const byBase = new Map(regions.map((r) => [r.base, r]));
    const missing = bases.filter((b) => !byBase.has(b));
    if (missing.length > 0)
      throw new VmscopeError(
        'not-found',
        `No region of process ${pid} starts at ${missing.slice(0, 3).join(', ')}; take a snapshot to see the region bases.`,
      );
    regions = [...new Set(bases)].map((b) => byBase.get(b)!);
  }
  return regions
    .filter(readableRegion)
    .map((r) => ({ base: BigInt(r.base), size: r.size, regionBase: r.base }))
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
}
