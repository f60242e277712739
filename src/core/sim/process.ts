/**
 * A simulated Windows x64 process: its address space and working set on a Machine, and the
 * memory-management API with Windows' exact rules and error codes. Every rule cites where it
 * comes from: Microsoft's documentation, or Wine's conformance tests (dlls/kernel32/tests/virtual.c,
 * dlls/ntdll/tests/virtual.c), which assert what real Windows does.
 */
import { MEM_FLAGS as M, PAGE_FLAGS as P, type AccessKind } from '../../shared/winConstants';
import type { MemoryBasicInfo } from '../win32/memoryBasicInfo';
import { Allocation, type Secured } from './allocation';
import { AddressSpace, GRANULE_PAGES, USER_END_PAGE } from './addressSpace';
import { ProcessHeaps } from './heap';
import { imagePages, type ImageLayout } from './images';
import { ProcessMappings } from './mappings';
import { markWritten } from './writtenPages';
import { PAGE_SIZE, USER_END, USER_MAX, USER_MIN, addressOfPage, pageOf } from './layout';
import { PhysicalPage, type Machine, type TrimTarget } from './machine';
import { COMMITTED, RESERVED, type PageRun } from './pageRuns';
import {
  allows,
  isGuard,
  isValidPrivateProtect,
  securedAllows,
  withAllocationCaching,
  withoutGuard,
} from './protection';
import { sectionsOf, type Section } from './sections';
import {
  failure,
  success,
  type AccessResult,
  type FaultTally,
  type SimException,
  type WinResult,
} from './results';
import { WorkingSet, type PageEntry } from './workingSet';
import type { VirtualMemory } from './virtualMemory';
import type { WorkingSetBits } from '../win32/workingSetBits';

/** VirtualLock's quota is the working-set minimum "minus a small overhead" (documented); we use 8 pages. */
export const LOCK_OVERHEAD_PAGES = 8;
/** SetProcessWorkingSetSize: a minimum under 20 pages becomes 20; a maximum under 13 pages fails. */
const MIN_WS_FLOOR = 20;
const MAX_WS_FLOOR = 13;
/** …and the maximum must stay below the machine's pages minus 512. */
const MAX_WS_HEADROOM = 512;
/** (SIZE_T)-1 as the scripts write it. */
export const SIZE_T_MINUS_ONE = -1;

export interface ProcessOptions {
  pid: number;
  name: string;
  workingSetMinimum: number;
  workingSetMaximum: number;
  /** Data Execution Prevention (default on, as for every x64 process). */
  dep?: boolean;
}

/** The pages [from, to) holding the bytes [address, address + size), size ≥ 1. */
function pageSpan(address: bigint, size: bigint): { from: number; to: number } {
  return { from: pageOf(address), to: pageOf(address + size - 1n) + 1 };
}

const noFaults = (): FaultTally => ({ demandZero: 0, soft: 0, hard: 0 });

/** A guard page fired: that one page keeps its protection without PAGE_GUARD. */
function clearGuard(a: Allocation, index: number, protect: number): void {
  const cleared = { state: COMMITTED, protect: withoutGuard(protect) } as const;
  a.runs.update(index, index + 1, () => cleared);
}

export class SimProcess implements TrimTarget, VirtualMemory {
  readonly pid: number;
  readonly name: string;
  readonly space = new AddressSpace();
  readonly workingSet: WorkingSet;
  /** With DEP off, executing any readable page works (only 32-bit processes can turn it off on Windows). */
  readonly dep: boolean;
  /** Thread stacks by allocation base: thread id. */
  readonly stacks = new Map<bigint, number>();
  /** What the kernel made at process start (PEB, TEBs, KUSER_SHARED_DATA), by region base: its label. */
  readonly labels = new Map<bigint, string>();
  softFaults = 0;
  hardFaults = 0;
  private commitPages = 0;
  private peakCommitPages = 0;
  private virtualBytes = 0n;
  private peakVirtualBytes = 0n;
  private heapState: ProcessHeaps | null = null;
  private mappingState: ProcessMappings | null = null;

  constructor(
    readonly machine: Machine,
    options: ProcessOptions,
  ) {
    this.pid = options.pid;
    this.name = options.name;
    this.dep = options.dep ?? true;
    this.workingSet = new WorkingSet(
      machine,
      Math.max(MIN_WS_FLOOR, Math.floor(options.workingSetMinimum / PAGE_SIZE)),
      Math.max(MAX_WS_FLOOR, Math.floor(options.workingSetMaximum / PAGE_SIZE)),
    );
    machine.attach(this);
  }

  /** The process's heaps; the default process heap is made on first use. */
  get heaps(): ProcessHeaps {
    return (this.heapState ??= new ProcessHeaps(this));
  }

  /** Make the process heap now, its first segment at `base` (process start, startup.ts). */
  createProcessHeap(base: bigint): ProcessHeaps {
    return (this.heapState ??= new ProcessHeaps(this, base));
  }

  /** The heaps if any were made (reports must not create the process heap as a side effect). */
  get heapsIfMade(): ProcessHeaps | null {
    return this.heapState;
  }

  /** The process's file-mapping handles. */
  get mappings(): ProcessMappings {
    return (this.mappingState ??= new ProcessMappings(this));
  }

  // ---- TrimTarget ----

  workingSetPages(): number {
    return this.workingSet.size;
  }

  trimOne(): boolean {
    return this.workingSet.trimOne();
  }

  // ---- figures the counters are made of ----

