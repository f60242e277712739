// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamMessage } from '../../../../shared/api';
import { VmscopeError } from '../../../../shared/errors';
import type { Sample } from '../../../../shared/model';
import { WatchSessionsProvider, useWatchSession } from '../../WatchSessionsProvider';
import {
  MAX_SESSIONS,
  type SessionMemory,
  type SubscribeCounters,
  WatchSessions,
} from './watchSessions';

const MiB = 1024 * 1024;
const T0 = 1_700_000_000_000;

/** A process whose private bytes grow 1 MiB a second: a leak once there is enough of it. */
function sample(pid: number, second: number): Sample {
  const n = 100 * MiB + second * MiB;
  return {
    pid,
    time: T0 + second * 1000,
    counters: {
      workingSetSize: n,
      peakWorkingSetSize: n,
      privateUsage: n,
      pagefileUsage: null,
      peakPagefileUsage: null,
      pageFaultCount: second,
      softFaultCount: second,
      hardFaultCount: 0,
      virtualSize: 2 * n,
      peakVirtualSize: null,
      quotaPagedPoolUsage: null,
      quotaNonPagedPoolUsage: null,
      privateWorkingSetSize: null,
    },
  };
}
const seconds = (pid: number, from: number, to: number): Sample[] =>
  Array.from({ length: to - from }, (_, i) => sample(pid, from + i));

/** counters.watch by hand: every subscription is recorded, and the test sends its messages. */
function fakeService() {
  const subs: {
    input: Parameters<SubscribeCounters>[0];
    send: (m: StreamMessage<Sample[]>) => void;
    closed: boolean;
  }[] = [];
  let fail: VmscopeError | null = null;
  const subscribe: SubscribeCounters = (input, listener) => {
    if (fail) return Promise.reject(fail);
    const sub = { input, send: listener, closed: false };
    subs.push(sub);
    return Promise.resolve({ close: () => (sub.closed = true) });
  };
  const open = (pid: number) => subs.filter((s) => s.input.pid === pid && !s.closed);
  return { subs, subscribe, open, failWith: (e: VmscopeError | null) => (fail = e) };
}

function memory(initial: string | null = null): SessionMemory & { text: string | null } {
  const m = { text: initial, load: () => m.text, save: (t: string) => void (m.text = t) };
  return m;
}

/** Lets the store's batched notification (250 ms) and the resulting render happen. */
const settle = () => act(() => vi.advanceTimersByTimeAsync(300));

