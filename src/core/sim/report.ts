/**
 * The simulated process in the shared model: Region[] (what a VirtualQuery walk plus
 * QueryWorkingSetEx would give, classified as VMMap does) and Counters (GetProcessMemoryInfo).
 */
import type { Counters, Region, WorkingSet as RegionWorkingSet } from '../../shared/model';
import { memName, protectName } from '../../shared/winConstants';
import type { Allocation } from './allocation';
import { GRANULARITY, PAGE_SIZE, USER_END, USER_MIN, alignUp, hex } from './layout';
import { COMMITTED } from './pageRuns';
import { regionInfo, type MemoryBasicInfo, type SimProcess } from './process';

export interface RegionOptions {
  includeFree?: boolean;
}

const emptyWorkingSet = (): RegionWorkingSet => ({ total: 0, private: 0, shareable: 0, shared: 0, locked: 0 });

function freeRegion(base: bigint, end: bigint, kind: 'free' | 'unusable'): Region {
  return {
    base: hex(base),
    size: Number(end - base),
    allocationBase: null,
    state: 'free',
    // VirtualQuery reports PAGE_NOACCESS for free memory; the model shows no protection, as VMMap does.
    protect: null,
    allocationProtect: null,
    type: null,
    kind,
    committed: 0,
    workingSet: emptyWorkingSet(),
    path: null,
    details: kind === 'unusable' ? 'tail of a 64 KiB allocation granule' : null,
    windows: { memType: null, state: 'MEM_FREE' },
  };
}

/** Resident and locked pages per run of one allocation, from its touched pages only. */
function residentByRun(a: Allocation): { total: number[]; locked: number[] } {
  const total = new Array<number>(a.runs.length).fill(0);
  const locked = new Array<number>(a.runs.length).fill(0);
  for (const entry of a.pages.values()) {
    if (!entry.inWorkingSet) continue;
    const i = a.runs.indexAt(entry.page - a.basePage);
    total[i]! += 1;
    if (entry.locked) locked[i]! += 1;
  }
  return { total, locked };
}

function allocationRegions(a: Allocation): Region[] {
  const { total, locked } = residentByRun(a);
  return a.runs.all.map((run, i) => {
    const info: MemoryBasicInfo = regionInfo(a, run, a.basePage + run.start);
    const resident = total[i]! * PAGE_SIZE;
    return {
      base: hex(info.baseAddress),
      size: Number(info.regionSize),
      allocationBase: hex(a.base),
      state: run.state === COMMITTED ? 'committed' : 'reserved',
      protect: protectName(info.protect),
      allocationProtect: protectName(a.allocationProtect),
      type: 'private',
      kind: 'privateData',
      committed: run.state === COMMITTED ? Number(info.regionSize) : 0,
      // Private pages are never shared; issue 6's section pages fill shareable/shared.
      workingSet: { total: resident, private: resident, shareable: 0, shared: 0, locked: locked[i]! * PAGE_SIZE },
      path: null,
      details: null,
      windows: { memType: memName(a.memType), state: memName(info.state), protectValue: info.protect },
    };
  });
}

/** Every region of the user address space in address order (free gaps included unless asked not to). */
export function processRegions(process: SimProcess, options: RegionOptions = {}): Region[] {
  const includeFree = options.includeFree ?? true;
  const out: Region[] = [];
  let cursor = USER_MIN;
  const gap = (to: bigint): void => {
    if (includeFree && to > cursor) out.push(freeRegion(cursor, to, 'free'));
  };
  for (const a of process.space.all) {
    gap(a.base);
    out.push(...allocationRegions(a));
    const granuleEnd = alignUp(a.end, GRANULARITY);
    if (granuleEnd > a.end && includeFree) out.push(freeRegion(a.end, granuleEnd, 'unusable'));
    cursor = granuleEnd;
  }
  gap(USER_END);
  return out;
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
    privateWorkingSetSize: ws.size * PAGE_SIZE,
  };
}
