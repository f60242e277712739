import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamMessage } from '../../src/shared/api';
import { VmscopeError } from '../../src/shared/errors';
import type { Counters, Sample } from '../../src/shared/model';
import { createConnection } from '../../src/core/connection';
import { Sampler } from '../../src/core/sampler/sampler';
import { createService } from '../../src/core/service';
import { createLocalServiceHost } from '../../src/core/serviceHost';
import { SourceRegistry } from '../../src/core/sources/registry';
import type { Source } from '../../src/core/sources/source';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';

const ALLOCATOR = resolve('test/sampler/allocator.mjs');
const MiB = 1024 * 1024;

afterEach(stopAllChildren);

/** Collects a stream's samples and its end. */
function collector() {
  const batches: Sample[][] = [];
  let end: Extract<StreamMessage, { kind: 'end' }> | null = null;
  const emit = (m: StreamMessage<Sample[]>): void => {
    if (m.kind === 'data') batches.push(m.data);
    else end = m;
  };
  return {
    emit,
    batches,
    samples: () => batches.flat(),
    end: () => end,
  };
}

function counters(n: number): Counters {
  return {
    workingSetSize: n,
    peakWorkingSetSize: n,
    privateUsage: n,
    pagefileUsage: null,
    peakPagefileUsage: null,
    pageFaultCount: n,
    softFaultCount: n,
    hardFaultCount: 0,
    virtualSize: n,
    peakVirtualSize: null,
    quotaPagedPoolUsage: null,
    quotaNonPagedPoolUsage: null,
    privateWorkingSetSize: null,
  };
}

/** A source whose counters count reads, and that can be made to fail. */
function fakeSource(): Source & { reads: number; fail: VmscopeError | null } {
  const fake = {
    id: 'simulated' as const,
    reads: 0,
    fail: null as VmscopeError | null,
    layout: () => ({
      pageSize: 4096,
      allocationGranularity: 65536,
      minAddress: '0x10000',
      maxAddress: '0x7ffeffff',
    }),
    listProcesses: async () => [],
    snapshot: async () => {
      throw new Error('not used');
    },
    pages: async () => {
      throw new Error('not used');
    },
    counters: async () => {
      if (fake.fail) throw fake.fail;
      fake.reads += 1;
      return counters(fake.reads);
    },
  };
  return fake;
}

