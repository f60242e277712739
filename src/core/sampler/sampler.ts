import type { SourceId } from '../../shared/model';
import type { Source } from '../sources/source';
import { monotonicNow } from './clock';
import { type CountersReader, openProcCountersReader } from './procCountersReader';
import { ProcessSampler, type WatchEmit } from './processSampler';
import { TickGrid } from './tickGrid';

/** Faster readers than Source.counters for sources that have one (same Counters). */
export type CountersReaders = Partial<Record<SourceId, (pid: number) => CountersReader>>;

export interface SamplerOptions {
  /** History kept per process (default one hour). */
  retentionMs?: number;
  /** The fastest interval a watcher may ask for; sizes each ring (default 100 ms). */
  minIntervalMs?: number;
  now?: () => number;
  /** Default: the held-descriptor /proc reader for the linux source on Linux. */
  readers?: CountersReaders;
}

export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_RETENTION_MS = 60 * 60_000;

/**
 * Live counters for every watched process: one ProcessSampler per (source, pid), shared by all
 * its watchers, dropped with its history when the last watcher leaves or the process exits.
 */
export class Sampler {
  private readonly processes = new Map<string, ProcessSampler>();
  private readonly options: Required<SamplerOptions>;
  /** One timer per interval for all processes. */
  private readonly grid: TickGrid;

  constructor(options: SamplerOptions = {}) {
    this.options = {
      retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
      minIntervalMs: options.minIntervalMs ?? 100,
      now: options.now ?? monotonicNow,
      readers: options.readers ?? (process.platform === 'linux' ? { linux: openProcCountersReader } : {}),
    };
    this.grid = new TickGrid(this.options.now);
  }

  /** Processes being sampled now. */
  get size(): number {
    return this.processes.size;
  }

  /** Starts delivering one process's samples to `emit`; returns the function that stops it. */
  watch(source: Source, pid: number, intervalMs: number, emit: WatchEmit): () => void {
    const key = `${source.id}:${pid}`;
    let sampler = this.processes.get(key);
    if (!sampler) {
      const open = this.options.readers[source.id];
      const reader: CountersReader = open ? open(pid) : { read: () => source.counters(pid), close: () => {} };
      const created: ProcessSampler = new ProcessSampler(reader, pid, {
        ...this.options,
        grid: this.grid,
        onIdle: () => {
          if (this.processes.get(key) === created) this.processes.delete(key);
        },
      });
      this.processes.set(key, created);
      sampler = created;
    }
    return sampler.watch(intervalMs, emit);
  }
}