  get privateCommitPages(): number {
    return this.commitPages;
  }

  get peakPrivateCommitPages(): number {
    return this.peakCommitPages;
  }

  get virtualSize(): bigint {
    return this.virtualBytes;
  }

  get peakVirtualSize(): bigint {
    return this.peakVirtualBytes;
  }

  private charge(pages: number): boolean {
    if (!this.machine.charge(pages)) return false;
    this.commitPages += pages;
    if (this.commitPages > this.peakCommitPages) this.peakCommitPages = this.commitPages;
    return true;
  }

  private uncharge(pages: number): void {
    this.machine.uncharge(pages);
    this.commitPages -= pages;
  }

  /** The allocation wholly containing pages [from, to), or null (ERROR_INVALID_ADDRESS). */
  private allocationSpanning(from: number, to: number): Allocation | null {
    const a = this.space.findPage(from);
    return a && to <= a.endPage ? a : null;
  }

  // ---- VirtualAlloc ----

  virtualAlloc(
    address: bigint | null,
    size: bigint,
    type: number,
    protect: number,
  ): WinResult<bigint> {
    const known =
      M.MEM_COMMIT |
      M.MEM_RESERVE |
      M.MEM_RESET |
      M.MEM_RESET_UNDO |
      M.MEM_TOP_DOWN |
      M.MEM_WRITE_WATCH;
    // MEM_LARGE_PAGES, MEM_PHYSICAL and AT_ROUND_TO_PAGE are not simulated; the last is rejected
    // by Windows too (Wine kernel32 test_VirtualAlloc: AT_ROUND_TO_PAGE → 87).
    if (type & ~known) return failure('ERROR_INVALID_PARAMETER');
    // MEM_WRITE_WATCH needs MEM_RESERVE (VirtualAlloc docs; Wine test_write_watch: MEM_WRITE_WATCH
    // alone → 87, MEM_RESERVE|MEM_WRITE_WATCH works).
    if (type & M.MEM_WRITE_WATCH && !(type & M.MEM_RESERVE))
      return failure('ERROR_INVALID_PARAMETER');
    if (type & (M.MEM_RESET | M.MEM_RESET_UNDO)) {
      // "MEM_RESET cannot be used with any other value" (VirtualAlloc docs; ReactOS's NtAllocateVirtualMemory
      // apitest: MEM_COMMIT|MEM_RESET and MEM_TOP_DOWN|MEM_RESET fail with an invalid-parameter status).
      if (type !== M.MEM_RESET && type !== M.MEM_RESET_UNDO)
        return failure('ERROR_INVALID_PARAMETER');
      return this.reset(address, size, protect, type === M.MEM_RESET_UNDO);
    }
    if (!(type & (M.MEM_COMMIT | M.MEM_RESERVE))) return failure('ERROR_INVALID_PARAMETER');
    // Size 0 fails (Wine test_VirtualAlloc: VirtualAlloc(0, 0, MEM_RESERVE, ...) → 87).
    if (size === 0n) return failure('ERROR_INVALID_PARAMETER');
    // Protection 0 and invalid combinations fail (Wine test_VirtualAlloc: "invalid protection values").
    if (!isValidPrivateProtect(protect)) return failure('ERROR_INVALID_PARAMETER');
    if (
      address !== null &&
      (address < USER_MIN || address > USER_MAX || address + size > USER_END)
    ) {
      return failure('ERROR_INVALID_PARAMETER');
    }
    const commit = (type & M.MEM_COMMIT) !== 0;
    // MEM_COMMIT with a NULL address reserves too (VirtualAlloc docs).
    if (type & M.MEM_RESERVE || address === null) {
      const r = this.reserve(address, size, protect, commit, (type & M.MEM_TOP_DOWN) !== 0);
      if (r.ok && type & M.MEM_WRITE_WATCH) this.space.find(r.value)!.writeWatch = new Set();
      return r;
    }
    return this.commit(address, size, protect);
  }

  private reserve(
    address: bigint | null,
    size: bigint,
    protect: number,
    commit: boolean,
    topDown: boolean,
  ): WinResult<bigint> {
    let basePage: number;
    let endPage: number;
    if (address === null) {
      if (size > USER_END - USER_MIN) return failure('ERROR_NOT_ENOUGH_MEMORY');
      const pages = pageOf(size - 1n) + 1;
      const placed = this.space.place(pages, topDown);
      if (placed === null) return failure('ERROR_NOT_ENOUGH_MEMORY');
      basePage = placed;
      endPage = placed + pages;
    } else {
      // The base rounds down to 64 KiB and the end up to a page (VirtualAlloc docs); a range that
      // overlaps an allocation conflicts (Wine ntdll test_NtAllocateVirtualMemory: addr1+0x1000 →
      // STATUS_CONFLICTING_ADDRESSES, which Win32 reports as ERROR_INVALID_ADDRESS).
      const span = pageSpan(address, size);
      basePage = Math.floor(span.from / GRANULE_PAGES) * GRANULE_PAGES;
      endPage = span.to;
      if (!this.space.isFree(basePage, endPage)) return failure('ERROR_INVALID_ADDRESS');
    }
    const pages = endPage - basePage;
    if (commit && !this.charge(pages)) return failure('ERROR_COMMITMENT_LIMIT');
    const allocation = new Allocation(
      basePage,
      pages,
      protect,
      M.MEM_PRIVATE,
      commit ? protect : null,
    );
    this.space.insert(allocation);
    this.virtualBytes += allocation.size;
    if (this.virtualBytes > this.peakVirtualBytes) this.peakVirtualBytes = this.virtualBytes;
    return success(allocation.base);
  }

