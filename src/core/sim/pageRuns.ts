/**
 * The state and protection of an allocation's pages as run-length ranges: a sorted, gap-free
 * list of runs over page indexes [0, pageCount). Adjacent runs always differ, so one run is
 * exactly one VirtualQuery region. Reserving 1 TiB is one run, whatever its size.
 */

export const RESERVED = 0;
export const COMMITTED = 1;
export type PageState = typeof RESERVED | typeof COMMITTED;

export interface PageRun {
  /** First page index (relative to the allocation base). */
  readonly start: number;
  /** One past the last page index. */
  readonly end: number;
  readonly state: PageState;
  /** PAGE_* value for committed runs; 0 for reserved ones (what VirtualQuery reports). */
  readonly protect: number;
}

export interface RunValue {
  state: PageState;
  protect: number;
}

export class PageRuns {
  private runs: PageRun[];

  constructor(pageCount: number, value: RunValue) {
    this.runs = [{ start: 0, end: pageCount, ...value }];
  }

  get length(): number {
    return this.runs.length;
  }

  get all(): readonly PageRun[] {
    return this.runs;
  }

  /** Index of the run holding `page` (binary search). */
  indexAt(page: number): number {
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.runs[mid]!.start <= page) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  at(page: number): PageRun {
    return this.runs[this.indexAt(page)]!;
  }

  /** Whether every page in [start, end) satisfies `test`. */
  every(start: number, end: number, test: (run: PageRun) => boolean): boolean {
    for (let i = this.indexAt(start); i < this.runs.length && this.runs[i]!.start < end; i++) {
      if (!test(this.runs[i]!)) return false;
    }
    return true;
  }

  /** Pages in [start, end) whose run satisfies `test`. */
  count(start: number, end: number, test: (run: PageRun) => boolean): number {
    let n = 0;
    for (let i = this.indexAt(start); i < this.runs.length && this.runs[i]!.start < end; i++) {
      const r = this.runs[i]!;
      if (test(r)) n += Math.min(r.end, end) - Math.max(r.start, start);
    }
    return n;
  }

  /**
   * Give the pages [start, end) new values: `next` sees each existing run clipped to the range
   * and returns its replacement. Runs are split at the edges and equal neighbours merged.
   */
  update(
    start: number,
    end: number,
    next: (run: PageRun, from: number, to: number) => RunValue,
  ): void {
    const first = this.indexAt(start);
    const last = this.indexAt(end - 1);
    const out: PageRun[] = [];
    if (first > 0) out.push(this.runs[first - 1]!);
    for (let i = first; i <= last; i++) {
      const r = this.runs[i]!;
      const from = Math.max(r.start, start);
      const to = Math.min(r.end, end);
      if (r.start < from) out.push({ ...r, end: from });
      out.push({ start: from, end: to, ...next(r, from, to) });
      if (to < r.end) out.push({ ...r, start: to });
    }
    const hasAfter = last + 1 < this.runs.length;
    if (hasAfter) out.push(this.runs[last + 1]!);
    const merged: PageRun[] = [];
    for (const r of out) {
      const prev = merged[merged.length - 1];
      if (prev && prev.state === r.state && prev.protect === r.protect)
        merged[merged.length - 1] = { ...prev, end: r.end };
      else merged.push(r);
    }
    const from = first > 0 ? first - 1 : first;
    const to = hasAfter ? last + 2 : last + 1;
    this.runs.splice(from, to - from, ...merged);
  }
}
