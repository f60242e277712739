/**
 * A process's working set: the pages it has resident, oldest first, with its minimum and
 * maximum. Trimming is FIFO with one bit of aging (second chance): a page touched since it was
 * last considered moves to the back once before it is trimmed. Locked pages are never trimmed.
 */
import type { Machine, PhysicalPage } from './machine';

/** One page of a process's address space that has been touched (a valid or transition PTE). */
export interface PageEntry {
  readonly page: number;
  readonly phys: PhysicalPage;
  inWorkingSet: boolean;
  locked: boolean;
  accessed: boolean;
}

export class WorkingSet {
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly entries = new Map<number, PageEntry>();
  private peak = 0;
  private lockedCount = 0;
  private privateCount = 0;
  /** When set, collects the pages that enter or leave the working set (the sandbox reports what a step changed). */
  changed: Set<number> | null = null;

  constructor(
    private readonly machine: Machine,
    public minimumPages: number,
    public maximumPages: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get peakSize(): number {
    return this.peak;
  }

  get locked(): number {
    return this.lockedCount;
  }

  /** Resident pages no other process can share (private memory and copy-on-write copies). */
  get privatePages(): number {
    return this.privateCount;
  }

  /** Add a page that just became resident for this process; trims the oldest if over the maximum. */
  add(entry: PageEntry): void {
    // Make room first, so the working set never exceeds its maximum (unless everything is locked).
    while (this.entries.size >= this.maximumPages && this.trimOne()) {
      // trimmed one; check again
    }
    entry.inWorkingSet = true;
    entry.accessed = true;
    entry.phys.wsRefs++;
    if (entry.phys.backing.kind === 'demandZero') this.privateCount++;
    this.entries.set(entry.page, entry);
    this.changed?.add(entry.page);
    if (this.entries.size > this.peak) this.peak = this.entries.size;
  }

  /** Take a page out (trim, decommit, release). Its physical page goes to standby/modified when no one else holds it. */
  remove(entry: PageEntry, released = false): void {
    if (!entry.inWorkingSet) return;
    this.entries.delete(entry.page);
    this.changed?.add(entry.page);
    entry.inWorkingSet = false;
    this.setLocked(entry, false);
    entry.phys.wsRefs--;
    if (entry.phys.backing.kind === 'demandZero') this.privateCount--;
    if (entry.phys.wsRefs === 0 && !released) this.machine.release(entry.phys);
  }

  setLocked(entry: PageEntry, locked: boolean): void {
    if (entry.locked === locked) return;
    entry.locked = locked;
    this.lockedCount += locked ? 1 : -1;
  }

  /** Trim the oldest unlocked page not yet given a second chance; false when none can go. */
  trimOne(): boolean {
    let budget = this.entries.size * 2;
    for (const entry of this.entries.values()) {
      if (budget-- <= 0) break;
      if (entry.locked) continue;
      if (entry.accessed) {
        // Second chance: age it by moving it behind the others.
        entry.accessed = false;
        this.entries.delete(entry.page);
        this.entries.set(entry.page, entry);
        continue;
      }
      this.remove(entry);
      return true;
    }
    // Everything had been accessed: fall back to strict FIFO among unlocked pages.
    for (const entry of this.entries.values()) {
      if (entry.locked) continue;
      this.remove(entry);
      return true;
    }
    return false;
  }

  /** Trim every unlocked page (EmptyWorkingSet). Returns how many went. */
  empty(): number {
    let n = 0;
    for (const entry of [...this.entries.values()]) {
      if (entry.locked) continue;
      this.remove(entry);
      n++;
    }
    return n;
  }

  /** Trim down to the maximum (after SetProcessWorkingSetSize lowers it). */
  trimToMaximum(): void {
    while (this.entries.size > this.maximumPages && this.trimOne());
  }
}