  private commit(address: bigint, size: bigint, protect: number): WinResult<bigint> {
    // A commit works in pages inside one reservation (VirtualAlloc docs); free memory or a span
    // crossing the end of the reservation fails with ERROR_INVALID_ADDRESS.
    const span = pageSpan(address, size);
    const a = this.allocationSpanning(span.from, span.to);
    if (!a) return failure('ERROR_INVALID_ADDRESS');
    // Committing over a secured allocation changes its protection: the same rule as VirtualProtect.
    if (a.secured && !securedAllows(a.secured, protect)) return failure('ERROR_INVALID_PARAMETER');
    const from = span.from - a.basePage;
    const to = span.to - a.basePage;
    const fresh = a.runs.count(from, to, (r) => r.state === RESERVED);
    if (!this.charge(fresh)) return failure('ERROR_COMMITMENT_LIMIT');
    a.committedPages += fresh;
    // Committing committed pages is not an error; they take the new protection like the rest.
    const value = {
      state: COMMITTED,
      protect: withAllocationCaching(protect, a.allocationProtect),
    } as const;
    a.runs.update(from, to, () => value);
    return success(addressOfPage(span.from));
  }

  /**
   * MEM_RESET / MEM_RESET_UNDO. Reserved pages in the range are fine, a range running past the
   * reservation fails with 487 (Wine test_VirtualAlloc: MEM_RESET at addr1+0x1000 over reserved
   * pages succeeds; at addr1+0xf000 for 0x2000 bytes → ERROR_INVALID_ADDRESS). The protection is
   * ignored but must be valid (VirtualAlloc docs).
   */
  private reset(
    address: bigint | null,
    size: bigint,
    protect: number,
    undo: boolean,
  ): WinResult<bigint> {
    if (address === null || size === 0n || !isValidPrivateProtect(protect))
      return failure('ERROR_INVALID_PARAMETER');
    const { from, to } = pageSpan(address, size);
    if (!this.allocationSpanning(from, to)) return failure('ERROR_INVALID_ADDRESS');
    const a = this.space.findPage(from)!;
    let lost = false;
    for (const entry of a.touchedIn(from, to)) {
      if (!undo) this.machine.reset(entry.phys);
      else if (entry.phys.reset && !entry.phys.hasContents) lost = true;
      else if (entry.phys.reset) this.machine.undoReset(entry.phys);
    }
    // MEM_RESET_UNDO fails when some reset page was already thrown away (its data reads as
    // zeroes). Windows does not document which error it sets; the simulator uses 487.
    return lost ? failure('ERROR_INVALID_ADDRESS') : success(addressOfPage(from));
  }

  // ---- VirtualFree ----

  virtualFree(address: bigint | null, size: bigint, type: number): WinResult<true> {
    // Exactly one of MEM_DECOMMIT / MEM_RELEASE (Wine test_VirtualAlloc: type 0 and MEM_FREE → 87).
    if (type !== M.MEM_DECOMMIT && type !== M.MEM_RELEASE)
      return failure('ERROR_INVALID_PARAMETER');
    // MEM_RELEASE needs size 0 (Wine test_VirtualAlloc: VirtualFree(addr1, 1, MEM_RELEASE) → 87).
    if (type === M.MEM_RELEASE && size !== 0n) return failure('ERROR_INVALID_PARAMETER');
    if (address === null) return failure('ERROR_INVALID_ADDRESS');
    if (address > USER_MAX) return failure('ERROR_INVALID_PARAMETER');
    const a = this.space.find(address);
    if (!a) return failure('ERROR_INVALID_ADDRESS');
    // A view is unmapped, not freed (Wine test_MapViewOfFile: VirtualFree(view, 0x10000, MEM_DECOMMIT) → 87).
    // The PEB, TEBs and KUSER_SHARED_DATA are secured: STATUS_INVALID_PAGE_PROTECTION, 87 (ReactOS
    // MiCheckSecuredVad; MmSecureVirtualMemory's docs: secured memory "cannot be freed").
    if (a.view || a.secured) return failure('ERROR_INVALID_PARAMETER');
    const inFirstPage = pageOf(address) === a.basePage;
    if (type === M.MEM_RELEASE || size === 0n) {
      // Size 0 means the whole allocation and needs an address in its first page (Wine ntdll
      // test_NtAllocateVirtualMemory: base+0xfff works, base+0x1001 → STATUS_FREE_VM_NOT_AT_BASE → 487).
      if (!inFirstPage) return failure('ERROR_INVALID_ADDRESS');
      if (type === M.MEM_RELEASE) this.release(a);
      else this.decommit(a, a.basePage, a.basePage + a.pageCount);
      return success(true);
    }
    // Decommit the pages the bytes touch, within one allocation (Wine ntdll test: 2 bytes at
    // base+0x1fff decommit two pages); decommitting reserved pages is fine. A range running past
    // the allocation's end is STATUS_UNABLE_TO_FREE_VM, which Win32 reports as 87 (ReactOS
    // NtFreeVirtualMemory apitest: one page + 1 byte, and one page from base+1).
    const { from, to } = pageSpan(address, size);
    if (to > a.endPage) return failure('ERROR_INVALID_PARAMETER');
    this.decommit(a, from, to);
    return success(true);
  }

