/**
 * The simulated machine: physical page frames on their lists (active, standby, modified, free,
 * zeroed), the pagefile, and the system commit charge against the commit limit (RAM + pagefile).
 * Processes (their address spaces and working sets) live on a machine; several may share one.
 *
 * Deterministic: nothing here reads a real clock or a random source. Background work (the
 * modified page writer, the zero page thread) runs when the clock is advanced, and on demand
 * when a fault needs a frame.
 */
import { PAGE_SIZE } from './layout';

/**
 * Where a page's contents come from when it is first touched or read back. Private memory is
 * demand-zero; file mappings and images (a later issue) add section pages shared between processes.
 */
export type PageBacking =
  { kind: 'demandZero' } | { kind: 'section'; sectionId: number; index: number; file: boolean };

/** Pages of a mapped file are written back to the file, never to the pagefile. */
const isFilePage = (page: PhysicalPage): boolean =>
  page.backing.kind === 'section' && page.backing.file;

/** Which list a physical page is on; `none` means it holds no frame (never touched, or repurposed). */
export type PageList = 'active' | 'standby' | 'modified' | 'none';

/** A page of contents as the machine sees it (Windows' PFN entry, roughly). */
export class PhysicalPage {
  list: PageList = 'none';
  /** Changed since it was last written to its backing store. */
  dirty = false;
  /** Holds a pagefile slot with its contents. */
  inPagefile = false;
  /** MEM_RESET was applied: the contents may be thrown away instead of written out. */
  reset = false;
  /** Working sets holding this page: 1 for private pages, more for shared section pages. */
  wsRefs = 0;
  /** Where the first write to it landed, or null: its bytes then (sim/pageContents.ts). */
  writtenAt: bigint | null = null;
  constructor(readonly backing: PageBacking) {}

  /** The contents exist somewhere (in RAM or in the pagefile). */
  get hasContents(): boolean {
    return this.list !== 'none' || this.inPagefile;
  }
}

/** Something whose working set the machine can trim when it runs short of frames. */
export interface TrimTarget {
  workingSetPages(): number;
  /** Trim one page the process can spare; false when nothing is trimmable (all locked). */
  trimOne(): boolean;
}

export interface MachineConfig {
  physicalMemory: number;
  pagefileSize: number;
}

export interface MachineStats {
  totalPages: number;
  activePages: number;
  standbyPages: number;
  modifiedPages: number;
  freePages: number;
  zeroedPages: number;
  pagefilePages: number;
  pagefileUsedPages: number;
  commitLimitPages: number;
  commitChargePages: number;
  pagesWritten: number;
  pagesRead: number;
  repurposed: number;
}

export class Machine {
  readonly totalPages: number;
  readonly pagefilePages: number;
  readonly commitLimitPages: number;
  /** Milliseconds since the machine started. */
  now = 0;
  private commitCharge = 0;
  private active = 0;
  private free = 0;
  private zeroed: number;
  private pagefileUsed = 0;
  /** Oldest first: the standby list is repurposed, the modified list written, in FIFO order. */
  private readonly standby = new Set<PhysicalPage>();
  private readonly modified = new Set<PhysicalPage>();
  private readonly targets = new Set<TrimTarget>();
  private pagesWritten = 0;
  private pagesRead = 0;
  private repurposed = 0;

  constructor(config: MachineConfig) {
    this.totalPages = Math.floor(config.physicalMemory / PAGE_SIZE);
    this.pagefilePages = Math.floor(config.pagefileSize / PAGE_SIZE);
    this.commitLimitPages = this.totalPages + this.pagefilePages;
    this.zeroed = this.totalPages;
  }

  attach(target: TrimTarget): void {
    this.targets.add(target);
  }

  detach(target: TrimTarget): void {
    this.targets.delete(target);
  }

  // ---- commit ----

  /** Charge `pages` of commit; false (and nothing charged) when it would pass the commit limit. */
  charge(pages: number): boolean {
    if (this.commitCharge + pages > this.commitLimitPages) return false;
    this.commitCharge += pages;
    return true;
  }

  uncharge(pages: number): void {
    this.commitCharge -= pages;
  }

  // ---- frames ----

  /**
   * Give `page` a frame and make it active. Demand-zero faults prefer zeroed frames, reads from
   * the pagefile prefer free ones (they are overwritten anyway). Returns false only when every
   * frame is active and nothing can be trimmed (all locked).
   */
  giveFrame(page: PhysicalPage, needsZero: boolean): boolean {
    if (!this.takeFrame(needsZero)) return false;
    page.list = 'active';
    this.active++;
    return true;
  }

  private takeFrame(needsZero: boolean): boolean {
    for (let attempts = 0; attempts <= this.totalPages + 1; attempts++) {
      if (needsZero && this.zeroed > 0) return (this.zeroed--, true);
      if (this.free > 0) return (this.free--, true);
      if (this.zeroed > 0) return (this.zeroed--, true);
      if (this.repurposeStandby()) return true;
      if (this.writeOldestModified()) continue;
      if (!this.trimSomeone()) return false;
    }
    return false;
  }

