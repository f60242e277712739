/**
 * The page grid's rows: 16 pages to a row, so each row is one 64 KiB allocation granule and
 * granule boundaries line up down the grid. Rows that are all one kind of page fold into a single
 * row drawn once plus a count, so a 1 TiB reservation (16,777,216 rows) draws as two lines; the
 * work is proportional to the runs of pages, never to the pages.
 */
import {
  type PageCell,
  type PageRun,
  type SandboxAllocation,
  samePageCell,
} from '../../../../shared/sandboxSession';

export const PAGES_PER_ROW = 16;

export type GridRow =
  /** Pages drawn one by one, from page `first` of the allocation. */
  | { kind: 'cells'; first: number; cells: PageCell[] }
  /** `rows` more rows like the row above (every page alike), from page `first`. */
  | { kind: 'fold'; first: number; rows: number; pages: number; page: PageCell };

/** The allocation's runs: its own, or its pages run-length encoded (engines that send pages only). */
export function runsOf(allocation: SandboxAllocation): PageRun[] {
  if (allocation.runs) return allocation.runs;
  const runs: PageRun[] = [];
  allocation.pages.forEach((page, i) => {
    const last = runs[runs.length - 1];
    if (last && samePageCell(last.page, page)) last.count++;
    else runs.push({ start: i, count: 1, page });
  });
  return runs;
}

/** Rows of 16 pages; three or more alike rows in a row fold into one drawn row and a fold. */
export function gridRows(runs: readonly PageRun[]): GridRow[] {
  const rows: GridRow[] = [];
  const total = runs.reduce((n, r) => n + r.count, 0);
  let r = 0;
  let pos = 0;
  while (pos < total) {
    while (runs[r]!.start + runs[r]!.count <= pos) r++;
    const run = runs[r]!;
    const runEnd = run.start + run.count;
    // Whole rows inside this run, starting here.
    const whole = Math.floor((runEnd - pos) / PAGES_PER_ROW);
    if (whole >= 3) {
      rows.push({ kind: 'cells', first: pos, cells: Array(PAGES_PER_ROW).fill(run.page) });
      const folded = whole - 1;
      rows.push({
        kind: 'fold',
        first: pos + PAGES_PER_ROW,
        rows: folded,
        pages: folded * PAGES_PER_ROW,
        page: run.page,
      });
      pos += whole * PAGES_PER_ROW;
      continue;
    }
    const end = Math.min(pos + PAGES_PER_ROW, total);
    const cells: PageCell[] = [];
    for (let page = pos, i = r; page < end; page++) {
      while (runs[i]!.start + runs[i]!.count <= page) i++;
      cells.push(runs[i]!.page);
    }
    rows.push({ kind: 'cells', first: pos, cells });
    pos = end;
  }
  return rows;
}