  private dropPages(a: Allocation, from: number, to: number): void {
    for (const entry of a.touchedIn(from, to)) {
      if (entry.phys.backing.kind === 'section') {
        // A shared page only leaves this working set; it goes to standby when no one else holds it.
        this.workingSet.remove(entry);
      } else {
        this.workingSet.remove(entry, true);
        this.machine.discard(entry.phys);
      }
      a.pages.delete(entry.page);
    }
  }

  private decommit(a: Allocation, fromPage: number, toPage: number): void {
    const from = fromPage - a.basePage;
    const to = toPage - a.basePage;
    const committed = a.runs.count(from, to, (r) => r.state === COMMITTED);
    this.dropPages(a, fromPage, toPage);
    this.uncharge(committed);
    a.committedPages -= committed;
    a.runs.update(from, to, () => ({ state: RESERVED, protect: 0 }));
  }

  private release(a: Allocation): void {
    this.dropPages(a, a.basePage, a.basePage + a.pageCount);
    this.uncharge(a.view ? a.view.chargedPages : a.committedPages);
    this.space.remove(a);
    this.virtualBytes -= a.size;
    if (a.view) sectionsOf(this.machine).unmapped(a.view.section);
  }

  // ---- mapped views ----

  /**
   * Map pages [offsetPages, offsetPages + pages) of `section` with `protect` at `address` (rounded
   * down to 64 KiB) or wherever there is room. The view is committed throughout and charges no
   * private commit, except a copy-on-write view, which charges its size (each page may become a
   * private copy).
   */
  mapView(
    section: Section,
    offsetPages: number,
    pages: number,
    protect: number,
    address: bigint | null,
  ): WinResult<bigint> {
    let basePage: number;
    if (address === null) {
      const placed = this.space.place(pages, false);
      if (placed === null) return failure('ERROR_NOT_ENOUGH_MEMORY');
      basePage = placed;
    } else {
      if (address < USER_MIN || address > USER_MAX) return failure('ERROR_INVALID_PARAMETER');
      basePage = Math.floor(pageOf(address) / GRANULE_PAGES) * GRANULE_PAGES;
      if (!this.space.isFree(basePage, basePage + pages)) return failure('ERROR_INVALID_ADDRESS');
    }
    const copy = protect === P.PAGE_WRITECOPY || protect === P.PAGE_EXECUTE_WRITECOPY;
    const charged = copy ? pages : 0;
    if (!this.charge(charged)) return failure('ERROR_COMMITMENT_LIMIT');
    const a = new Allocation(basePage, pages, protect, M.MEM_MAPPED, protect);
    // Views charge no private commit for their pages (only copy-on-write views, above).
    a.committedPages = 0;
    a.view = { section, offsetPages, chargedPages: charged };
    section.views++;
    this.space.insert(a);
    this.virtualBytes += a.size;
    if (this.virtualBytes > this.peakVirtualBytes) this.peakVirtualBytes = this.virtualBytes;
    return success(a.base);
  }

  /**
   * Load an image: a MEM_IMAGE view of the file's image section with each PE section's protection.
   * At the preferred base it shares every page with other processes; elsewhere (the base is taken)
   * the loader's relocation writes make private copies of the relocated sections' pages. The
   * copy-on-write pages charge commit, as Windows charges an image's writable pages.
   */
  mapImage(layout: ImageLayout): WinResult<{ base: bigint; relocated: boolean }> {
    const pages = imagePages(layout);
    const section = sectionsOf(this.machine).image(layout.path, pages);
    let basePage = pageOf(layout.preferredBase);
    const relocated = !this.space.isFree(basePage, basePage + pages);
    if (relocated) {
      const placed = this.space.place(pages, true);
      if (placed === null) return failure('ERROR_NOT_ENOUGH_MEMORY');
      basePage = placed;
    }
    const writeCopyPages = layout.sections
      .filter((s) => s.protect === P.PAGE_WRITECOPY)
      .reduce((n, s) => n + s.pages, 0);
    if (!this.charge(writeCopyPages)) return failure('ERROR_COMMITMENT_LIMIT');
    const a = new Allocation(
      basePage,
      pages,
      P.PAGE_EXECUTE_WRITECOPY,
      M.MEM_IMAGE,
      P.PAGE_READONLY,
    );
    a.committedPages = 0;
    a.view = { section, offsetPages: 0, chargedPages: writeCopyPages };
    let at = 0;
    for (const s of layout.sections) {
      const value = { state: COMMITTED, protect: s.protect } as const;
      a.runs.update(at, at + s.pages, () => value);
      at += s.pages;
    }
    section.views++;
    this.space.insert(a);
    this.virtualBytes += a.size;
    if (this.virtualBytes > this.peakVirtualBytes) this.peakVirtualBytes = this.virtualBytes;
    if (relocated) this.applyRelocations(a, layout);
    return success({ base: a.base, relocated });
  }

  /** The loader patches every page of the relocated sections: each becomes a private copy, keeping its protection. */
  private applyRelocations(a: Allocation, layout: ImageLayout): void {
    const faults = noFaults();
    let at = 0;
    for (const s of layout.sections) {
      for (let i = at; s.relocated && i < at + s.pages; i++) {
        const entry = this.fault(a, a.basePage + i, faults);
        if (!entry) return;
        const copy = this.copyOnWrite(a, i, entry, a.runs.at(i).protect, faults);
        if (copy) this.machine.dirty(copy.phys);
      }
      at += s.pages;
    }
  }

