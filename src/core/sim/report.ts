/**
 * The simulated process in the shared model. Regions are what a VirtualQuery walk plus
 * QueryWorkingSetEx would return, turned into Regions by the Windows source's own
 * `queriedRegion` and `freeRegion` (the pieces of `toRegions`), so a simulated process and a real
 * one are classified identically (unusable granule tails included; report.test.ts checks it
 * against toRegions over the VirtualQuery walk). Counters are GetProcessMemoryInfo's.
 */
import type { Counters, Region, WorkingSet } from '../../shared/model';
import { formatAddress } from '../../shared/address';
import type { ExtraGroup } from '../../shared/extraColumns';
import {
  type RegionColumns,
  RegionRowWriter,
  StringTable,
  allocateRegionColumns,
} from '../../shared/snapshotColumns';
import {
  type AddressUses,
  type QueriedRegion,
  addLabel,
  freeRegion,
  noUses,
  queriedRegion,
} from '../win32/regions';
import type { Allocation } from './allocation';
import { GRANULE_PAGES, USER_END_PAGE, USER_MIN_PAGE } from './addressSpace';
import { PAGE_SIZE, pageOf } from './layout';
import { type SimProcess, runProtect, runState } from './process';

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

/** A page's first address as the model writes it (a number: page · 4096 is exact in a double). */
const pageAddress = (page: number): string => `0x${(page * PAGE_SIZE).toString(16)}`;

/**
 * The free pages [fromPage, toPage) as toRegions splits a free VirtualQuery answer: the
 * unusable rest of a granule, then the free granules after it.
 */
function visitFree(visit: Visit, fromPage: number, toPage: number): void {
  const aligned = granuleAfter(fromPage);
  if (aligned > fromPage) {
    const end = Math.min(aligned, toPage);
    visit(freeRegion(pageAddress(fromPage), (end - fromPage) * PAGE_SIZE, 'unusable'));
  }
  if (aligned < toPage)
    visit(freeRegion(pageAddress(aligned), (toPage - aligned) * PAGE_SIZE, 'free'));
}

/** How many regions visitFree makes of the free pages [fromPage, toPage). */
function freeCount(fromPage: number, toPage: number): number {
  const aligned = granuleAfter(fromPage);
  return (aligned > fromPage ? 1 : 0) + (aligned < toPage ? 1 : 0);
}

/** The first granule boundary at or after a page. */
const granuleAfter = (page: number): number => Math.ceil(page / GRANULE_PAGES) * GRANULE_PAGES;

/**
 * One allocation's regions, one per run, as the VirtualQuery walk and toRegions would give them:
 * its base formatted once, sizes in numbers, no bigint per region.
 */
function visitAllocation(
  visit: Visit,
  a: Allocation,
  uses: AddressUses,
  labels: ReadonlyMap<number, string>,
): void {
  const sets = workingSetByRun(a);
  const allocationBaseText = formatAddress(a.base);
  const path = a.view?.section.file ?? null;
  const runs = a.runs.all;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const from = a.basePage + run.start;
    const region: QueriedRegion = {
      base: i === 0 ? allocationBaseText : pageAddress(from),
      size: (run.end - run.start) * PAGE_SIZE,
      allocationBase: a.base,
      allocationBaseText,
      allocationProtect: a.allocationProtect,
      state: runState(run),
      protect: runProtect(run),
      type: a.memType,
      path,
      workingSet: sets[i]!,
      label: labels.get(from) ?? null,
    };
    visit(queriedRegion(region, uses));
  }
}

/** What each allocation is for, as the PEB would tell the Windows source: heap segments and large blocks. */
export function addressUses(process: SimProcess): AddressUses {
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

type Visit = (region: Region) => void;

/** What a walk of the user range meets: free gaps and allocations, in address order. */
interface SpaceWalk {
  gap(fromPage: number, toPage: number): void;
  allocation(a: Allocation): void;
}

function walkSpace(process: SimProcess, options: RegionOptions, walk: SpaceWalk): void {
  const includeFree = options.includeFree ?? true;
  let cursor = USER_MIN_PAGE;
  for (const a of process.space.all) {
    if (includeFree && a.basePage > cursor) walk.gap(cursor, a.basePage);
    walk.allocation(a);
    cursor = a.endPage;
  }
  if (includeFree && cursor < USER_END_PAGE) walk.gap(cursor, USER_END_PAGE);
}

/**
 * Every region of the user address space in address order (free gaps included unless asked not
 * to): the VirtualQuery walk with each answer's working set, classified by the Windows source's
 * own rules, in one pass that keeps nothing per region (a million-region walk that first listed
 * every answer kept them all alive into the old generation).
 */
function walkRegions(process: SimProcess, options: RegionOptions, visit: Visit): void {
  const uses = addressUses(process);
  const labels = new Map<number, string>();
  for (const [base, label] of uses.labels) labels.set(pageOf(base), label);
  walkSpace(process, options, {
    gap: (from, to) => visitFree(visit, from, to),
    allocation: (a) => visitAllocation(visit, a, uses, labels),
  });
}

/** How many regions walkRegions visits, counted without making them. */
function regionCount(process: SimProcess, options: RegionOptions): number {
  let count = 0;
  walkSpace(process, options, {
    gap: (from, to) => (count += freeCount(from, to)),
    allocation: (a) => (count += a.runs.length),
  });
  return count;
}

export function processRegions(process: SimProcess, options: RegionOptions = {}): Region[] {
  const out: Region[] = [];
  walkRegions(process, options, (r) => out.push(r));
  return out;
}

/** The `windows` fields queriedRegion gives every region that is not free, as extra columns. */
const WINDOWS_EXTRAS: ExtraGroup = {
  name: 'windows',
  fields: [
    { key: 'memType', kind: 'string' },
    { key: 'state', kind: 'string' },
    { key: 'protectValue', kind: 'number' },
    { key: 'allocationProtectValue', kind: 'number' },
    { key: 'workingSetKnown', kind: 'json' },
  ],
};

/**
 * processRegions as columns (what a snapshot is encoded and written from), each Region written
 * to its row and dropped: at a million regions none of them lives on for the collector to walk
 * again and again, only the columns do.
 */
export function processRegionColumns(
  process: SimProcess,
  options: RegionOptions = {},
): RegionColumns {
  // Counted first: at a million regions the columns are a hundred megabytes, and the collector
  // runs a full collection for every so many megabytes of them.
  const count = regionCount(process, options);
  const table = new StringTable();
  const columns = allocateRegionColumns(count, table.strings, [WINDOWS_EXTRAS]);
  const rows = new RegionRowWriter(columns, table);
  let row = 0;
  walkRegions(process, options, (r) => rows.write(row++, r));
  if (row !== count) throw new Error(`counted ${count} regions, walked ${row}`);
  return columns;
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
