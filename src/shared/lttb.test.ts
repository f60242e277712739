import { describe, expect, it } from 'vitest';
import { TimeBucketLttb, bucketMsFor } from './lttb';

interface Row {
  t: number;
  v: number | null;
}

const rowsOf = (values: (number | null)[], step = 100): Row[] =>
  values.map((v, i) => ({ t: 1_700_000_000_000 + i * step, v }));
const lttb = (bucketMs: number): TimeBucketLttb<Row> =>
  new TimeBucketLttb<Row>(
    (r) => r.t,
    (r) => r.v,
    bucketMs,
  );
const noisy = (n: number, seed = 1): number[] => {
  let s = seed;
  return Array.from({ length: n }, (_, i) => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return 1000 + Math.sin(i / 300) * 400 + (s % 100);
  });
};

describe('bucketMsFor', () => {
  it('gives a power of two that puts one bucket on every one to two pixels', () => {
    for (const [span, px] of [
      [3_600_000, 1100],
      [60_000, 900],
      [1000, 1000],
      [12_345_678, 333],
    ] as const) {
      const ms = bucketMsFor(span, px);
      expect(Math.log2(ms) % 1).toBe(0);
      const buckets = span / ms;
      expect(buckets).toBeLessThanOrEqual(px);
      expect(buckets).toBeGreaterThan(px / 2);
    }
    expect(bucketMsFor(10, 1000)).toBe(1);
  });
});

describe('TimeBucketLttb', () => {
  it('keeps the first and last point and about one point per bucket, ascending', () => {
    const rows = rowsOf(noisy(36_000));
    const bucketMs = bucketMsFor(rows.at(-1)!.t - rows[0]!.t, 1100);
    const kept = lttb(bucketMs).indices(rows, 0, rows.length);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(35_999);
    for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
    const buckets = new Set(rows.map((r) => Math.floor(r.t / bucketMs))).size;
    expect(kept.length).toBeLessThanOrEqual(buckets + 2);
    expect(kept.length).toBeGreaterThanOrEqual(buckets - 1);
    expect(kept.length).toBeLessThan(1200);
  });

  it('keeps a one-sample spike and dip that an every-nth cut would drop', () => {
    const values = Array.from({ length: 36_000 }, () => 100);
    values[12_345] = 5_000;
    values[30_001] = -5_000;
    const kept = lttb(4096).indices(rowsOf(values), 0, values.length);
    expect(kept).toContain(12_345);
    expect(kept).toContain(30_001);
  });

  it('skips null values and keeps every point of a short series', () => {
    const rows = rowsOf([null, 5, null, 7, 8, null]);
    expect(lttb(1).indices(rows, 0, rows.length)).toEqual([1, 3, 4]);
    expect(lttb(1).indices(rowsOf([null, null]), 0, 2)).toEqual([]);
    expect(lttb(1).indices(rows, 2, 2)).toEqual([]);
  });

  it('gives, updated sample by sample, exactly what a fresh pass over the same rows gives', () => {
    const all = rowsOf(noisy(6000, 7).map((v, i) => (i % 97 === 5 ? null : v)));
    const rows: Row[] = [];
    const live = lttb(1024);
    let next = 0;
    for (const chunk of [1, 1, 2, 5, 1, 40, 1, 1, 300, 1, 7, 1000, 1, 1, 2000, 1, 2637]) {
      rows.push(...all.slice(next, next + chunk));
      next += chunk;
      expect(live.indices(rows, 0, rows.length)).toEqual(lttb(1024).indices(rows, 0, rows.length));
    }
    expect(next).toBe(all.length);
    // A range that stops short of the end, then the oldest rows dropped: both start over.
    expect(live.indices(rows, 100, 4000)).toEqual(lttb(1024).indices(rows, 100, 4000));
    rows.splice(0, 500);
    expect(live.indices(rows, 0, rows.length)).toEqual(lttb(1024).indices(rows, 0, rows.length));
  });
});