const isAscending = (xs: number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

describe.runIf(process.platform === 'linux')('the sampler against a real process', () => {
  it('sees its working set, private bytes and soft faults rise, and ends with `exited` when it exits', async () => {
    const child = spawnChild(process.execPath, [ALLOCATOR, '8', '150', '6', '600', 'on-signal']);
    expect(await firstLine(child)).toBe('ready');
    const sampler = new Sampler();
    const watch = collector();
    sampler.watch(createLinuxSource(), child.pid!, 100, watch.emit);
    // Start allocating once the first sample is in, so it shows the memory before.
    await expect.poll(() => watch.samples().length, { timeout: 5000 }).toBeGreaterThan(0);
    child.kill('SIGUSR2');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    await expect.poll(() => watch.end(), { timeout: 5000 }).not.toBeNull();

    expect(watch.end()).toMatchObject({
      kind: 'end',
      reason: 'exited',
      error: { code: 'process-exited' },
    });
    const samples = watch.samples();
    expect(samples.length).toBeGreaterThan(8);
    expect(isAscending(samples.map((s) => s.time))).toBe(true);
    const first = samples[0]!.counters;
    const peak = samples.reduce(
      (a, s) => (s.counters.workingSetSize > a.workingSetSize ? s.counters : a),
      first,
    );
    // 6 x 8 MiB were allocated and touched.
    expect(peak.workingSetSize - first.workingSetSize).toBeGreaterThan(40 * MiB);
    expect(peak.privateUsage - first.privateUsage).toBeGreaterThan(40 * MiB);
    // Touching 48 MiB takes a soft fault per page, or per huge page where THP backs the heap.
    expect(peak.softFaultCount! - first.softFaultCount!).toBeGreaterThan((48 * MiB) / (2 * MiB));
    expect(sampler.size).toBe(0);
  });

  it('ends at once with `exited` for a pid that is gone', async () => {
    const child = spawnChild(process.execPath, ['-e', '']);
    await once(child, 'exit');
    const watch = collector();
    new Sampler().watch(createLinuxSource(), child.pid!, 100, watch.emit);
    await expect.poll(() => watch.end()?.reason, { timeout: 5000 }).toBe('exited');
    expect(watch.samples()).toEqual([]);
  });
});

describe('the sampler ring and its watchers', () => {
  // Fake timers and clock: the sampler's timers fire exactly when the test says, so the counts
  // below hold on any machine, under any load.
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(5_000_000);
  });
  afterEach(() => vi.useRealTimers());
  const fakeClock = { now: () => Date.now(), readers: {} };

  it('keeps at most the retention period, and replays it to a late watcher before live samples', async () => {
    const source = fakeSource();
    const sampler = new Sampler({ retentionMs: 500, minIntervalMs: 100, ...fakeClock });
    const early = collector();
    const stopEarly = sampler.watch(source, 42, 100, early.emit);
    await vi.advanceTimersByTimeAsync(1600);
    // A read when the first watcher joins, then one per 100 ms.
    expect(source.reads).toBe(17);

    const late = collector();
    const stopLate = sampler.watch(source, 42, 100, late.emit);
    await vi.advanceTimersByTimeAsync(400);
    const [history, ...live] = late.batches;
    // One batch of history: the ring's 500 ms at 100 ms, plus one, oldest first.
    expect(history!.map((s) => s.counters.workingSetSize)).toEqual([12, 13, 14, 15, 16, 17]);
    expect(history!.at(-1)!.time - history![0]!.time).toBe(500);
    // ...then live samples, one per batch, continuing where the history stopped.
    expect(live.map((b) => b.map((s) => s.counters.workingSetSize))).toEqual([
      [18],
      [19],
      [20],
      [21],
    ]);
    // The early watcher saw every sample once; both share one reader.
    expect(early.samples().map((s) => s.counters.workingSetSize)).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
    stopEarly();
    stopLate();
  });

  it('thins samples for a slower watcher and samples no faster than the fastest watcher needs', async () => {
    const source = fakeSource();
    const sampler = new Sampler(fakeClock);
    const slow = collector();
    const fast = collector();
    const stopSlow = sampler.watch(source, 7, 1000, slow.emit);
    const stopFast = sampler.watch(source, 7, 100, fast.emit);
    await vi.advanceTimersByTimeAsync(3000);
    expect(fast.samples()).toHaveLength(31);
    stopFast();
    const times = slow.samples().map((s) => s.time);
    expect(times).toEqual([5_000_000, 5_001_000, 5_002_000, 5_003_000]);
    // With only the slow watcher left, the reads slow down to its interval.
    const readsAfter = source.reads;
    await vi.advanceTimersByTimeAsync(3000);
    expect(source.reads - readsAfter).toBe(3);
    stopSlow();
  });

  it('samples on for the linger time after the last watcher leaves, so a reload finds the history, then forgets the process', async () => {
    const source = fakeSource();
    const sampler = new Sampler({ ...fakeClock, lingerMs: 1000 });
    const stop = sampler.watch(source, 9, 100, collector().emit);
    await vi.advanceTimersByTimeAsync(300);
    expect(source.reads).toBe(4);
    stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(sampler.size).toBe(1);
    // A reloaded window resubscribes within the linger: every sample is there, nothing missed.
    const back = collector();
    const stopBack = sampler.watch(source, 9, 100, back.emit);
    await vi.advanceTimersByTimeAsync(0);
    expect(source.reads).toBeGreaterThan(4);
    expect(back.batches[0]!.map((s) => s.counters.workingSetSize)).toEqual(
      Array.from({ length: source.reads }, (_, i) => i + 1),
    );
    stopBack();
    await vi.advanceTimersByTimeAsync(999);
    expect(sampler.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sampler.size).toBe(0);
    const reads = source.reads;
    await vi.advanceTimersByTimeAsync(1000);
    expect(source.reads).toBe(reads);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends every watcher with `error` when reading fails for another reason', async () => {
    const source = fakeSource();
    const sampler = new Sampler(fakeClock);
    const a = collector();
    const b = collector();
    sampler.watch(source, 5, 100, a.emit);
    sampler.watch(source, 5, 200, b.emit);
    await vi.advanceTimersByTimeAsync(200);
    expect(source.reads).toBe(3);
    source.fail = new VmscopeError('access-denied', 'Not allowed.');
    await vi.advanceTimersByTimeAsync(100);
    expect(a.end()).toMatchObject({ reason: 'error', error: { code: 'access-denied' } });
    expect(b.end()).toMatchObject({ reason: 'error', error: { code: 'access-denied' } });
    expect(sampler.size).toBe(0);
  });

  it('ends the sampling of a connection that goes away (a closed window or socket)', async () => {
    const sampler = new Sampler();
    const registry = new SourceRegistry();
    const host = createLocalServiceHost(createService(registry, sampler));
    const connection = createConnection(host, () => {});
    const pid = process.platform === 'linux' ? process.pid : 1;
    const result = await connection.subscribe('counters.watch', { pid, intervalMs: 100 });
    expect(result.ok).toBe(true);
    expect(sampler.size).toBe(1);
    await connection.dispose();
    expect(sampler.size).toBe(0);
    await host.close();
  });
});