  /** Take the oldest standby page's frame; its contents survive only in the pagefile, if there. */
  private repurposeStandby(): boolean {
    const oldest = this.standby.values().next();
    if (oldest.done) return false;
    this.standby.delete(oldest.value);
    oldest.value.list = 'none';
    this.repurposed++;
    return true;
  }

  private trimSomeone(): boolean {
    let best: TrimTarget | null = null;
    for (const t of this.targets)
      if (!best || t.workingSetPages() > best.workingSetPages()) best = t;
    return best !== null && best.trimOne();
  }

  /** A page left every working set: clean pages go to standby, dirty ones to modified. */
  release(page: PhysicalPage): void {
    this.active--;
    if (page.dirty) {
      page.list = 'modified';
      this.modified.add(page);
    } else {
      page.list = 'standby';
      this.standby.add(page);
    }
  }

  /** Soft fault: a page on standby or modified goes back to a working set without I/O. */
  reclaim(page: PhysicalPage): void {
    if (page.list === 'standby') this.standby.delete(page);
    else if (page.list === 'modified') this.modified.delete(page);
    else return;
    page.list = 'active';
    this.active++;
  }

  /** Hard fault: read the page back from the pagefile into a frame. */
  pageIn(page: PhysicalPage): boolean {
    if (!this.giveFrame(page, false)) return false;
    this.pagesRead++;
    return true;
  }

  /** A write makes the page dirty; its pagefile copy is stale and its slot is released. */
  dirty(page: PhysicalPage): void {
    page.dirty = true;
    page.reset = false;
    this.dropPagefileCopy(page);
  }

  /** MEM_RESET: the contents are no longer of interest, so they need never be written out. */
  reset(page: PhysicalPage): void {
    page.reset = true;
    page.dirty = false;
    this.dropPagefileCopy(page);
    if (page.list === 'modified') {
      this.modified.delete(page);
      page.list = 'standby';
      this.standby.add(page);
    }
  }

  /** MEM_RESET_UNDO on a page that still has its contents: they matter again, so they must be written before the frame is reused. */
  undoReset(page: PhysicalPage): void {
    page.reset = false;
    if (page.inPagefile) return;
    page.dirty = true;
    if (page.list === 'standby') {
      this.standby.delete(page);
      page.list = 'modified';
      this.modified.add(page);
    }
  }

  /** The page is gone (decommit or release): its frame is freed and its pagefile slot too. */
  discard(page: PhysicalPage): void {
    if (page.list === 'active') this.active--;
    else if (page.list === 'standby') this.standby.delete(page);
    else if (page.list === 'modified') this.modified.delete(page);
    if (page.list !== 'none') this.free++;
    page.list = 'none';
    this.dropPagefileCopy(page);
  }

  private dropPagefileCopy(page: PhysicalPage): void {
    if (page.inPagefile) {
      page.inPagefile = false;
      this.pagefileUsed--;
    }
  }

  /** FlushViewOfFile: a dirty page of a mapped file is written to the file now (it stays where it is, clean). */
  flushToFile(page: PhysicalPage): void {
    if (!page.dirty || !isFilePage(page)) return;
    page.dirty = false;
    this.pagesWritten++;
    if (page.list === 'modified') {
      this.modified.delete(page);
      page.list = 'standby';
      this.standby.add(page);
    }
  }

  /** The modified page writer: write the oldest modified page to the pagefile (it moves to standby). */
  private writeOldestModified(): boolean {
    const oldest = this.modified.values().next();
    if (oldest.done) return false;
    const page = oldest.value;
    const toFile = isFilePage(page);
    if (!toFile && this.pagefileUsed >= this.pagefilePages) return false;
    this.modified.delete(page);
    page.dirty = false;
    if (!toFile) {
      page.inPagefile = true;
      this.pagefileUsed++;
    }
    this.pagesWritten++;
    page.list = 'standby';
    this.standby.add(page);
    return true;
  }

  /** Advance the clock: the modified page writer flushes what it can, the zero page thread zeroes free frames. */
  advance(ms: number): void {
    this.now += ms;
    while (this.writeOldestModified());
    this.zeroed += this.free;
    this.free = 0;
  }

  stats(): MachineStats {
    return {
      totalPages: this.totalPages,
      activePages: this.active,
      standbyPages: this.standby.size,
      modifiedPages: this.modified.size,
      freePages: this.free,
      zeroedPages: this.zeroed,
      pagefilePages: this.pagefilePages,
      pagefileUsedPages: this.pagefileUsed,
      commitLimitPages: this.commitLimitPages,
      commitChargePages: this.commitCharge,
      pagesWritten: this.pagesWritten,
      pagesRead: this.pagesRead,
      repurposed: this.repurposed,
    };
  }
}
