import type { StreamMessage } from '../../shared/api';
import { toVmError } from '../../shared/errors';
import type { Counters, Sample } from '../../shared/model';
import type { CountersReader } from '../sources/source';
import { SampleRing } from './sampleRing';
import type { TickGrid } from './tickGrid';

/** What a watcher receives: batches of samples, oldest first (the first batch is the history). */
export type WatchEmit = (message: StreamMessage<Sample[]>) => void;

interface Watcher {
  intervalMs: number;
  emit: WatchEmit;
  /** Time of the last sample sent; -Infinity before the first. */
  lastSent: number;
}

export interface ProcessSamplerOptions {
  /** How long history is kept. */
  retentionMs: number;
  /** The ring's capacity is retention / this: enough for the fastest interval allowed. */
  minIntervalMs: number;
  now: () => number;
  /** The shared timers that reads are scheduled on. */
  grid: TickGrid;
  /**
   * How long sampling goes on after the last watcher leaves, so a window that reloads (and
   * resubscribes at once) finds its history; a watcher joining in time keeps it all.
   */
  lingerMs: number;
  /** Called once when the sampler stops (the linger ran out or the stream ended), so the owner can forget it. */
  onIdle: () => void;
}

/**
 * One process's sampling: reads on the shared grid at the fastest interval any watcher asked
 * for, of the source's cheap counters only, and one ring of history that every watcher shares.
 * A watcher that joins late gets the history first, thinned to its own interval, then live
 * samples.
 */
export class ProcessSampler {
  private readonly watchers = new Set<Watcher>();
  private readonly ring: SampleRing;
  /** The immediate first read. */
  private timer: NodeJS.Timeout | undefined;
  /** The grid interval this process is read at, and how to leave it. */
  private joined: { intervalMs: number; leave: () => void } | null = null;
  private reading = false;
  /** When the last read started; the next is at least 3/4 of an interval later. */
  private lastReadAt = -Infinity;
  private ended = false;
  /** Ends a sampler nobody watches any more, unless a watcher joins first. */
  private lingering: NodeJS.Timeout | undefined;

  constructor(
    private readonly reader: CountersReader,
    readonly pid: number,
    private readonly options: ProcessSamplerOptions,
  ) {
    this.ring = new SampleRing(Math.ceil(options.retentionMs / options.minIntervalMs) + 1);
  }

  /** The current sampling interval: the fastest any watcher wants. */
  get intervalMs(): number {
    let fastest = Infinity;
    for (const w of this.watchers) fastest = Math.min(fastest, w.intervalMs);
    return fastest;
  }

  /** History within the retention period, oldest first. */
  history(): Sample[] {
    return this.ring.samplesSince(this.pid, this.options.now() - this.options.retentionMs);
  }

  /** Adds a watcher; returns the function that removes it. */
  watch(intervalMs: number, emit: WatchEmit): () => void {
    const watcher: Watcher = { intervalMs, emit, lastSent: -Infinity };
    // A lingering sampler is still reading: it needs no immediate first read.
    const wasIdle = this.watchers.size === 0 && this.lingering === undefined;
    clearTimeout(this.lingering);
    this.lingering = undefined;
    this.watchers.add(watcher);
    const past = this.thin(watcher, this.history());
    // Deliver history after subscribe returns, as a live sample would arrive.
    if (past.length > 0)
      queueMicrotask(() => this.watchers.has(watcher) && emit({ kind: 'data', data: past }));
    if (wasIdle) this.timer = setTimeout(() => this.tick(), 0);
    this.retime();
    return () => this.unwatch(watcher);
  }

  private unwatch(watcher: Watcher): void {
    if (!this.watchers.delete(watcher)) return;
    if (this.watchers.size > 0) this.retime();
    else if (this.options.lingerMs > 0)
      this.lingering = setTimeout(() => this.stop(), this.options.lingerMs);
    else this.stop();
  }

  /** Moves this process to the grid of the fastest interval its watchers want now. */
  private retime(): void {
    const intervalMs = this.intervalMs;
    if (this.ended || this.joined?.intervalMs === intervalMs) return;
    this.joined?.leave();
    this.joined = {
      intervalMs,
      leave: this.options.grid.join(intervalMs, () => this.onGrid(intervalMs)),
    };
  }

  /** Whether a watcher should get this sample: none closer together than its interval (less jitter). */
  private due(watcher: Watcher, sample: Sample): boolean {
    const slack = Math.min(watcher.intervalMs, this.intervalMs) / 2;
    return sample.time - watcher.lastSent >= watcher.intervalMs - slack;
  }

  /** The samples a watcher should get, oldest first; marks them sent. */
  private thin(watcher: Watcher, samples: Sample[]): Sample[] {
    const out: Sample[] = [];
    for (const s of samples) {
      if (this.due(watcher, s)) {
        out.push(s);
        watcher.lastSent = s.time;
      }
    }
    return out;
  }

  /**
   * Fixed rate on a grid: reads are due at the multiples of the interval on the clock, so every
   * process sampled at one interval is read in the same timer turn, back to back, and a slow read
   * does not shift later ones. Never two reads much closer than an interval (the first read is
   * immediate, and a faster watcher may join just after a read): watchers would thin the second
   * away.
   */
  private onGrid(intervalMs: number): void {
    const now = this.options.now();
    if (now - this.lastReadAt < intervalMs * 0.75) return;
    this.tick(now);
  }

  /**
   * A held reader reads synchronously: no promise per process per tick, and the sample is timed
   * when its read starts (one clock read per tick).
   */
  private tick(now = this.options.now()): void {
    if (this.reading || this.ended) return;
    this.lastReadAt = now;
    if (!this.reader.readNow) {
      void this.readAsync();
      return;
    }
    let counters: Counters;
    try {
      counters = this.reader.readNow();
    } catch (err) {
      return this.fail(err);
    }
    this.deliver(counters, now);
  }

  private async readAsync(): Promise<void> {
    this.reading = true;
    try {
      const counters = await this.reader.read();
      if (!this.ended) this.deliver(counters, this.options.now());
    } catch (err) {
      if (!this.ended) this.fail(err);
    } finally {
      this.reading = false;
    }
  }

  private deliver(counters: Counters, time: number): void {
    const sample: Sample = { pid: this.pid, time, counters };
    this.ring.push(sample.time, counters);
    // One message for every watcher that is due: a tick allocates the sample and this, no more.
    let message: StreamMessage<Sample[]> | undefined;
    for (const w of this.watchers) {
      if (!this.due(w, sample)) continue;
      w.lastSent = sample.time;
      w.emit((message ??= { kind: 'data', data: [sample] }));
    }
  }

  /** Ends the stream of every watcher with the read's error. */
  private fail(err: unknown): void {
    const error = toVmError(err);
    const watchers = [...this.watchers];
    this.stop();
    const reason = error.code === 'process-exited' ? 'exited' : 'error';
    for (const w of watchers) w.emit({ kind: 'end', reason, error });
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.watchers.clear();
    clearTimeout(this.timer);
    clearTimeout(this.lingering);
    this.joined?.leave();
    this.joined = null;
    this.reader.close();
    this.options.onIdle();
  }
}