  /**
   * Memory the kernel makes for the process at an exact page (not 64 KiB) boundary: the PEB, a TEB,
   * KUSER_SHARED_DATA. Committed throughout, MEM_PRIVATE, its allocation protection `protect`. Each
   * charges its pages as commit (KUSER_SHARED_DATA's one page too: the simulator's simplification).
   */
  createSystemAllocation(
    address: bigint,
    bytes: number,
    protect: number,
    label: string,
    secured: Secured,
  ): WinResult<bigint> {
    const basePage = pageOf(address);
    const pages = Math.ceil(bytes / PAGE_SIZE);
    if (!this.space.isFree(basePage, basePage + pages)) return failure('ERROR_INVALID_ADDRESS');
    if (!this.charge(pages)) return failure('ERROR_COMMITMENT_LIMIT');
    const a = new Allocation(basePage, pages, protect, M.MEM_PRIVATE, protect);
    a.secured = secured;
    this.space.insert(a);
    this.virtualBytes += a.size;
    if (this.virtualBytes > this.peakVirtualBytes) this.peakVirtualBytes = this.virtualBytes;
    this.labels.set(a.base, label);
    return success(a.base);
  }

  /** A thread's stack as Windows makes it: a reservation with its top pages committed and a guard page below them. */
  createThreadStack(
    threadId: number,
    reserve = 0x100000,
    committed = 0x2000,
    at: bigint | null = null,
  ): WinResult<bigint> {
    const r = this.virtualAlloc(at, BigInt(reserve), M.MEM_RESERVE, P.PAGE_READWRITE);
    if (!r.ok) return r;
    const top = r.value + BigInt(reserve);
    const c = this.virtualAlloc(
      top - BigInt(committed),
      BigInt(committed),
      M.MEM_COMMIT,
      P.PAGE_READWRITE,
    );
    const g = this.virtualAlloc(
      top - BigInt(committed + PAGE_SIZE),
      BigInt(PAGE_SIZE),
      M.MEM_COMMIT,
      P.PAGE_READWRITE | P.PAGE_GUARD,
    );
    if (!c.ok || !g.ok) return failure('ERROR_NOT_ENOUGH_MEMORY');
    this.stacks.set(r.value, threadId);
    // The thread runs: its top page is in use.
    this.access('write', top - 8n, 8n);
    return success(r.value);
  }

  /** UnmapViewOfFile: any address inside a view unmaps it (Wine: ptr + 100 and ptr + 4096 work); anything else → 487. */
  unmapView(address: bigint): WinResult<true> {
    const a = address <= USER_MAX ? this.space.find(address) : null;
    // Image views unmap too: UnmapViewOfFile is NtUnmapViewOfSection, which takes any view.
    if (!a?.view) return failure('ERROR_INVALID_ADDRESS');
    this.release(a);
    return success(true);
  }

  /** FlushViewOfFile: write the view's dirty file pages in the range back to the file. */
  flushView(address: bigint, size: bigint): WinResult<true> {
    const a = address <= USER_MAX ? this.space.find(address) : null;
    if (!a?.view) return failure('ERROR_INVALID_ADDRESS');
    // Size 0 flushes to the end of the view (FlushViewOfFile docs).
    const to = size === 0n ? a.endPage : Math.min(a.endPage, pageOf(address + size - 1n) + 1);
    for (let index = pageOf(address) - a.basePage; index < to - a.basePage; index++) {
      const page = a.view.section.physical.get(a.view.offsetPages + index);
      if (page) this.machine.flushToFile(page);
    }
    return success(true);
  }

  // ---- VirtualProtect ----

  /** Returns the old protection of the first page. `hasOldProtect` false models a NULL lpflOldProtect. */
  virtualProtect(
    address: bigint,
    size: bigint,
    protect: number,
    hasOldProtect = true,
  ): WinResult<number> {
    // Invalid protections fail first (Wine test_VirtualAlloc: VirtualProtect with 0 or
    // PAGE_READWRITE|PAGE_EXECUTE_WRITECOPY → 87).
    if (!isValidPrivateProtect(protect)) return failure('ERROR_INVALID_PARAMETER');
    // lpflOldProtect may not be NULL (VirtualProtect docs: "If this parameter is NULL … the function fails").
    if (!hasOldProtect) return failure('ERROR_NOACCESS');
    // A zero-byte range is rejected (the simulator's reading of NtProtectVirtualMemory's size check).
    if (size === 0n || address > USER_MAX) return failure('ERROR_INVALID_PARAMETER');
    const span = pageSpan(address, size);
    const a = this.allocationSpanning(span.from, span.to);
    if (!a) return failure('ERROR_INVALID_ADDRESS');
    const from = span.from - a.basePage;
    const to = span.to - a.basePage;
    // Committed pages only (Wine test_VirtualAlloc: reserved, or partly committed → 487).
    if (!a.runs.every(from, to, (r) => r.state === COMMITTED))
      return failure('ERROR_INVALID_ADDRESS');
    if (a.secured && !securedAllows(a.secured, protect)) return failure('ERROR_INVALID_PARAMETER');
    const old = a.runs.at(from).protect;
    const value = {
      state: COMMITTED,
      protect: withAllocationCaching(protect, a.allocationProtect),
    } as const;
    a.runs.update(from, to, () => value);
    // PAGE_NOACCESS invalidates the pages: they leave the working set (keeping their contents) and
    // come back only when touched again, even after a later VirtualProtect makes them accessible
    // (Wine psapi test_QueryWorkingSetEx: Valid 0 after PAGE_NOACCESS and after PAGE_READWRITE
    // again, until the next read). Locked pages stay.
    if ((protect & 0xff) === P.PAGE_NOACCESS)
      for (const entry of a.touchedIn(span.from, span.to))
        if (!entry.locked) this.workingSet.remove(entry);
    return success(old);
  }

