import { startTransition, useEffect, useMemo, useState } from 'react';
import { type VmError, toVmError } from '../../../../shared/errors';
import { DEFAULT_LEAK_OPTIONS, type LeakTrend, detectLeak } from '../../../../shared/leak';
import type { Sample, SourceId } from '../../../../shared/model';
import { type SeriesRow, nextRow } from '../../../../shared/series';
import { client } from '../../client';

export type StreamStatus = 'connecting' | 'live' | 'exited' | 'error';

/** One watched process as the view sees it. Arrays grow in place; `version` says when. */
export interface ProcessStream {
  pid: number;
  samples: Sample[];
  rows: SeriesRow[];
  status: StreamStatus;
  error: VmError | null;
  leak: LeakTrend;
  leakAt: number;
}

/** The client keeps what the service keeps: an hour. */
const KEEP_MS = 60 * 60_000;
/** Leak detection is O(window) and the trend moves slowly: at most every 2 s per process. */
const LEAK_EVERY_MS = 2000;
/**
 * Re-render at most this often, however fast the samples come: recharts redraws every row it is
 * given on each update, so a redraw per 100 ms sample would keep a slow machine busy.
 */
const FLUSH_MS = 250;

function newStream(pid: number): ProcessStream {
  return { pid, samples: [], rows: [], status: 'connecting', error: null, leak: detectLeak([]), leakAt: 0 };
}

function append(stream: ProcessStream, batch: Sample[]): void {
  for (const sample of batch) {
    const lastSample = stream.samples.at(-1);
    // A re-subscription (new interval) replays history we already have.
    if (lastSample && sample.time <= lastSample.time) continue;
    const lastRow = stream.rows.at(-1);
    stream.rows.push(nextRow(sample, lastSample && lastRow ? { sample: lastSample, row: lastRow } : null));
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

/**
 * Subscribes to `counters.watch` for each pid and keeps its samples, chart rows and leak trend.
 * Changing the interval re-subscribes without losing what was collected.
 */
export function useWatchStreams(
  pids: readonly number[],
  source: SourceId | undefined,
  intervalMs: number,
): { streams: ProcessStream[]; version: number } {
  // Mutated by the stream listeners, not replaced: `version` tells React when it changed.
  const [store] = useState(() => new Map<string, ProcessStream>());
  const [version, setVersion] = useState(0);
  const pidKey = pids.join(',');

  useEffect(() => {
    let closed = false;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      flushTimer ??= setTimeout(() => {
        flushTimer = undefined;
        // A transition: typing, clicks and the toolbar stay responsive while charts redraw.
        if (!closed) startTransition(() => setVersion((v) => v + 1));
      }, FLUSH_MS);
    };
    const wanted = new Set(pids.map((pid) => `${source ?? ''}:${pid}`));
    for (const key of store.keys()) if (!wanted.has(key)) store.delete(key);
    const subscriptions = pids.map(async (pid) => {
      const key = `${source ?? ''}:${pid}`;
      let stream = store.get(key);
      if (!stream || stream.status === 'error') {
        stream = newStream(pid);
        store.set(key, stream);
      }
      const s = stream;
      if (s.status === 'exited') return null;
      try {
        return await client.subscribe('counters.watch', { pid, source, intervalMs }, (message) => {
          if (closed) return;
          if (message.kind === 'data') {
            s.status = 'live';
            append(s, message.data);
            updateLeak(s, false);
          } else if (message.reason !== 'closed') {
            s.status = message.reason === 'exited' ? 'exited' : 'error';
            s.error = message.error ? toVmError(message.error) : null;
            updateLeak(s, true);
          }
          flush();
        });
      } catch (err) {
        s.status = 'error';
        s.error = toVmError(err);
        flush();
        return null;
      }
    });
    return () => {
      closed = true;
      clearTimeout(flushTimer);
      for (const pending of subscriptions) void pending.then((sub) => sub?.close());
    };
    // pidKey stands for pids.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, pidKey, source, intervalMs]);

  const streams = useMemo(
    () => pids.map((pid) => store.get(`${source ?? ''}:${pid}`) ?? newStream(pid)),
    // pidKey stands for pids; version says the store changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, pidKey, source, version],
  );
  return { streams, version };
}
