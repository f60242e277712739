/**
 * A process's allocations sorted by base, found by binary search, and the search for a free,
 * 64 KiB-aligned range for a reservation without an address (bottom-up first fit, or top-down
 * with MEM_TOP_DOWN). A low-water mark remembers that no free granule exists below it, so
 * ordinary bottom-up reservations do not rescan the dense bottom of the space.
 */
import type { Allocation } from './allocation';
import { GRANULARITY, USER_END, USER_MIN, alignUp } from './layout';

export class AddressSpace {
  private readonly list: Allocation[] = [];
  /** No free granule lies below this address. */
  private lowWater = USER_MIN;

  get count(): number {
    return this.list.length;
  }

  get all(): readonly Allocation[] {
    return this.list;
  }

  /** Index of the first allocation whose base is > address. */
  private upperBound(address: bigint): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.base <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The allocation holding `address`, if any. */
  find(address: bigint): Allocation | null {
    const i = this.upperBound(address) - 1;
    const a = this.list[i];
    return a && a.contains(address) ? a : null;
  }

  /** The first allocation starting above `address` (where a free run ends). */
  next(address: bigint): Allocation | null {
    return this.list[this.upperBound(address)] ?? null;
  }

  /** The allocation before the one starting above `address` (for the tail of a granule). */
  previous(address: bigint): Allocation | null {
    return this.list[this.upperBound(address) - 1] ?? null;
  }

  /** Whether [base, end) touches no allocation. */
  isFree(base: bigint, end: bigint): boolean {
    const i = this.upperBound(base);
    const before = this.list[i - 1];
    if (before && before.end > base) return false;
    const after = this.list[i];
    return !after || after.base >= end;
  }

  insert(a: Allocation): void {
    this.list.splice(this.upperBound(a.base), 0, a);
  }

  remove(a: Allocation): void {
    const i = this.upperBound(a.base) - 1;
    if (this.list[i] === a) this.list.splice(i, 1);
    if (a.base < this.lowWater) this.lowWater = a.base;
  }

  /** A free, granule-aligned base for `size` bytes, or null when no gap is large enough. */
  place(size: bigint, topDown: boolean): bigint | null {
    return topDown ? this.placeTopDown(size) : this.placeBottomUp(size);
  }

  private gapStart(i: number): bigint {
    const before = this.list[i - 1];
    return before ? alignUp(before.end, GRANULARITY) : USER_MIN;
  }

  private gapEnd(i: number): bigint {
    return this.list[i]?.base ?? USER_END;
  }

  private placeBottomUp(size: bigint): bigint | null {
    let first = true;
    for (let i = this.upperBound(this.lowWater); i <= this.list.length; i++) {
      const start = this.gapStart(i);
      const end = this.gapEnd(i);
      if (end <= start) continue;
      if (first) {
        this.lowWater = start;
        first = false;
      }
      if (end - start >= size) return start;
    }
    return null;
  }

  private placeTopDown(size: bigint): bigint | null {
    for (let i = this.list.length; i >= 0; i--) {
      const start = this.gapStart(i);
      const end = this.gapEnd(i);
      if (end <= start || end - start < size) continue;
      const base = end - size;
      const aligned = base - (base % GRANULARITY);
      if (aligned >= start) return aligned;
    }
    return null;
  }
}
