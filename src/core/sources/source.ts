import type { Counters, ProcessInfo, Snapshot, SourceId, SystemLayout } from '../../shared/model';

export interface SnapshotOptions {
  /** Include the free gaps between allocations as `free` regions (default true). */
  includeFree?: boolean;
}

/** A place processes and their memory come from: the real OS or the simulator. */
export interface Source {
  readonly id: SourceId;
  layout(): SystemLayout;
  listProcesses(): Promise<ProcessInfo[]>;
  snapshot(pid: number, options?: SnapshotOptions): Promise<Snapshot>;
  /** Cheap: cost independent of the number of mappings. Used for live sampling. */
  counters(pid: number): Promise<Counters>;
}
