import { describe, expect, it } from 'vitest';
import type { Counters, Sample } from './model';
import { rangeIndices, toSeriesRows } from './series';
import { SERIES_CSV_COLUMNS, seriesCsv } from './seriesCsv';

function counters(over: Partial<Counters>): Counters {
  return {
    workingSetSize: 0,
    peakWorkingSetSize: null,
    privateUsage: 0,
    pagefileUsage: null,
    peakPagefileUsage: null,
    pageFaultCount: 0,
    softFaultCount: null,
    hardFaultCount: null,
    virtualSize: 0,
    peakVirtualSize: null,
    quotaPagedPoolUsage: null,
    quotaNonPagedPoolUsage: null,
    privateWorkingSetSize: null,
    ...over,
  };
}
const sample = (time: number, over: Partial<Counters>): Sample => ({
  pid: 7,
  time,
  counters: counters(over),
});

describe('toSeriesRows', () => {
  it('derives soft and hard faults per second from the cumulative counts', () => {
    const rows = toSeriesRows([
      sample(1_000, { pageFaultCount: 100, softFaultCount: 90, hardFaultCount: 10 }),
      sample(1_500, { pageFaultCount: 160, softFaultCount: 140, hardFaultCount: 20 }),
      sample(2_500, { pageFaultCount: 160, softFaultCount: 140, hardFaultCount: 20 }),
    ]);
    expect(rows[0]).toMatchObject({
      softFaultsPerSec: null,
      hardFaultsPerSec: null,
      faultsPerSec: null,
    });
    expect(rows[1]).toMatchObject({
      softFaultsPerSec: 100,
      hardFaultsPerSec: 20,
      faultsPerSec: 120,
    });
    expect(rows[2]).toMatchObject({ softFaultsPerSec: 0, hardFaultsPerSec: 0 });
  });

  it('splits total faults by the hard count where the source has no soft count (Windows)', () => {
    const rows = toSeriesRows([
      sample(0, { pageFaultCount: 0, hardFaultCount: 0 }),
      sample(2_000, { pageFaultCount: 50, hardFaultCount: 10 }),
    ]);
    expect(rows[1]).toMatchObject({ softFaultsPerSec: 20, hardFaultsPerSec: 5 });
  });

  it('gives no rate for a counter that went backwards', () => {
    const rows = toSeriesRows([
      sample(0, { pageFaultCount: 50, softFaultCount: 50 }),
      sample(1_000, { pageFaultCount: 5, softFaultCount: 5 }),
    ]);
    expect(rows[1]!.softFaultsPerSec).toBeNull();
  });

  it('uses the source peak commit, else the highest private bytes seen', () => {
    const own = toSeriesRows([sample(0, { privateUsage: 5, peakPagefileUsage: 99 })]);
    expect(own[0]!.peakPrivateBytes).toBe(99);
    const seen = toSeriesRows([
      sample(0, { privateUsage: 5 }),
      sample(1, { privateUsage: 9 }),
      sample(2, { privateUsage: 3 }),
    ]);
    expect(seen.map((r) => r.peakPrivateBytes)).toEqual([5, 9, 9]);
  });
});

describe('seriesCsv', () => {
  it('writes a header and one line per sample with ISO times', () => {
    const samples = [
      sample(0, { workingSetSize: 4096, privateUsage: 10 }),
      sample(1_000, { workingSetSize: 8192, privateUsage: 20 }),
    ];
    const lines = seriesCsv([{ samples, rows: toSeriesRows(samples) }])
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(SERIES_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^7,1970-01-01T00:00:01\.000Z,8192,,20,20,/);
  });
});

describe('rangeIndices', () => {
  it('gives the index range of the rows in [from, to], ends included', () => {
    const rows = [1, 2, 3, 5, 8, 13].map((time) => ({ time }));
    expect(rangeIndices(rows, [2, 8])).toEqual([1, 5]);
    expect(rangeIndices(rows, [4, 4])).toEqual([3, 3]);
    expect(rangeIndices(rows, [0, 100])).toEqual([0, 6]);
    expect(rangeIndices(rows, [14, 20])).toEqual([6, 6]);
    expect(rangeIndices(rows, null)).toEqual([0, 6]);
  });
});
