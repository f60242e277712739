/**
 * Physical memory as RAMMap shows it: pages by list and by use, and per process. Only the
 * simulated source has a machine to show (`machine.view`, `vmscope machine`). Sizes in bytes.
 */

export const PAGE_LISTS = ['active', 'standby', 'modified', 'free', 'zeroed'] as const;
export type PageListName = (typeof PAGE_LISTS)[number];

/** RAMMap's "use" rows the simulator has: process private pages, mapped files (images included), pagefile-backed sections, page tables. */
export const PAGE_USES = ['processPrivate', 'mappedFile', 'shareable', 'pageTable'] as const;
export type PageUseName = (typeof PAGE_USES)[number];

/** Bytes of one use on each list that holds pages of it. */
export type ListBytes = Record<'active' | 'standby' | 'modified', number>;

export interface MachineViewProcess {
  pid: number;
  name: string;
  /** Private pages by list (RAMMap's Processes tab: Private, Standby, Modified). */
  private: ListBytes;
  /** Estimated page-table bytes: one 4 KiB table per 2 MiB of address space with resident or transition pages. */
  pageTable: number;
}

export interface MachineView {
  takenAt: string;
  /** Simulated milliseconds since the machine booted. */
  uptimeMs: number;
  pageSize: number;
  physicalMemory: number;
  /** Frames on each list (page tables are outside the frame count; see `byUse.pageTable`). */
  byList: Record<PageListName, number>;
  byUse: {
    processPrivate: ListBytes;
    mappedFile: ListBytes;
    shareable: ListBytes;
    pageTable: number;
  };
  commit: { charge: number; limit: number };
  pagefile: { used: number; size: number };
  /**
   * The kernel's pools, modelled (the simulator has no kernel): the non-paged pool stays resident,
   * the paged pool may be paged out. Like page tables, outside the frame count. See
   * docs/simulator.md, "Pools".
   */
  pools: { paged: number; nonPaged: number };
  processes: MachineViewProcess[];
}

/** The simulated machine's clock: simulated time since boot, and whether it follows wall time. */
export interface MachineClock {
  timeMs: number;
  paused: boolean;
}