  // ---- QueryWorkingSetEx (Wine psapi test_QueryWorkingSetEx) ----

  /**
   * One page's PSAPI_WORKING_SET_EX_BLOCK. A page is Valid while it is in the working set; Valid
   * pages carry their protection, and section pages (files, images, shared memory) are Shared with
   * the count of working sets holding them. Free, reserved, untouched or trimmed pages, and any
   * address outside the user range, answer all zeroes: the call itself succeeds.
   */
  queryWorkingSetEx(address: bigint): WorkingSetBits {
    const none = { valid: false, shareCount: 0, win32Protection: 0, shared: false, locked: false };
    const a = address <= USER_MAX ? this.space.find(address) : null;
    const entry = a?.pages.get(pageOf(address));
    if (!a || !entry?.inWorkingSet) return none;
    const shared = entry.phys.backing.kind === 'section';
    return {
      valid: true,
      shareCount: shared ? Math.min(entry.phys.wsRefs, 7) : 0,
      win32Protection: a.runs.at(pageOf(address) - a.basePage).protect,
      shared,
      locked: entry.locked,
    };
  }

  // ---- write watch (Wine kernel32 test_write_watch; GetWriteWatch and ResetWriteWatch docs) ----

  /**
   * The watched allocation holding [address, address + size), or null: size 0, memory not
   * allocated with MEM_WRITE_WATCH, or a range past its end all fail with 87 (Wine test_write_watch).
   */
  private watched(
    address: bigint,
    size: bigint,
  ): { a: Allocation; from: number; to: number } | null {
    if (size === 0n || address > USER_MAX) return null;
    const { from, to } = pageSpan(address, size);
    const a = this.allocationSpanning(from, to);
    return a?.writeWatch ? { a, from: from - a.basePage, to: to - a.basePage } : null;
  }

  /**
   * GetWriteWatch: the pages written in the range since the last reset, in address order, at most
   * `max` of them; WRITE_WATCH_FLAG_RESET (1) resets the pages it reports, and only those (Wine:
   * count 1 with the reset flag reports and resets one page of three).
   */
  getWriteWatch(flags: number, address: bigint, size: bigint, max: number): WinResult<bigint[]> {
    // Unknown flags, a zero count, size 0 or an unwatched range → 87 (Wine test_write_watch).
    if (flags & ~1 || max === 0) return failure('ERROR_INVALID_PARAMETER');
    const w = this.watched(address, size);
    if (!w) return failure('ERROR_INVALID_PARAMETER');
    const pages = [...w.a.writeWatch!]
      .filter((i) => i >= w.from && i < w.to)
      .sort((x, y) => x - y)
      .slice(0, max);
    if (flags & 1) for (const i of pages) w.a.writeWatch!.delete(i);
    return success(pages.map((i) => addressOfPage(w.a.basePage + i)));
  }

  /** ResetWriteWatch: forget the writes in the range; size 0 or an unwatched range → 87 (Wine). */
  resetWriteWatch(address: bigint, size: bigint): WinResult<true> {
    const w = this.watched(address, size);
    if (!w) return failure('ERROR_INVALID_PARAMETER');
    for (const i of [...w.a.writeWatch!]) if (i >= w.from && i < w.to) w.a.writeWatch!.delete(i);
    return success(true);
  }

  // ---- VirtualQuery ----

  /** The MEMORY_BASIC_INFORMATION for `address`, as numbers; above the user range → 87. */
  virtualQuery(address: bigint): WinResult<MemoryBasicInfo> {
    if (address > USER_MAX || address < 0n) return failure('ERROR_INVALID_PARAMETER');
    const page = pageOf(address);
    const a = this.space.findPage(page);
    if (!a) {
      const next = this.space.nextAfter(page);
      return success({
        baseAddress: addressOfPage(page),
        allocationBase: 0n,
        allocationProtect: 0,
        regionSize: addressOfPage((next ? next.basePage : USER_END_PAGE) - page),
        state: M.MEM_FREE,
        // Free memory reports PAGE_NOACCESS and type 0.
        protect: 1,
        type: 0,
      });
    }
    return success(regionInfo(a, a.runs.at(page - a.basePage), page));
  }

  // ---- memory access ----

  /** Read, write or execute `size` bytes at `address` (size ≥ 1), page by page, as a CPU would. */
  access(kind: AccessKind, address: bigint, size = 1n): AccessResult {
    const faults = noFaults();
    if (size <= 0n) return { ok: true, faults };
    if (address > USER_MAX) {
      return {
        ok: false,
        exception: { name: 'EXCEPTION_ACCESS_VIOLATION', address, access: kind },
        faults,
      };
    }
    const first = pageOf(address);
    // Pages past the user range all fault the same way: stop at the first of them.
    const last = Math.min(pageOf(address + size - 1n), USER_END_PAGE);
    for (let page = first; page <= last; page++) {
      const name = this.touch(kind, page, faults);
      if (name) {
        const exception: SimException = {
          name,
          address: page === first ? address : addressOfPage(page),
          access: kind,
        };
        return { ok: false, exception, faults };
      }
    }
    return { ok: true, faults };
  }

