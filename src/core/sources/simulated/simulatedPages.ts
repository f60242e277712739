/**
 * A range's page states from the simulated model, which knows every page: untouched pages cost
 * nothing and read as absent; a touched one is resident while in the working set, else on the
 * standby or modified list or in the pagefile. Only soft-dirty (a Linux notion) is unknown.
 */
import { VmscopeError } from '../../../shared/errors';
import { ABSENT_PAGE, PageRunBuilder, type PageState, type RegionPages } from '../../../shared/pageStates';
import type { Allocation } from '../../sim/allocation';
import type { PageEntry } from '../../sim/workingSet';
import { type PageSpan, spanPages } from '../pageSpan';
import type { Source } from '../source';
import type { SimulatedSource } from './simulatedSource';

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
function addAllocationPages(builder: PageRunBuilder, a: Allocation, from: number, to: number): void {
  const touched = a.touchedIn(from, to).sort((x, y) => x.page - y.page);
  let cursor = from;
  for (const entry of touched) {
    if (entry.page > cursor) builder.add(UNTOUCHED, entry.page - cursor);
    builder.add(entryState(entry));
    cursor = entry.page + 1;
  }
  if (to > cursor) builder.add(UNTOUCHED, to - cursor);
}

export function readSimulatedPages(source: Source, span: PageSpan): RegionPages {
  const { machine } = source as SimulatedSource;
  machine.sync();
  const simulated = machine.find(span.pid);
  if (!simulated) throw new VmscopeError('process-exited', `There is no simulated process ${span.pid}: it has exited, or the id is wrong.`);
  const space = simulated.process.space;
  const first = Number(span.firstPage);
  const end = first + span.pageCount;
  const builder = new PageRunBuilder();
  for (let page = first; page < end; ) {
    const a = space.findPage(page);
    if (a) {
      const stop = Math.min(end, a.endPage);
      addAllocationPages(builder, a, page, stop);
      page = stop;
    } else {
      const stop = Math.min(end, space.nextAfter(page)?.basePage ?? end);
      builder.add(UNTOUCHED, stop - page);
      page = stop;
    }
  }
  return spanPages(span, 'simulated', builder.runs, ['soft-dirty: a Linux page-table bit, not part of the Windows model.']);
}
