/**
 * A simulated process's pages as page states (src/shared/pageStates.ts), read from the model,
 * which knows every page: untouched pages cost nothing and read as absent; a touched one is
 * resident while in the working set, else on the standby or modified list or in the pagefile.
 * Only soft-dirty (a Linux notion) is unknown. The source's `region.pages` and the sandbox's page
 * grid both read pages here.
 */
import {
  ABSENT_PAGE,
  PageRunBuilder,
  type PageState,
  type PageStateRun,
} from '../../shared/pageStates';
import type { Allocation } from './allocation';
import type { SimProcess } from './process';
import type { PageEntry } from './workingSet';

/** A page never touched, or outside every allocation: not resident and nothing written. */
const UNTOUCHED: PageState = { ...ABSENT_PAGE, swapped: false, locked: false, dirty: false };

function entryState(entry: PageEntry): PageState {
  const { phys } = entry;
  const resident = entry.inWorkingSet;
  return {
    resident,
    swapped: !resident && phys.list === 'none' && phys.inPagefile,
    shared: resident ? phys.wsRefs > 1 : null,
    shareCount: resident ? phys.wsRefs : null,
    locked: entry.locked,
    dirty: phys.dirty,
    softDirty: null,
  };
}

/** Adds pages [from, to) of one allocation: its touched entries in page order, the gaps untouched. */
function addAllocationPages(
  builder: PageRunBuilder,
  a: Allocation,
  from: number,
  to: number,
): void {
  const touched = a.touchedIn(from, to).sort((x, y) => x.page - y.page);
  let cursor = from;
  for (const entry of touched) {
    if (entry.page > cursor) builder.add(UNTOUCHED, entry.page - cursor);
    builder.add(entryState(entry));
    cursor = entry.page + 1;
  }
  if (to > cursor) builder.add(UNTOUCHED, to - cursor);
}

/** The states of pages [first, first + count) of the process, as runs (start relative to `first`). */
export function processPageRuns(process: SimProcess, first: number, count: number): PageStateRun[] {
  const { space } = process;
  const end = first + count;
  const builder = new PageRunBuilder();
  for (let page = first; page < end;) {
    const a = space.findPage(page);
    const stop = a
      ? Math.min(end, a.endPage)
      : Math.min(end, space.nextAfter(page)?.basePage ?? end);
    if (a) addAllocationPages(builder, a, page, stop);
    else builder.add(UNTOUCHED, stop - page);
    page = stop;
  }
  return builder.runs;
}
