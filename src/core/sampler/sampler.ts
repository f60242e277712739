import type { CountersReader, Source } from '../sources/source';
import { monotonicNow } from './clock';
import { ProcessSampler, type WatchEmit } from './processSampler';
import { TickGrid } from './tickGrid';

export interface SamplerOptions {
  /** History kept per process (default one hour). */
  retentionMs?: number;
  /** The fastest interval a watcher may ask for; sizes each ring (default 100 ms). */
  minIntervalMs?: number;
  /**
   * Sampling goes on this long after the last watcher leaves (default 0: stop at once), so a
   * window that reloads re-attaches to the history. The service that serves windows sets it.
   */
  lingerMs?: number;
  now?: () => number;
}

export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_RETENTION_MS = 60 * 60_000;
/** The linger of a service that serves windows: a reload resubscribes well within it. */
export const RELOAD_LINGER_MS = 30_000;

/**
 * Live counters for every watched process: one ProcessSampler per (source, pid), shared by all
 * its watchers, dropped with its history when the process exits or nobody has watched it for the
 * linger time.
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
      lingerMs: options.lingerMs ?? 0,
      now: options.now ?? monotonicNow,
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
      // A source's held reader (Linux keeps /proc files open) where it has one, else its counters().
      const reader: CountersReader = source.openCountersReader?.(pid) ?? {
        read: () => source.counters(pid),
        close: () => {},
      };
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
