/**
 * RAMMap's view of a simulated machine: every frame's list from the machine, and each page's use
 * from who holds it (a process's private pages, or a section's shared pages). Costs one pass over
 * the touched pages, so it is for a view, never for sampling.
 */
import type { ListBytes, MachineView, MachineViewProcess } from '../../shared/machineView';
import { PAGE_SIZE } from './layout';
import type { Machine, PhysicalPage } from './machine';
import type { SimProcess } from './process';
import { type Section, sectionsOf } from './sections';

/** Pages one page table maps (512 × 4 KiB = 2 MiB). */
const PAGES_PER_TABLE = 512;

/**
 * The pools' model: a base for what a booted kernel holds (drivers and their buffers in the
 * non-paged pool; the registry and caches in the paged pool), then what each object costs: per
 * process its kernel objects (non-paged: process and thread objects; paged: token, handle table),
 * per section a control area (non-paged) and its prototype PTEs, 8 bytes per page (paged).
 */
const POOL = {
  nonPagedBase: 2 * 1024 * 1024,
  pagedBase: 4 * 1024 * 1024,
  nonPagedPerProcess: 12 * 1024,
  pagedPerProcess: 8 * 1024,
  nonPagedPerSection: 1024,
  prototypePteBytes: 8,
} as const;

function pools(processes: number, sections: readonly Section[]): MachineView['pools'] {
  const prototypes = sections.reduce(
    (n, s) => n + Math.ceil((s.pages * POOL.prototypePteBytes) / PAGE_SIZE) * PAGE_SIZE,
    0,
  );
  return {
    nonPaged:
      POOL.nonPagedBase +
      processes * POOL.nonPagedPerProcess +
      sections.length * POOL.nonPagedPerSection,
    paged: POOL.pagedBase + processes * POOL.pagedPerProcess + prototypes,
  };
}

const noBytes = (): ListBytes => ({ active: 0, standby: 0, modified: 0 });

function count(bytes: ListBytes, page: PhysicalPage): void {
  if (page.list !== 'none') bytes[page.list] += PAGE_SIZE;
}

function processView(process: SimProcess): MachineViewProcess {
  const own = noBytes();
  const tables = new Set<number>();
  for (const a of process.space.all) {
    for (const entry of a.pages.values()) {
      // A page with a frame (resident or in transition) needs its page table.
      if (entry.phys.list !== 'none') tables.add(Math.floor(entry.page / PAGES_PER_TABLE));
      if (entry.phys.backing.kind === 'demandZero') count(own, entry.phys);
    }
  }
  return { pid: process.pid, name: process.name, private: own, pageTable: tables.size * PAGE_SIZE };
}

export function machineView(
  machine: Machine,
  processes: readonly SimProcess[],
  takenAt: string,
): MachineView {
  const stats = machine.stats();
  const perProcess = processes.map(processView);
  const processPrivate = noBytes();
  for (const p of perProcess)
    for (const list of ['active', 'standby', 'modified'] as const)
      processPrivate[list] += p.private[list];
  const mappedFile = noBytes();
  const shareable = noBytes();
  const sections = [...sectionsOf(machine).all()];
  for (const section of sections) {
    for (const page of section.physical.values())
      count(section.file === null ? shareable : mappedFile, page);
  }
  const bytes = (pages: number): number => pages * PAGE_SIZE;
  return {
    takenAt,
    uptimeMs: machine.now,
    pageSize: PAGE_SIZE,
    physicalMemory: bytes(stats.totalPages),
    byList: {
      active: bytes(stats.activePages),
      standby: bytes(stats.standbyPages),
      modified: bytes(stats.modifiedPages),
      free: bytes(stats.freePages),
      zeroed: bytes(stats.zeroedPages),
    },
    byUse: {
      processPrivate,
      mappedFile,
      shareable,
      pageTable: perProcess.reduce((n, p) => n + p.pageTable, 0),
    },
    commit: { charge: bytes(stats.commitChargePages), limit: bytes(stats.commitLimitPages) },
    pagefile: { used: bytes(stats.pagefileUsedPages), size: bytes(stats.pagefilePages) },
    pools: pools(processes.length, sections),
    processes: perProcess,
  };
}
