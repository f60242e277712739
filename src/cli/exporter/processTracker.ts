/**
 * The exporter's view of each selected process: a counters.watch stream per process (the same
 * sampler the Watch view uses, in the service worker), the latest sample, and the recent private
 * bytes the leak slope is computed from. A scrape reads only this state, so it never waits on a
 * process: one that has not been sampled for a while is left out and counted as timed out.
 */
import type { Client, Subscription } from '../../shared/bridge';
import {
  DEFAULT_LEAK_OPTIONS,
  type LeakOptions,
  type LeakTrend,
  type TrendPoint,
  detectLeak,
} from '../../shared/leak';
import type { ProcessInfo, Sample, SourceId } from '../../shared/model';

/**
 * The Watch view's leak test, on fewer bucket medians: its pairwise statistics cost O(points²), and
 * an exporter may hold hundreds of processes (40 medians over 10 minutes are 15 s apart).
 */
export const EXPORTER_LEAK_OPTIONS: Partial<LeakOptions> = { maxPoints: 40 };

/**
 * Private bytes are kept as the last sample of each second: at most 600 points over the leak
 * window whatever the sampling interval, which bounds both the memory per process and the O(n)
 * part of detectLeak.
 */
const SLOT_MS = 1000;

/**
 * A trend over 10 minutes moves slowly: once there is one, it is recomputed every ten sampling
 * intervals, but not more often than every 5 s nor less often than every 30 s; before that, on
 * every new sample (which is cheap, as detectLeak stops early without enough data).
 */
export function trendRefreshMs(intervalMs: number): number {
  return Math.min(30_000, Math.max(5000, 10 * intervalMs));
}

export interface TrackedProcess {
  info: ProcessInfo;
  latest: Sample | null;
  /** Private bytes over the leak window, oldest first. */
  privateBytes: TrendPoint[];
}

interface Entry extends TrackedProcess {
  subscription: Subscription | null;
  /** The stream ended (the process exited, or could not be read). */
  gone: boolean;
  trend: { at: number; value: LeakTrend } | null;
  /** When tracking began: a process never sampled since is timed out after staleAfterMs. */
  startedAt: number;
}

export interface TrackerOptions {
  source: SourceId | undefined;
  intervalMs: number;
  /** Milliseconds since the epoch, on the samples' clock. */
  now?: () => number;
}

export class ProcessTracker {
  private readonly entries = new Map<number, Entry>();
  private readonly now: () => number;

  constructor(
    private readonly client: Client,
    private readonly options: TrackerOptions,
  ) {
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
  }

  /** A process whose newest sample is older than this is reported as timed out. */
  get staleAfterMs(): number {
    return 2 * this.options.intervalMs + 1000;
  }

  /** Starts streams for newly selected processes and stops those no longer selected. */
  async reconcile(selected: readonly ProcessInfo[]): Promise<void> {
    const keep = new Set(selected.map((p) => p.pid));
    for (const [pid, entry] of this.entries) {
      if (!keep.has(pid) || entry.gone) this.drop(pid);
    }
    const fresh = selected.filter((p) => !this.entries.has(p.pid));
    await Promise.all(fresh.map((info) => this.track(info)));
  }

  /** Processes with a recent sample, and how many selected ones have none. */
  current(): { live: TrackedProcess[]; timedOut: number } {
    const cutoff = this.now() - this.staleAfterMs;
    const live: TrackedProcess[] = [];
    let timedOut = 0;
    for (const entry of this.entries.values()) {
      if (entry.gone) continue;
      if (entry.latest && entry.latest.time >= cutoff) live.push(entry);
      else if (entry.latest || this.now() - entry.startedAt > this.staleAfterMs) timedOut++;
    }
    return { live, timedOut };
  }

  /** The leak trend of a process's private bytes. */
  trend(process: TrackedProcess): LeakTrend | null {
    const entry = this.entries.get(process.info.pid);
    if (!entry?.latest) return null;
    const last = entry.trend;
    const due =
      last === null ||
      (last.at !== entry.latest.time &&
        (last.value.verdict === 'insufficient-data' ||
          entry.latest.time - last.at >= trendRefreshMs(this.options.intervalMs)));
    if (due)
      entry.trend = {
        at: entry.latest.time,
        value: detectLeak(entry.privateBytes, EXPORTER_LEAK_OPTIONS),
      };
    return entry.trend!.value;
  }

  close(): void {
    for (const pid of [...this.entries.keys()]) this.drop(pid);
  }

  private async track(info: ProcessInfo): Promise<void> {
    const entry: Entry = {
      info,
      latest: null,
      privateBytes: [],
      subscription: null,
      gone: false,
      trend: null,
      startedAt: this.now(),
    };
    this.entries.set(info.pid, entry);
    try {
      const subscription = await this.client.subscribe(
        'counters.watch',
        { pid: info.pid, source: this.options.source, intervalMs: this.options.intervalMs },
        (message) => {
          if (message.kind === 'end') {
            entry.gone = true;
            return;
          }
          for (const sample of message.data) this.add(entry, sample);
        },
      );
      if (this.entries.get(info.pid) === entry) entry.subscription = subscription;
      else void subscription.close();
    } catch {
      // The process exited or cannot be read between the listing and the subscription.
      entry.gone = true;
    }
  }

  private add(entry: Entry, sample: Sample): void {
    entry.latest = sample;
    const point = {
      time: Math.floor(sample.time / SLOT_MS) * SLOT_MS,
      value: sample.counters.privateUsage,
    };
    const last = entry.privateBytes.at(-1);
    if (last?.time === point.time) last.value = point.value;
    else entry.privateBytes.push(point);
    const cutoff = sample.time - DEFAULT_LEAK_OPTIONS.windowMs;
    let old = 0;
    while (old < entry.privateBytes.length && entry.privateBytes[old]!.time < cutoff) old++;
    // Trimmed in batches, so the window costs O(1) per sample on average.
    if (old > 64) entry.privateBytes.splice(0, old);
  }

  private drop(pid: number): void {
    const entry = this.entries.get(pid);
    this.entries.delete(pid);
    void entry?.subscription?.close();
  }
}
