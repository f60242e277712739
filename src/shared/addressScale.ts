import { REGION_KINDS } from './model';
import type { RegionColumns } from './snapshotColumns';

const FREE = REGION_KINDS.indexOf('free');
type Sizes = Pick<RegionColumns, 'count' | 'kind' | 'size'>;

export type ScaleMode = 'linear' | 'compact';

/**
 * Where each region sits along the map, in display units. Linear: one unit per byte, regions
 * laid end to end in address order (the free gaps are regions too, so this is the address line;
 * the non-canonical hole below [vsyscall] is not a region and takes no room). Compact: free
 * blocks longer than a cap shrink to it, so a 128 TiB user range with 200 MiB in use shows the
 * used part instead of a thin line.
 */
export interface AddressScale {
  starts: Float64Array;
  lengths: Float64Array;
  total: number;
}

export function compactCap({ count, kind, size }: Sizes): number {
  let used = 0;
  for (let i = 0; i < count; i++) if (kind[i] !== FREE) used += size[i]!;
  return Math.max(64 * 1024, used / 50);
}

/** The scale of regions given by their columns. */
export function buildScale(regions: Sizes, mode: ScaleMode): AddressScale {
  const { count: n, kind, size } = regions;
  const starts = new Float64Array(n);
  const lengths = new Float64Array(n);
  const cap = mode === 'compact' ? compactCap(regions) : Infinity;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const length = kind[i] === FREE ? Math.min(size[i]!, cap) : size[i]!;
    starts[i] = at;
    lengths[i] = length;
    at += length;
  }
  return { starts, lengths, total: at };
}

/** Index of the region at display unit u (the last region starting at or before u), or -1. */
export function regionAt(scale: AddressScale, u: number): number {
  const { starts } = scale;
  if (starts.length === 0 || u < 0 || u >= scale.total) return -1;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= u) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Splits the span [u0, u1) of a view wrapped over `rows` rows of `rowSpan` units each into one
 * piece per row it crosses, calling visit(row, from, to) with from/to relative to the row's start
 * (a callback, not an array: the map calls this for every region on every redraw). The last row
 * takes whatever floating-point rounding leaves past its end, so the split always terminates.
 */
export function splitAcrossRows(
  u0: number,
  u1: number,
  rowSpan: number,
  rows: number,
  visit: (row: number, from: number, to: number) => void,
): void {
  let at = u0;
  while (at < u1) {
    const row = Math.min(rows - 1, Math.floor(at / rowSpan));
    const rowEnd = row === rows - 1 ? u1 : Math.min(u1, (row + 1) * rowSpan);
    visit(row, at - row * rowSpan, rowEnd - row * rowSpan);
    if (rowEnd <= at) return;
    at = rowEnd;
  }
}
