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

export function allocationCells(process: SimProcess, a: Allocation): SandboxAllocation {
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
  };
}
