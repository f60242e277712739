import { describe, expect, it } from 'vitest';
import type { Counters } from '../../shared/model';
import { SampleRing } from './sampleRing';

const windows = (n: number): Counters => ({
  workingSetSize: n,
  peakWorkingSetSize: n + 1,
  privateUsage: n + 2,
  pagefileUsage: null,
  peakPagefileUsage: null,
  pageFaultCount: 7,
  softFaultCount: null,
  hardFaultCount: 0,
  virtualSize: 2 ** 47 + n,
  peakVirtualSize: null,
  quotaPagedPoolUsage: 1.5,
  quotaNonPagedPoolUsage: null,
  privateWorkingSetSize: null,
});
const linux = (n: number): Counters => ({
  ...windows(n),
  linux: { rssAnon: n, rssFile: 1, rssShmem: 2, vmSwap: 3, vmLck: 4, vmPte: 5 },
});

describe('SampleRing', () => {
  it('keeps samples in order until full, then drops the oldest, and gives back equal counters', () => {
    const ring = new SampleRing(3);
    ring.push(10, linux(1));
    ring.push(20, windows(2));
    expect(ring.samplesSince(42, 0)).toEqual([
      { pid: 42, time: 10, counters: linux(1) },
      { pid: 42, time: 20, counters: windows(2) },
    ]);
    // No linux key where the counters had none (not even undefined).
    expect('linux' in ring.samplesSince(42, 0)[1]!.counters).toBe(false);
    for (const n of [3, 4, 5]) ring.push(n * 10, linux(n));
    expect(ring.size).toBe(3);
    expect(ring.samplesSince(42, 0).map((s) => s.time)).toEqual([30, 40, 50]);
    // Past the first rows the array grows; the order holds across growth and wrapping.
    const big = new SampleRing(1000);
    for (let n = 0; n < 2500; n++) big.push(n, linux(n));
    const kept = big.samplesSince(1, 0);
    expect(kept.length).toBe(1000);
    expect(kept[0]!.time).toBe(1500);
    expect(kept.at(-1)!.counters).toEqual(linux(2499));
  });

  it('gives the samples at or after a time', () => {
    const ring = new SampleRing(10);
    for (let n = 1; n <= 5; n++) ring.push(n * 100, windows(n));
    expect(ring.samplesSince(1, 300).map((s) => s.time)).toEqual([300, 400, 500]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new SampleRing(0)).toThrow(RangeError);
    expect(() => new SampleRing(2.5)).toThrow(RangeError);
  });
});
