import { type VmError, toVmError } from '../../../../shared/errors';
import { DEFAULT_LEAK_OPTIONS, type LeakTrend, detectLeak } from '../../../../shared/leak';
import { SOURCE_IDS, type Sample, type SourceId } from '../../../../shared/model';
import type { StreamMessage } from '../../../../shared/api';
import { type SeriesRow, nextRow } from '../../../../shared/series';
import type { TimeRange } from './chartTypes';

export type StreamStatus = 'connecting' | 'live' | 'exited' | 'error';

/** One watched process as the view sees it. Arrays grow in place; the store's version says when. */
export interface ProcessStream {
  pid: number;
  samples: Sample[];
  rows: SeriesRow[];
  status: StreamStatus;
  error: VmError | null;
  leak: LeakTrend;
  leakAt: number;
}

/** One Watch view's choices: which processes, how often, and the zoom. Outlives the view. */
export interface WatchSession {
  source?: SourceId;
  pids: number[];
  intervalMs: number;
  range: TimeRange | null;
}

/** How the store reaches `counters.watch` (the app's client; a fake in tests). */
export type SubscribeCounters = (
  input: { pid: number; source?: SourceId; intervalMs: number },
  listener: (message: StreamMessage<Sample[]>) => void,
) => Promise<{ close: () => unknown }>;

/** Where the open sessions are kept across a reload (sessionStorage in the app). */
export interface SessionMemory {
  load: () => string | null;
  save: (text: string) => void;
}

/** The client keeps what the service keeps: an hour. */
const KEEP_MS = 60 * 60_000;
/** Leak detection is O(window) and the trend moves slowly: at most every 2 s per process. */
const LEAK_EVERY_MS = 2000;
/**
 * Tell the views at most this often, however fast the samples come: recharts redraws every row
 * it is given on each update, so a redraw per 100 ms sample would keep a slow machine busy.
 */
const FLUSH_MS = 250;
export const DEFAULT_INTERVAL_MS = 1000;
/**
 * Sessions kept open at once: opening one more closes the least recently opened, so streams
 * of processes watched long ago (and never stopped) do not pile up.
 */
export const MAX_SESSIONS = 8;

export const sessionKey = (source: SourceId | undefined, pids: readonly number[]): string =>
  `${source ?? ''}:${pids.join(',')}`;
const streamKey = (source: SourceId | undefined, pid: number): string => `${source ?? ''}:${pid}`;

function newStream(pid: number): ProcessStream {
  return {
    pid,
    samples: [],
    rows: [],
    status: 'connecting',
    error: null,
    leak: detectLeak([]),
    leakAt: -Infinity,
  };
}

function append(stream: ProcessStream, batch: Sample[]): void {
  for (const sample of batch) {
    const lastSample = stream.samples.at(-1);
    // A re-subscription (new interval, reload) replays history we already have.
    if (lastSample && sample.time <= lastSample.time) continue;
    const lastRow = stream.rows.at(-1);
    stream.rows.push(
      nextRow(sample, lastSample && lastRow ? { sample: lastSample, row: lastRow } : null),
    );
    stream.samples.push(sample);
  }
  const first = stream.samples[0];
  const last = stream.samples.at(-1);
  if (first && last && last.time - first.time > KEEP_MS * 1.1) {
    const drop = stream.samples.findIndex((s) => s.time >= last.time - KEEP_MS);
    stream.samples.splice(0, drop);
    stream.rows.splice(0, drop);
  }
}

function updateLeak(stream: ProcessStream, force: boolean): void {
  const now = performance.now();
  if (!force && now - stream.leakAt < LEAK_EVERY_MS) return;
  stream.leakAt = now;
  const since = (stream.samples.at(-1)?.time ?? 0) - DEFAULT_LEAK_OPTIONS.windowMs;
  const points = [];
  for (let i = stream.samples.length - 1; i >= 0 && stream.samples[i]!.time >= since; i--) {
    points.push({ time: stream.samples[i]!.time, value: stream.samples[i]!.counters.privateUsage });
  }
  stream.leak = detectLeak(points.reverse());
}

/** A process's stream and the subscription feeding it. */
interface Feed {
  stream: ProcessStream;
  source: SourceId | undefined;
  intervalMs: number;
  /** Resolves to the open subscription (null when it failed); `stop` ends it. */
  stop: () => void;
}

const isPid = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

/** The sessions a reload finds in memory; anything malformed is dropped, not trusted. */
function parseSessions(text: string | null): WatchSession[] {
  try {
    const value: unknown = JSON.parse(text ?? '[]');
    if (!Array.isArray(value)) return [];
    return value.flatMap((v: Partial<WatchSession>): WatchSession[] => {
      if (!v || !Array.isArray(v.pids) || !v.pids.every(isPid) || v.pids.length === 0) return [];
      const source = (SOURCE_IDS as readonly unknown[]).includes(v.source) ? v.source : undefined;
      const intervalMs =
        typeof v.intervalMs === 'number' && v.intervalMs >= 100 && v.intervalMs <= 10_000
          ? v.intervalMs
          : DEFAULT_INTERVAL_MS;
      const range =
        Array.isArray(v.range) &&
        v.range.length === 2 &&
        v.range.every(Number.isFinite) &&
        v.range[0] < v.range[1]
          ? ([v.range[0], v.range[1]] as TimeRange)
          : null;
      return [{ ...(source ? { source } : {}), pids: v.pids, intervalMs, range }];
    });
  } catch {
    return [];
  }
}

