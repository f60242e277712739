/**
 * A process's allocations sorted by base, found by binary search, and the search for a free,
 * 64 KiB-aligned range for a reservation without an address (bottom-up first fit, or top-down
 * with MEM_TOP_DOWN). A low-water mark remembers that no free granule exists below it, so
 * ordinary bottom-up reservations do not rescan the dense bottom of the space.
 *
 * Everything here works in page numbers (at most 2^35, exact in a double): the hot paths of
 * VirtualQuery and VirtualAlloc then make no bigint arithmetic at all.
 */
import type { Allocation } from './allocation';
import { PAGE_SIZE, USER_END, USER_MIN, pageOf } from './layout';

/** Pages per 64 KiB allocation granule. */
export const GRANULE_PAGES = 65536 / PAGE_SIZE;
export const USER_MIN_PAGE = pageOf(USER_MIN);
export const USER_END_PAGE = pageOf(USER_END);

const granuleUp = (page: number): number => Math.ceil(page / GRANULE_PAGES) * GRANULE_PAGES;

export class AddressSpace {
  private readonly list: Allocation[] = [];
  /** No free granule lies below this page. */
  private lowWater = USER_MIN_PAGE;
  /** The last upperBound answer. */
  private hint = 0;

  get count(): number {
    return this.list.length;
  }

  get all(): readonly Allocation[] {
    return this.list;
  }

  /** Index of the first allocation whose base page is > page. */
  private upperBound(page: number): number {
    // A walk (VirtualQuery region after region) asks for the same or the next index each time.
    const h = this.hint;
    if (this.isUpperBound(h, page)) return h;
    if (this.isUpperBound(h + 1, page)) return (this.hint = h + 1);
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.basePage <= page) lo = mid + 1;
      else hi = mid;
    }
    return (this.hint = lo);
  }

  private isUpperBound(i: number, page: number): boolean {
    if (i > this.list.length) return false;
    const before = this.list[i - 1];
    const at = this.list[i];
    return (!before || before.basePage <= page) && (!at || at.basePage > page);
  }

  /** The allocation holding `page`, if any. */
  findPage(page: number): Allocation | null {
    const a = this.list[this.upperBound(page) - 1];
    return a && page < a.basePage + a.pageCount ? a : null;
  }

  find(address: bigint): Allocation | null {
    return this.findPage(pageOf(address));
  }

  /** The first allocation starting above `page` (where a free run ends). */
  nextAfter(page: number): Allocation | null {
    return this.list[this.upperBound(page)] ?? null;
  }

  /** Whether pages [from, to) touch no allocation. */
  isFree(from: number, to: number): boolean {
    const i = this.upperBound(from);
    const before = this.list[i - 1];
    if (before && before.basePage + before.pageCount > from) return false;
    const after = this.list[i];
    return !after || after.basePage >= to;
  }

  insert(a: Allocation): void {
    this.list.splice(this.upperBound(a.basePage), 0, a);
  }

  remove(a: Allocation): void {
    const i = this.upperBound(a.basePage) - 1;
    if (this.list[i] === a) this.list.splice(i, 1);
    if (a.basePage < this.lowWater) this.lowWater = a.basePage;
  }

  /** A free, granule-aligned base page for `pages` pages, or null when no gap is large enough. */
  place(pages: number, topDown: boolean): number | null {
    return topDown ? this.placeTopDown(pages) : this.placeBottomUp(pages);
  }

  private gapStart(i: number): number {
    const before = this.list[i - 1];
    return before ? granuleUp(before.basePage + before.pageCount) : USER_MIN_PAGE;
  }

  private gapEnd(i: number): number {
    return this.list[i]?.basePage ?? USER_END_PAGE;
  }

  private placeBottomUp(pages: number): number | null {
    let first = true;
    for (let i = this.upperBound(this.lowWater); i <= this.list.length; i++) {
      const start = this.gapStart(i);
      const end = this.gapEnd(i);
      if (end <= start) continue;
      if (first) {
        this.lowWater = start;
        first = false;
      }
      if (end - start >= pages) return start;
    }
    return null;
  }

  private placeTopDown(pages: number): number | null {
    for (let i = this.list.length; i >= 0; i--) {
      const start = this.gapStart(i);
      const end = this.gapEnd(i);
      if (end - start < pages) continue;
      const base = Math.floor((end - pages) / GRANULE_PAGES) * GRANULE_PAGES;
      if (base >= start) return base;
    }
    return null;
  }
}
