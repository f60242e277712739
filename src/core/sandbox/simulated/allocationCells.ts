/**
 * One simulated allocation page by page, as the sandbox's grid shows it: state and protection
 * from its runs, and residency, locks and dirty bits from the model itself, which knows every page.
 */
import { formatAddress } from '../../../shared/address';
import type { RegionType } from '../../../shared/model';
import {
  MAX_GRID_PAGES,
  MAX_GRID_RUNS,
  type PageCell,
  type PageRun,
  type SandboxAllocation,
  samePageCell,
} from '../../../shared/sandboxSession';
import { MEM_FLAGS as M, PAGE_FLAGS as P, protectName } from '../../../shared/winConstants';
import type { Allocation } from '../../sim/allocation';
import { COMMITTED } from '../../sim/pageRuns';
import { processPageRuns } from '../../sim/pageStates';
import type { SimProcess } from '../../sim/process';

const TYPES: Readonly<Record<number, RegionType>> = {
  [M.MEM_PRIVATE]: 'private',
  [M.MEM_MAPPED]: 'mapped',
  [M.MEM_IMAGE]: 'image',
};

/** What process start made it for, or the file it maps: the grid's heading says so. */
function labelOf(process: SimProcess, a: Allocation): string | undefined {
  const thread = process.stacks.get(a.base);
  if (thread !== undefined) return `Stack of thread ${thread}`;
  const heap = process.heapsIfMade
    ?.all()
    .find((h) => h.segments.some((s) => BigInt(s.base) === a.base));
  if (heap) return heap === process.heaps.processHeap ? 'Process heap' : `Heap ${heap.id}`;
  const file = a.view?.section.file;
  if (file) return file.slice(file.lastIndexOf('\\') + 1);
  return process.labels.get(a.base);
}

export function allocationCells(process: SimProcess, a: Allocation): SandboxAllocation {
  const label = labelOf(process, a);
  const runs: PageRun[] = [];
  let truncated = false;
  for (const run of a.runs.all) {
    const committed = run.state === COMMITTED;
    const protect = committed ? protectName(run.protect) : null;
    const guard = committed && (run.protect & P.PAGE_GUARD) !== 0;
    let start = run.start;
    for (const state of processPageRuns(process, a.basePage + run.start, run.end - run.start)) {
      const page: PageCell = {
        state: committed ? 'committed' : 'reserved',
        protect,
        inWorkingSet: state.resident,
        locked: state.locked,
        guard,
        dirty: state.dirty,
      };
      const last = runs[runs.length - 1];
      if (last && samePageCell(last.page, page)) last.count += state.count;
      else if (runs.length < MAX_GRID_RUNS) runs.push({ start, count: state.count, page });
      else {
        // Past the cap the rest of the allocation draws as the last run, marked truncated.
        truncated = true;
        last!.count += state.count;
      }
      start += state.count;
    }
  }
  const pages: PageCell[] = [];
  for (const run of runs) {
    const shown = Math.min(run.count, MAX_GRID_PAGES - pages.length);
    for (let i = 0; i < shown; i++) pages.push(run.page);
    if (pages.length >= MAX_GRID_PAGES) break;
  }
  return {
    base: formatAddress(a.base),
    size: Number(a.size),
    type: TYPES[a.memType] ?? 'private',
    pages,
    truncated: truncated || a.pageCount > MAX_GRID_PAGES,
    runs,
    ...(label === undefined ? {} : { label }),
  };
}