  /** One page of an access; the exception it raises, if any. */
  private touch(kind: AccessKind, page: number, faults: FaultTally): SimException['name'] | null {
    const a = page < USER_END_PAGE ? this.space.findPage(page) : null;
    if (!a) return 'EXCEPTION_ACCESS_VIOLATION';
    const index = page - a.basePage;
    const run = a.runs.at(index);
    if (run.state !== COMMITTED) return 'EXCEPTION_ACCESS_VIOLATION';
    if (isGuard(run.protect)) {
      // The first touch raises STATUS_GUARD_PAGE_VIOLATION and clears the guard (one-shot alarm).
      clearGuard(a, index, run.protect);
      return 'STATUS_GUARD_PAGE_VIOLATION';
    }
    // PAGE_NOACCESS, writing a read-only page, and executing a non-executable one (DEP) all raise
    // EXCEPTION_ACCESS_VIOLATION with the access kind.
    if (!allows(run.protect, kind === 'execute' && !this.dep ? 'read' : kind))
      return 'EXCEPTION_ACCESS_VIOLATION';
    let entry = this.fault(a, page, faults);
    if (!entry) return 'STATUS_NO_MEMORY';
    if (kind === 'write' && isWriteCopy(run.protect)) {
      const writable =
        (run.protect & ~0xff) |
        (isExecutable(run.protect) ? P.PAGE_EXECUTE_READWRITE : P.PAGE_READWRITE);
      entry = this.copyOnWrite(a, index, entry, writable, faults);
      if (!entry) return 'STATUS_NO_MEMORY';
    }
    entry.accessed = true;
    if (kind === 'write') {
      markWritten(entry.phys, addressOfPage(page));
      if (!entry.phys.dirty) this.machine.dirty(entry.phys);
      a.writeWatch?.add(index);
    }
    return null;
  }

  /**
   * The first write to a copy-on-write page gives this process its own copy: a private page in a
   * fresh frame, the shared one left as it was for everyone else, and the page's protection becomes
   * PAGE_READWRITE (PAGE_EXECUTE_READWRITE) as VirtualQuery then shows.
   */
  private copyOnWrite(
    a: Allocation,
    index: number,
    shared: PageEntry,
    protectAfter: number,
    faults: FaultTally,
  ): PageEntry | null {
    const phys = new PhysicalPage({ kind: 'demandZero' });
    if (!this.machine.giveFrame(phys, false)) return null;
    this.workingSet.remove(shared);
    const copy: PageEntry = {
      page: shared.page,
      phys,
      inWorkingSet: false,
      locked: false,
      accessed: true,
    };
    a.pages.set(shared.page, copy);
    this.workingSet.add(copy);
    a.runs.update(index, index + 1, () => ({ state: COMMITTED, protect: protectAfter }));
    faults.soft++;
    this.softFaults++;
    return copy;
  }

  /** Make the page resident in this working set, counting the fault it takes (if any). */
  private fault(a: Allocation, page: number, faults: FaultTally): PageEntry | null {
    let entry = a.pages.get(page);
    if (entry?.inWorkingSet) return entry;
    if (!entry && a.view) {
      // A view's page is the section's shared page: resident already if another process touched it.
      const phys = a.view.section.page(a.view.offsetPages + page - a.basePage);
      entry = { page, phys, inWorkingSet: false, locked: false, accessed: true };
      a.pages.set(page, entry);
    }
    if (!entry) {
      const phys = new PhysicalPage({ kind: 'demandZero' });
      if (!this.machine.giveFrame(phys, true)) return null;
      entry = { page, phys, inWorkingSet: false, locked: false, accessed: true };
      a.pages.set(page, entry);
      faults.demandZero++;
      faults.soft++;
      this.softFaults++;
    } else if (entry.phys.list !== 'none') {
      // On standby or modified (or resident for another process): no I/O needed.
      this.machine.reclaim(entry.phys);
      faults.soft++;
      this.softFaults++;
    } else if (
      entry.phys.inPagefile ||
      (entry.phys.backing.kind === 'section' && entry.phys.backing.file)
    ) {
      // Back from the pagefile, or read from the mapped file: a hard fault.
      if (!this.machine.pageIn(entry.phys)) return null;
      faults.hard++;
      this.hardFaults++;
    } else {
      // A clean page whose frame was repurposed (never written, or reset): it comes back as zeroes.
      if (!this.machine.giveFrame(entry.phys, true)) return null;
      entry.phys.reset = false;
      faults.demandZero++;
      faults.soft++;
      this.softFaults++;
    }
    this.workingSet.add(entry);
    return entry;
  }

  // ---- VirtualLock / VirtualUnlock ----

  /** The committed pages of one allocation covering the span, or the error Windows gives. */
  private lockSpan(
    address: bigint,
    size: bigint,
  ): WinResult<{ a: Allocation; from: number; to: number }> {
    if (size === 0n || address > USER_MAX) return failure('ERROR_INVALID_PARAMETER');
    const { from, to } = pageSpan(address, size);
    const a = this.allocationSpanning(from, to);
    if (!a) return failure('ERROR_INVALID_ADDRESS');
    // "All pages in the specified region must be committed" (VirtualLock docs).
    if (!a.runs.every(from - a.basePage, to - a.basePage, (r) => r.state === COMMITTED)) {
      return failure('ERROR_INVALID_ADDRESS');
    }
    return success({ a, from, to });
  }

