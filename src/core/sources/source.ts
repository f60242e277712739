import type { MachineClock, MachineView } from '../../shared/machineView';
import type { MemoryChunk } from '../../shared/memoryContents';
import type { Counters, ProcessInfo, Snapshot, SourceId, SystemLayout } from '../../shared/model';
import type { RegionPages } from '../../shared/pageStates';
import type { PageSpan } from './pageSpan';

export interface SnapshotOptions {
  /** Include the free gaps between allocations as `free` regions (default true). */
  includeFree?: boolean;
}

/** Reads one process's counters again and again; close() releases what it holds. */
export interface CountersReader {
  read(): Promise<Counters>;
  /**
   * The same read, synchronously, where a read never waits (procfs text is made in memory): the
   * sampler then spends no promise on a tick.
   */
  readNow?(): Counters;
  close(): void;
}

export type ClockAction = 'read' | 'pause' | 'resume' | 'step';

/** A machine a source can show whole: physical memory as RAMMap shows it, and its clock. */
export interface MachineCapability {
  view(): MachineView;
  /** Read, pause, resume or step the clock (a step runs `ms`, default 1 s, now). */
  clock(action: ClockAction, ms?: number): MachineClock;
}

/**
 * A place processes and their memory come from: the real OS or the simulator. Every source has
 * the required capabilities; the optional ones are discovered by asking for them
 * (`source.machine?.view()`), never by the source's id or a downcast.
 */
export interface Source {
  readonly id: SourceId;
  layout(): SystemLayout;
  listProcesses(): Promise<ProcessInfo[]>;
  snapshot(pid: number, options?: SnapshotOptions): Promise<Snapshot>;
  /**
   * Optional: the snapshot while it is read (process.snapshotStream). `onPart` gets provisional
   * snapshots of what was read so far; resolves to the same snapshot snapshot() gives, or null
   * once `signal` has stopped the read (what it held is released).
   */
  snapshotStream?(
    pid: number,
    options: SnapshotOptions,
    onPart: (partial: Snapshot) => void,
    signal: AbortSignal,
  ): Promise<Snapshot | null>;
  /** Cheap: cost independent of the number of mappings. Used for live sampling. */
  counters(pid: number): Promise<Counters>;
  /** The state of each page of a span (already checked and aligned by pageSpan). */
  pages(span: PageSpan): Promise<RegionPages>;
  /** Optional: a reader that holds what it opens, cheaper than counters() when called again and again. */
  openCountersReader?(pid: number): CountersReader;
  /**
   * Optional: read-only bytes of a process's memory, `size` at most the per-call cap. Unreadable
   * pages come back as holes with their reason. `into` (at least `size` bytes) is a buffer the
   * caller lends for the bytes, so a scan reads chunk after chunk without allocating (and the
   * kernel without zeroing fresh pages) each time; a source may ignore it.
   */
  readMemory?(pid: number, address: bigint, size: number, into?: Uint8Array): Promise<MemoryChunk>;
  /** Optional: the whole machine behind the source (the simulator's). */
  readonly machine?: MachineCapability;
}
