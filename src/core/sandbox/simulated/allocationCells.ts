/**
 * One simulated allocation page by page, as the sandbox's grid shows it: state and protection
 * from its runs, and residency, locks and dirty bits from the model itself, which knows every page.
 */
import { formatAddress } from '../../../shared/address';
import type { RegionType } from '../../../shared/model';
import {
  MAX_GRID_PAGES,
  type PageCell,
  type SandboxAllocation,
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
  const pages: PageCell[] = [];
  const label = labelOf(process, a);
  for (const run of a.runs.all) {
    const room = MAX_GRID_PAGES - pages.length;
    if (room <= 0) break;
    const shown = Math.min(run.end - run.start, room);
    const committed = run.state === COMMITTED;
    const protect = committed ? protectName(run.protect) : null;
    const guard = committed && (run.protect & P.PAGE_GUARD) !== 0;
    for (const state of processPageRuns(process, a.basePage + run.start, shown)) {
      const cell: PageCell = {
        state: committed ? 'committed' : 'reserved',
        protect,
        inWorkingSet: state.resident,
        locked: state.locked,
        guard,
        dirty: state.dirty,
      };
      for (let i = 0; i < state.count; i++) pages.push(cell);
    }
  }
  return {
    base: formatAddress(a.base),
    size: Number(a.size),
    type: TYPES[a.memType] ?? 'private',
    pages,
    truncated: a.pageCount > MAX_GRID_PAGES,
    ...(label === undefined ? {} : { label }),
  };
}
