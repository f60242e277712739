/**
 * The working-set state of a region's pages (the details pane's page strip), as runs of equal
 * pages. Every field a source cannot know is null, and the answer says why in `unknown`.
 */
import type { Address, SourceId } from './model';

/** The most pages one `region.pages` call reads: 1 GiB of 4 KiB pages. */
export const MAX_PAGES_PER_QUERY = 262_144;

export interface PageState {
  /** In RAM and mapped into this process (Linux present, Windows Valid, in the simulated working set). */
  resident: boolean;
  /** Its contents are in swap or the pagefile, not in RAM; null where the source cannot tell. */
  swapped: boolean | null;
  /** A resident page another process maps too; false for a private one; null where unknown or not resident. */
  shared: boolean | null;
  /** Processes mapping the page (Windows' count stops at 7); null where unknown or not resident. */
  shareCount: number | null;
  locked: boolean | null;
  /** Written since last saved to its file or swap; null where unknown. */
  dirty: boolean | null;
  /** Written since the soft-dirty bits were last cleared (Linux only); null elsewhere. */
  softDirty: boolean | null;
}

/** `count` consecutive pages from page index `start` (relative to the asked base) in one state. */
export interface PageStateRun extends PageState {
  start: number;
  count: number;
}

export const PAGE_FLAGS = [
  'resident',
  'swapped',
  'shared',
  'locked',
  'dirty',
  'softDirty',
] as const;
export type PageFlag = (typeof PAGE_FLAGS)[number];

export interface RegionPages {
  source: SourceId;
  pid: number;
  base: Address;
  size: number;
  pageSize: number;
  pageCount: number;
  runs: PageStateRun[];
  /** Pages with each flag set; null for a flag the source knows for none of these pages. */
  counts: Record<PageFlag, number | null>;
  /** What the source cannot tell here, and why (for instance, share counts need root). */
  unknown: string[];
}

const sameState = (a: PageState, b: PageState): boolean =>
  a.resident === b.resident &&
  a.swapped === b.swapped &&
  a.shared === b.shared &&
  a.shareCount === b.shareCount &&
  a.locked === b.locked &&
  a.dirty === b.dirty &&
  a.softDirty === b.softDirty;

/** Collects page states in order, merging equal neighbours into one run. */
export class PageRunBuilder {
  readonly runs: PageStateRun[] = [];
  private next = 0;

  /** Adds `count` pages (default one) in `state` after those added so far. */
  add(state: PageState, count = 1): void {
    const last = this.runs.at(-1);
    if (last && sameState(last, state)) last.count += count;
    else this.runs.push({ ...state, start: this.next, count });
    this.next += count;
  }
}

export function countPages(runs: readonly PageStateRun[]): Record<PageFlag, number | null> {
  const counts = {} as Record<PageFlag, number | null>;
  for (const flag of PAGE_FLAGS) {
    let known = false;
    let n = 0;
    for (const run of runs) {
      const value = run[flag];
      if (value === null) continue;
      known = true;
      if (value) n += run.count;
    }
    counts[flag] = known ? n : null;
  }
  return counts;
}

/** The answer for a range, with the counts worked out from its runs. */
export function regionPages(
  fields: Omit<RegionPages, 'counts' | 'runs' | 'pageCount'>,
  runs: PageStateRun[],
): RegionPages {
  const pageCount = runs.reduce((n, r) => n + r.count, 0);
  return { ...fields, pageCount, runs, counts: countPages(runs) };
}

/** A page that is not resident and of which nothing else is known. */
export const ABSENT_PAGE: PageState = {
  resident: false,
  swapped: null,
  shared: null,
  shareCount: null,
  locked: null,
  dirty: null,
  softDirty: null,
};