  virtualLock(address: bigint, size: bigint): WinResult<true> {
    const span = this.lockSpan(address, size);
    if (!span.ok) return span;
    const { a, from, to } = span.value;
    // "Memory protected with PAGE_NOACCESS cannot be locked" (VirtualLock docs).
    if (!a.runs.every(from - a.basePage, to - a.basePage, (r) => allows(r.protect, 'read'))) {
      return failure('ERROR_NOACCESS');
    }
    // The lock quota is the working-set minimum less a small overhead (VirtualLock docs). A span
    // longer than the quota can never fit, whatever is locked already: no need to walk it.
    const quota = this.workingSet.minimumPages - LOCK_OVERHEAD_PAGES;
    if (to - from > quota) return failure('ERROR_WORKING_SET_QUOTA');
    let newly = 0;
    for (let p = from; p < to; p++) if (!a.pages.get(p)?.locked) newly++;
    if (this.workingSet.locked + newly > quota) return failure('ERROR_WORKING_SET_QUOTA');
    // Locking touches the pages, so the first guard page fires its one-shot alarm: the call fails
    // with STATUS_GUARD_PAGE_VIOLATION as the last error and the guard is gone, so a second call
    // succeeds (Wine kernel32 test_guard_page).
    const base = from - a.basePage;
    for (
      let i = a.runs.indexAt(base);
      i < a.runs.length && a.runs.all[i]!.start < to - a.basePage;
      i++
    ) {
      const run = a.runs.all[i]!;
      if (!isGuard(run.protect)) continue;
      clearGuard(a, Math.max(run.start, base), run.protect);
      return failure('STATUS_GUARD_PAGE_VIOLATION');
    }
    const faults = noFaults();
    for (let p = from; p < to; p++) {
      const entry = this.fault(a, p, faults);
      if (!entry) return failure('ERROR_WORKING_SET_QUOTA');
      this.workingSet.setLocked(entry, true);
    }
    return success(true);
  }

  /**
   * Unlocking pages that are not locked fails with ERROR_NOT_LOCKED — and, as documented, removes
   * them from the working set (VirtualUnlock docs: "releases the pages from the process's working set").
   */
  virtualUnlock(address: bigint, size: bigint): WinResult<true> {
    const span = this.lockSpan(address, size);
    if (!span.ok) return span;
    const { a, from, to } = span.value;
    // More pages than are locked in all cannot all be locked: no need to walk them.
    let allLocked = to - from <= this.workingSet.locked;
    for (let p = from; allLocked && p < to; p++) if (!a.pages.get(p)?.locked) allLocked = false;
    if (!allLocked) {
      for (const entry of a.touchedIn(from, to)) if (!entry.locked) this.workingSet.remove(entry);
      return failure('ERROR_NOT_LOCKED');
    }
    for (const entry of a.touchedIn(from, to)) this.workingSet.setLocked(entry, false);
    return success(true);
  }

  // ---- working-set control ----

  setWorkingSetSize(minimum: number, maximum: number): WinResult<true> {
    // Both (SIZE_T)-1: remove as many pages as possible (SetProcessWorkingSetSize docs).
    if (minimum === SIZE_T_MINUS_ONE && maximum === SIZE_T_MINUS_ONE) {
      this.workingSet.empty();
      return success(true);
    }
    if (minimum <= 0 || maximum <= 0 || minimum > maximum)
      return failure('ERROR_INVALID_PARAMETER');
    const minPages = Math.max(MIN_WS_FLOOR, Math.floor(minimum / PAGE_SIZE));
    const maxPages = Math.floor(maximum / PAGE_SIZE);
    if (
      maxPages < MAX_WS_FLOOR ||
      maxPages > this.machine.totalPages - MAX_WS_HEADROOM ||
      minPages > maxPages
    ) {
      return failure('ERROR_INVALID_PARAMETER');
    }
    this.workingSet.minimumPages = minPages;
    this.workingSet.maximumPages = maxPages;
    this.workingSet.trimToMaximum();
    return success(true);
  }

  emptyWorkingSet(): WinResult<true> {
    this.workingSet.empty();
    return success(true);
  }
}

const isWriteCopy = (protect: number): boolean => {
  const base = protect & 0xff;
  return base === P.PAGE_WRITECOPY || base === P.PAGE_EXECUTE_WRITECOPY;
};
const isExecutable = (protect: number): boolean => (protect & 0xff) >= P.PAGE_EXECUTE;

/** MEMORY_BASIC_INFORMATION with numeric fields and bigint addresses. */
/** The region of `run` from page `from` on: never crosses the allocation (runs never do). */
export function regionInfo(a: Allocation, run: PageRun, from: number): MemoryBasicInfo {
  return {
    baseAddress: addressOfPage(from),
    allocationBase: a.base,
    allocationProtect: a.allocationProtect,
    regionSize: addressOfPage(a.basePage + run.end - from),
    state: runState(run),
    protect: runProtect(run),
    type: a.memType,
  };
}

/** A run's MEMORY_BASIC_INFORMATION.State. */
export const runState = (run: PageRun): number =>
  run.state === COMMITTED ? M.MEM_COMMIT : M.MEM_RESERVE;

/**
 * A run's MEMORY_BASIC_INFORMATION.Protect: reserved pages report 0 (Wine test_VirtualAlloc:
 * "NT reports Protect == 0 for a not committed memory block").
 */
export const runProtect = (run: PageRun): number => (run.state === COMMITTED ? run.protect : 0);