/**
 * The app's watch sessions: each open Watch view's processes, interval and zoom, and one live
 * stream per watched process with its samples, chart rows and leak verdict. It lives above the
 * routes, so leaving Watch and coming back finds everything as it was and still growing; the
 * sessions (not the samples) are saved, so a reload resubscribes and the service's first batch
 * replays its history. A process's stream is closed when no session watches it any more.
 */
export class WatchSessions {
  private readonly sessions = new Map<string, WatchSession>();
  private readonly feeds = new Map<string, Feed>();
  private readonly listeners = new Set<() => void>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every change the views should see. */
  version = 0;

  constructor(
    private readonly subscribe: SubscribeCounters,
    private readonly memory: SessionMemory,
  ) {
    for (const s of parseSessions(memory.load())) this.open(s.source, s.pids, s);
  }

  /** The session for these processes, opened (and its streams subscribed) if it is new. */
  open(
    source: SourceId | undefined,
    pids: readonly number[],
    restored?: WatchSession,
  ): WatchSession {
    const key = sessionKey(source, pids);
    let session = this.sessions.get(key);
    if (!session) {
      session = {
        ...(source ? { source } : {}),
        pids: [...pids],
        intervalMs: restored?.intervalMs ?? DEFAULT_INTERVAL_MS,
        range: restored?.range ?? null,
      };
      this.sessions.set(key, session);
      for (const oldest of this.sessions.keys()) {
        if (this.sessions.size <= MAX_SESSIONS) break;
        this.sessions.delete(oldest);
      }
      this.sync();
    }
    return session;
  }

  get(source: SourceId | undefined, pids: readonly number[]): WatchSession | undefined {
    return this.sessions.get(sessionKey(source, pids));
  }

  /** Every open session, oldest first. */
  list(): WatchSession[] {
    return [...this.sessions.values()];
  }

  stream(source: SourceId | undefined, pid: number): ProcessStream {
    return this.feeds.get(streamKey(source, pid))?.stream ?? newStream(pid);
  }

  setInterval(session: WatchSession, intervalMs: number): void {
    this.update(session, { intervalMs });
  }

  setRange(session: WatchSession, range: TimeRange | null): void {
    this.update(session, { range });
  }

  /** Stops watching: the session is forgotten, and streams no other session uses are closed. */
  close(session: WatchSession): void {
    this.sessions.delete(sessionKey(session.source, session.pids));
    this.sync();
  }

  /** For useSyncExternalStore. */
  listen = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private update(session: WatchSession, change: Partial<WatchSession>): void {
    const key = sessionKey(session.source, session.pids);
    const current = this.sessions.get(key);
    if (!current) return;
    this.sessions.set(key, { ...current, ...change });
    this.sync();
  }

  /** Brings the streams in line with the sessions, saves them, and tells the views now. */
  private sync(): void {
    const wanted = new Map<
      string,
      { source: SourceId | undefined; pid: number; intervalMs: number }
    >();
    for (const s of this.sessions.values()) {
      for (const pid of s.pids) {
        const key = streamKey(s.source, pid);
        const seen = wanted.get(key);
        wanted.set(key, {
          source: s.source,
          pid,
          intervalMs: Math.min(seen?.intervalMs ?? Infinity, s.intervalMs),
        });
      }
    }
    for (const [key, feed] of this.feeds) {
      if (!wanted.has(key)) {
        feed.stop();
        this.feeds.delete(key);
      }
    }
    for (const [key, want] of wanted) {
      const feed = this.feeds.get(key);
      if (feed && feed.intervalMs === want.intervalMs && feed.stream.status !== 'error') continue;
      if (feed?.stream.status === 'exited') continue;
      feed?.stop();
      // A new interval keeps what was collected; a failed stream starts over.
      const stream = feed && feed.stream.status !== 'error' ? feed.stream : newStream(want.pid);
      this.feeds.set(key, this.feed(stream, want.source, want.intervalMs));
    }
    this.memory.save(JSON.stringify(this.list()));
    this.notify();
  }

  private feed(stream: ProcessStream, source: SourceId | undefined, intervalMs: number): Feed {
    let stopped = false;
    const pending = this.subscribe(
      { pid: stream.pid, ...(source ? { source } : {}), intervalMs },
      (message) => {
        if (stopped) return;
        if (message.kind === 'data') {
          stream.status = 'live';
          append(stream, message.data);
          updateLeak(stream, false);
        } else if (message.reason !== 'closed') {
          stream.status = message.reason === 'exited' ? 'exited' : 'error';
          stream.error = message.error ? toVmError(message.error) : null;
          updateLeak(stream, true);
        }
        this.flush();
      },
    ).catch((err: unknown) => {
      if (stopped) return null;
      const error = toVmError(err);
      // A saved session whose process ended while the page was away: it has exited, not failed.
      stream.status = error.code === 'process-exited' ? 'exited' : 'error';
      stream.error = error;
      this.flush();
      return null;
    });
    return {
      stream,
      source,
      intervalMs,
      stop: () => {
        stopped = true;
        void pending.then((sub) => sub?.close());
      },
    };
  }

  private notify(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.version++;
    for (const l of this.listeners) l();
  }

  private flush(): void {
    this.flushTimer ??= setTimeout(() => this.notify(), FLUSH_MS);
  }
}
