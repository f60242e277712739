import type { StreamMessage } from '../../shared/api';
import { toVmError } from '../../shared/errors';
import type { Sample } from '../../shared/model';
import type { CountersReader } from './procCountersReader';
import { RingBuffer } from './ringBuffer';

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
  /** Called once when the last watcher leaves or the stream ends, so the owner can forget it. */
  onIdle: () => void;
}

/**
 * One process's sampling: a timer at the fastest interval any watcher asked for, reading only
 * the source's cheap counters, and one ring of history that every watcher shares. A watcher
 * that joins late gets the history first, thinned to its own interval, then live samples.
 */
export class ProcessSampler {
  private readonly watchers = new Set<Watcher>();
  private readonly ring: RingBuffer<Sample>;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  /** When the last read started; the next is at least 3/4 of an interval later. */
  private lastReadAt = -Infinity;
  private ended = false;

  constructor(
    private readonly reader: CountersReader,
    readonly pid: number,
    private readonly options: ProcessSamplerOptions,
  ) {
    this.ring = new RingBuffer(Math.ceil(options.retentionMs / options.minIntervalMs) + 1);
  }

  /** The current sampling interval: the fastest any watcher wants. */
  get intervalMs(): number {
    let fastest = Infinity;
    for (const w of this.watchers) fastest = Math.min(fastest, w.intervalMs);
    return fastest;
  }

  /** History within the retention period, oldest first. */
  history(): Sample[] {
    const cutoff = this.options.now() - this.options.retentionMs;
    return this.ring.toArray().filter((s) => s.time >= cutoff);
  }

  /** Adds a watcher; returns the function that removes it. */
  watch(intervalMs: number, emit: WatchEmit): () => void {
    const watcher: Watcher = { intervalMs, emit, lastSent: -Infinity };
    const wasIdle = this.watchers.size === 0;
    this.watchers.add(watcher);
    const past = this.thin(watcher, this.history());
    // Deliver history after subscribe returns, as a live sample would arrive.
    if (past.length > 0) queueMicrotask(() => this.watchers.has(watcher) && emit({ kind: 'data', data: past }));
    if (wasIdle) this.schedule(0);
    else if (intervalMs < this.intervalMsWithout(watcher)) this.scheduleNext();
    return () => this.unwatch(watcher);
  }

  private intervalMsWithout(watcher: Watcher): number {
    let fastest = Infinity;
    for (const w of this.watchers) if (w !== watcher) fastest = Math.min(fastest, w.intervalMs);
    return fastest;
  }

  private unwatch(watcher: Watcher): void {
    if (!this.watchers.delete(watcher) || this.watchers.size > 0) return;
    this.stop();
  }

  /** The samples a watcher should get: none closer together than its interval (less jitter). */
  private thin(watcher: Watcher, samples: Sample[]): Sample[] {
    const slack = Math.min(watcher.intervalMs, this.intervalMs) / 2;
    const out: Sample[] = [];
    for (const s of samples) {
      if (s.time - watcher.lastSent >= watcher.intervalMs - slack) {
        out.push(s);
        watcher.lastSent = s.time;
      }
    }
    return out;
  }

  /**
   * Fixed rate on a grid: the next read is due at the next multiple of the interval on the
   * clock, so every process sampled at the same interval is read in the same timer turn, back
   * to back (cheaper than spreading the reads out), and a slow read does not shift later ones.
   */
  private scheduleNext(): void {
    const interval = this.intervalMs;
    const now = this.options.now();
    let delay = interval - (now % interval);
    // Never two reads much closer than an interval (the first read is immediate, and a faster
    // watcher may join just after a read): watchers would thin the second one away.
    if (now + delay - this.lastReadAt < interval * 0.75) delay += interval;
    this.schedule(Math.ceil(delay));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.ended) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.reading || this.ended) return;
    this.reading = true;
    this.lastReadAt = this.options.now();
    try {
      const counters = await this.reader.read();
      if (this.ended) return;
      const sample: Sample = { pid: this.pid, time: this.options.now(), counters };
      this.ring.push(sample);
      for (const w of [...this.watchers]) {
        const batch = this.thin(w, [sample]);
        if (batch.length > 0) w.emit({ kind: 'data', data: batch });
      }
    } catch (err) {
      if (this.ended) return;
      const error = toVmError(err);
      const watchers = [...this.watchers];
      this.stop();
      const reason = error.code === 'process-exited' ? 'exited' : 'error';
      for (const w of watchers) w.emit({ kind: 'end', reason, error });
      return;
    } finally {
      this.reading = false;
    }
    this.scheduleNext();
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.watchers.clear();
    clearTimeout(this.timer);
    this.reader.close();
    this.options.onIdle();
  }
}