beforeEach(() => {
  vi.useFakeTimers();
});
// Unmount what this file rendered before its stubs go: vitest has no globals here, so Testing
// Library's automatic cleanup does not run, and a later file's cleanup would unmount it without them.
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('WatchSessions', () => {
  it('keeps samples, zoom and verdict when the view leaves and comes back, without resubscribing', async () => {
    const service = fakeService();
    const store = new WatchSessions(service.subscribe, memory());
    const wrapper = ({ children }: { children: ReactNode }) => (
      <WatchSessionsProvider store={store}>{children}</WatchSessionsProvider>
    );
    const first = renderHook(() => useWatchSession(undefined, [42]), { wrapper });
    await settle();
    expect(service.open(42)).toHaveLength(1);
    service.open(42)[0]!.send({ kind: 'data', data: seconds(42, 0, 60) });
    await settle();
    expect(first.result.current.streams[0]!.rows).toHaveLength(60);
    expect(first.result.current.streams[0]!.leak.verdict).toBe('leak');
    act(() =>
      first.result.current.store.setRange(first.result.current.session, [T0 + 10_000, T0 + 30_000]),
    );
    first.unmount();

    // Away (on Compare): the stream stays open and keeps collecting.
    expect(service.open(42)).toHaveLength(1);
    service.open(42)[0]!.send({ kind: 'data', data: seconds(42, 60, 65) });
    const again = renderHook(() => useWatchSession(undefined, [42]), { wrapper });
    await settle();
    expect(service.subs).toHaveLength(1);
    expect(again.result.current.streams[0]!.rows).toHaveLength(65);
    expect(again.result.current.streams[0]!.leak.verdict).toBe('leak');
    expect(again.result.current.session.range).toEqual([T0 + 10_000, T0 + 30_000]);
    again.unmount();
  });

  it('a reload reopens the saved sessions: same interval and zoom, and the replayed history fills the chart', async () => {
    const saved = memory();
    const before = new WatchSessions(fakeService().subscribe, saved);
    const session = before.open('linux', [7, 8]);
    before.setInterval(before.get('linux', [7, 8])!, 250);
    before.setRange(before.get('linux', [7, 8])!, [T0, T0 + 5000]);
    expect(session.pids).toEqual([7, 8]);

    const service = fakeService();
    const after = new WatchSessions(service.subscribe, saved);
    expect(after.list()).toEqual([
      { source: 'linux', pids: [7, 8], intervalMs: 250, range: [T0, T0 + 5000] },
    ]);
    expect(service.subs.map((s) => s.input)).toEqual([
      { pid: 7, source: 'linux', intervalMs: 250 },
      { pid: 8, source: 'linux', intervalMs: 250 },
    ]);
    // The service's first batch is its history: the chart starts with the past, not empty.
    service.open(7)[0]!.send({ kind: 'data', data: seconds(7, 0, 40) });
    expect(after.stream('linux', 7).rows).toHaveLength(40);
    expect(after.stream('linux', 7).status).toBe('live');
  });

  it('ignores a saved memory it cannot trust', () => {
    for (const text of ['not json', '{"pids":[1]}', '[{"pids":[]}]', '[{"pids":["x"]}]']) {
      const service = fakeService();
      expect(new WatchSessions(service.subscribe, memory(text)).list()).toEqual([]);
      expect(service.subs).toHaveLength(0);
    }
    const odd = new WatchSessions(
      fakeService().subscribe,
      memory('[{"pids":[5],"source":"mars","intervalMs":3,"range":[9,1]}]'),
    );
    expect(odd.list()).toEqual([{ pids: [5], intervalMs: 1000, range: null }]);
  });

  it('closes a stream when no session watches its process any more', async () => {
    const service = fakeService();
    const saved = memory();
    const store = new WatchSessions(service.subscribe, saved);
    const both = store.open(undefined, [1, 2]);
    const one = store.open(undefined, [1]);
    expect(service.subs).toHaveLength(2);
    store.close(both);
    await vi.advanceTimersByTimeAsync(0);
    expect(service.open(2)).toHaveLength(0);
    expect(service.open(1)).toHaveLength(1);
    store.close(one);
    await vi.advanceTimersByTimeAsync(0);
    expect(service.open(1)).toHaveLength(0);
    expect(JSON.parse(saved.text!)).toEqual([]);
  });

  it(`keeps at most ${MAX_SESSIONS} sessions: the oldest is closed, streams and all`, async () => {
    const service = fakeService();
    const store = new WatchSessions(service.subscribe, memory());
    for (let pid = 1; pid <= MAX_SESSIONS + 1; pid++) store.open(undefined, [pid]);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.list().map((s) => s.pids[0])).toEqual(
      Array.from({ length: MAX_SESSIONS }, (_, i) => i + 2),
    );
    expect(service.open(1)).toHaveLength(0);
    expect(service.open(2)).toHaveLength(1);
  });

  it('a new interval resubscribes and keeps what was collected (the replay is not doubled)', async () => {
    const service = fakeService();
    const store = new WatchSessions(service.subscribe, memory());
    const session = store.open(undefined, [3]);
    service.open(3)[0]!.send({ kind: 'data', data: seconds(3, 0, 20) });
    store.setInterval(session, 500);
    await vi.advanceTimersByTimeAsync(0);
    expect(service.subs[0]!.closed).toBe(true);
    const now = service.open(3);
    expect(now.map((s) => s.input.intervalMs)).toEqual([500]);
    now[0]!.send({ kind: 'data', data: seconds(3, 0, 25) });
    expect(store.stream(undefined, 3).rows).toHaveLength(25);
  });

  it('says when a watched process exits, and does not resubscribe to it', () => {
    const service = fakeService();
    const store = new WatchSessions(service.subscribe, memory());
    const session = store.open(undefined, [9]);
    service.open(9)[0]!.send({ kind: 'data', data: seconds(9, 0, 5) });
    service.open(9)[0]!.send({ kind: 'end', reason: 'exited' });
    expect(store.stream(undefined, 9).status).toBe('exited');
    expect(store.stream(undefined, 9).rows).toHaveLength(5);
    store.setInterval(session, 2000);
    expect(service.subs).toHaveLength(1);
  });

  it('a saved process that ended while the page was away is shown as exited', async () => {
    const service = fakeService();
    service.failWith(new VmscopeError('process-exited', 'Process 11 has exited.'));
    const store = new WatchSessions(service.subscribe, memory('[{"pids":[11]}]'));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.stream(undefined, 11).status).toBe('exited');
  });
});
