/**
 * The simulated process in the shared model. Regions come from what a VirtualQuery walk plus
 * QueryWorkingSetEx would return, turned into Region[] by the Windows source's own `toRegions`,
 * so a simulated process and a real one are classified identically (unusable granule tails
 * included). Counters are GetProcessMemoryInfo's.
 */
import type { Counters, Region, WorkingSet } from '../../shared/model';
import { MEM_FLAGS as M } from '../../shared/winConstants';
import { addLabel, noUses, toRegions, type AddressUses, type RawRegion } from '../win32/regions';
import type { Allocation } from './allocation';
import { USER_END_PAGE, USER_MIN_PAGE } from './addressSpace';
import { GRANULARITY, PAGE_SIZE, addressOfPage } from './layout';
import { regionInfo, type SimProcess } from './process';

export interface RegionOptions {
  includeFree?: boolean;
}

/** Resident and locked pages per run of one allocation, from its touched pages only. */
function workingSetByRun(a: Allocation): WorkingSet[] {
  const sets = a.runs.all.map((): WorkingSet => ({
    total: 0,
    private: 0,
    shareable: 0,
    shared: 0,
    locked: 0,
  }));
  for (const entry of a.pages.values()) {
    if (!entry.inWorkingSet) continue;
    const ws = sets[a.runs.indexAt(entry.page - a.basePage)]!;
    ws.total += PAGE_SIZE;
    if (entry.phys.backing.kind === 'section') {
      // A section page is shareable; it is shared while another working set holds it too.
      ws.shareable += PAGE_SIZE;
      if (entry.phys.wsRefs > 1) ws.shared += PAGE_SIZE;
    } else {
      ws.private += PAGE_SIZE;
    }
    if (entry.locked) ws.locked += PAGE_SIZE;
  }
  return sets;
}

function freeRaw(fromPage: number, toPage: number): RawRegion {
  const mbi = {
    baseAddress: addressOfPage(fromPage),
    allocationBase: 0n,
    allocationProtect: 0,
    regionSize: addressOfPage(toPage - fromPage),
    state: M.MEM_FREE,
    protect: 1,
    type: 0,
  };
  return { mbi, path: null, workingSet: null };
}

/** The VirtualQuery walk of the whole user range, each answer with its working set. */
export function rawRegions(process: SimProcess): RawRegion[] {
  const out: RawRegion[] = [];
  let cursor = USER_MIN_PAGE;
  for (const a of process.space.all) {
    if (a.basePage > cursor) out.push(freeRaw(cursor, a.basePage));
    const sets = workingSetByRun(a);
    a.runs.all.forEach((run, i) => {
      out.push({
        mbi: regionInfo(a, run, a.basePage + run.start),
        path: a.view?.section.file ?? null,
        workingSet: sets[i]!,
      });
    });
    cursor = a.endPage;
  }
  if (cursor < USER_END_PAGE) out.push(freeRaw(cursor, USER_END_PAGE));
  return out;
}

/** What each allocation is for, as the PEB would tell the Windows source: heap segments and large blocks. */
function addressUses(process: SimProcess): AddressUses {
  const uses = noUses();
  for (const heap of process.heapsIfMade?.all() ?? []) {
    const details = heap.describe();
    for (const s of heap.segments) uses.heaps.set(BigInt(s.base), details);
    for (const l of heap.large.values())
      uses.heaps.set(BigInt(l.base), `Heap ID: ${heap.id} large block (${l.requested} bytes)`);
  }
  for (const [base, threadId] of process.stacks)
    uses.stacks.set(base, { threadId, details: `Thread ID: ${threadId}` });
  for (const a of process.space.all) {
    const section = a.view?.section;
    if (section?.name) uses.labels.set(a.base, `Section "${section.name}"`);
  }
  for (const [base, label] of process.labels) addLabel(uses, base, label);
  return uses;
}

/** Every region of the user address space in address order (free gaps included unless asked not to). */
export function processRegions(process: SimProcess, options: RegionOptions = {}): Region[] {
  const includeFree = options.includeFree ?? true;
  const uses = addressUses(process);
  const regions = rawRegions(process).flatMap((raw) => toRegions(raw, uses, Number(GRANULARITY)));
  return includeFree ? regions : regions.filter((r) => r.state !== 'free');
}

export function processCounters(process: SimProcess): Counters {
  const ws = process.workingSet;
  const commit = process.privateCommitPages * PAGE_SIZE;
  const peakCommit = process.peakPrivateCommitPages * PAGE_SIZE;
  return {
    workingSetSize: ws.size * PAGE_SIZE,
    peakWorkingSetSize: ws.peakSize * PAGE_SIZE,
    // For a process, PagefileUsage is its commit charge: the same figure as PrivateUsage.
    privateUsage: commit,
    pagefileUsage: commit,
    peakPagefileUsage: peakCommit,
    pageFaultCount: process.softFaults + process.hardFaults,
    softFaultCount: process.softFaults,
    hardFaultCount: process.hardFaults,
    virtualSize: Number(process.virtualSize),
    peakVirtualSize: Number(process.peakVirtualSize),
    // Pool usage is not simulated.
    quotaPagedPoolUsage: null,
    quotaNonPagedPoolUsage: null,
    privateWorkingSetSize: ws.privatePages * PAGE_SIZE,
  };
}
