/**
 * One allocation (a reservation made by VirtualAlloc; later issues add mapped views and images):
 * its range, allocation protection and type, its pages' states as run-length ranges, and the
 * entries of the pages that have been touched. Nothing here grows with the reserved size.
 */
import { type MEM_FLAGS } from '../../shared/winConstants';
import { addressOfPage } from './layout';
import { COMMITTED, PageRuns, RESERVED } from './pageRuns';
import type { Section } from './sections';
import type { PageEntry } from './workingSet';

/** What a MEM_MAPPED allocation shows: pages [offsetPages, offsetPages + pageCount) of a section. */
export interface MappedView {
  section: Section;
  offsetPages: number;
  /** Commit charged to the process for the view (copy-on-write views only). */
  chargedPages: number;
}

export type MemType =
  typeof MEM_FLAGS.MEM_PRIVATE | typeof MEM_FLAGS.MEM_MAPPED | typeof MEM_FLAGS.MEM_IMAGE;

/**
 * How the kernel secures an allocation it makes for the process (ReactOS MiCreatePebOrTeb marks
 * the PEB's and each TEB's VAD NoChange and OneSecured; MmSecureVirtualMemory's docs: such memory
 * "cannot be freed" and its protection cannot be made more restrictive). `readWrite`: protections
 * that still allow reading and writing are fine (the PEB, TEBs); `noChange`: none is
 * (KUSER_SHARED_DATA, read-only).
 */
export type Secured = 'readWrite' | 'noChange';

export class Allocation {
  readonly base: bigint;
  /** One past the last byte (page aligned). */
  readonly end: bigint;
  readonly runs: PageRuns;
  /** Touched pages by absolute page number: only these cost memory. */
  readonly pages = new Map<number, PageEntry>();
  committedPages: number;
  /** Set for a mapped view. */
  view: MappedView | null = null;
  /**
   * MEM_WRITE_WATCH: the page indexes written since the last reset, or null for an allocation made
   * without it. Decommitting or reprotecting a page keeps its bit (Wine test_write_watch).
   */
  writeWatch: Set<number> | null = null;
  /** Set for the PEB, TEBs and KUSER_SHARED_DATA: VirtualFree and VirtualProtect refuse them. */
  secured: Secured | null = null;

  constructor(
    readonly basePage: number,
    readonly pageCount: number,
    readonly allocationProtect: number,
    readonly memType: MemType,
    committedProtect: number | null,
  ) {
    this.base = addressOfPage(basePage);
    this.end = addressOfPage(basePage + pageCount);
    this.runs = new PageRuns(
      pageCount,
      committedProtect === null
        ? { state: RESERVED, protect: 0 }
        : { state: COMMITTED, protect: committedProtect },
    );
    this.committedPages = committedProtect === null ? 0 : pageCount;
  }

  get endPage(): number {
    return this.basePage + this.pageCount;
  }

  get size(): bigint {
    return this.end - this.base;
  }

  /** Touched page entries with absolute page numbers in [from, to), without walking untouched pages. */
  touchedIn(from: number, to: number): PageEntry[] {
    const out: PageEntry[] = [];
    if (to - from < this.pages.size) {
      for (let p = from; p < to; p++) {
        const e = this.pages.get(p);
        if (e) out.push(e);
      }
    } else {
      for (const e of this.pages.values()) if (e.page >= from && e.page < to) out.push(e);
    }
    return out;
  }
}
