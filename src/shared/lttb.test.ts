import { describe, expect, it } from 'vitest';
import { downsampleRows, lttbIndices } from './lttb';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('lttbIndices', () => {
  it('keeps every point when there are no more than the threshold', () => {
    expect(lttbIndices([0, 1, 2], [5, 6, 7], 10)).toEqual([0, 1, 2]);
    expect(lttbIndices([], [], 10)).toEqual([]);
  });

  it('keeps exactly threshold points, ascending, first and last included', () => {
    const xs = range(10_000);
    const ys = xs.map((x) => Math.sin(x / 100));
    const kept = lttbIndices(xs, ys, 500);
    expect(kept).toHaveLength(500);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(9_999);
    for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
  });

  it('keeps a one-sample spike that an every-nth cut would drop', () => {
    const xs = range(36_000);
    const ys = xs.map(() => 100);
    ys[12_345] = 5_000;
    ys[30_001] = -5_000;
    const kept = lttbIndices(xs, ys, 800);
    expect(kept).toContain(12_345);
    expect(kept).toContain(30_001);
  });
});

describe('downsampleRows', () => {
  it('keeps the peaks of every series, not only the first', () => {
    const rows = range(20_000).map((i) => ({ t: i, a: i === 500 ? 9 : 1, b: i === 17_777 ? 9 : 1 }));
    const out = downsampleRows(rows, (r) => r.t, [(r) => r.a, (r) => r.b], 300);
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out.map((r) => r.t)).toEqual(expect.arrayContaining([500, 17_777]));
    expect(out.map((r) => r.t)).toEqual([...out.map((r) => r.t)].sort((x, y) => x - y));
  });

  it('returns a copy of short input unchanged', () => {
    const rows = [{ t: 1 }, { t: 2 }];
    const out = downsampleRows(rows, (r) => r.t, [(r) => r.t], 10);
    expect(out).toEqual(rows);
    expect(out).not.toBe(rows);
  });
});
