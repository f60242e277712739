import { describe, expect, it } from 'vitest';
import { buildScale, regionAt, splitAcrossRows } from './addressScale';
import { REGION_KINDS, type RegionKind } from './model';

const sizes = (...regions: [number, RegionKind][]) => ({
  count: regions.length,
  size: Float64Array.from(regions, ([size]) => size),
  kind: Uint8Array.from(regions, ([, kind]) => REGION_KINDS.indexOf(kind)),
});
const r = (size: number, kind: RegionKind): [number, RegionKind] => [size, kind];

describe('the address scale', () => {
  const regions = sizes(r(4096, 'image'), r(2 ** 46, 'free'), r(8192, 'heap'), r(4096, 'stack'));

  it('lays regions end to end in bytes on the linear scale', () => {
    const s = buildScale(regions, 'linear');
    expect([...s.starts]).toEqual([0, 4096, 4096 + 2 ** 46, 4096 + 2 ** 46 + 8192]);
    expect(s.total).toBe(2 ** 46 + 16384);
  });

  it('shrinks huge free gaps on the compact scale and keeps used regions whole', () => {
    const s = buildScale(regions, 'compact');
    expect(s.lengths[1]).toBe(64 * 1024);
    expect(s.lengths[2]).toBe(8192);
    expect(s.total).toBe(4096 + 65536 + 8192 + 4096);
  });

  it('finds the region under a point, and nothing outside', () => {
    const s = buildScale(regions, 'compact');
    expect(regionAt(s, 0)).toBe(0);
    expect(regionAt(s, 4095)).toBe(0);
    expect(regionAt(s, 4096)).toBe(1);
    expect(regionAt(s, s.total - 1)).toBe(3);
    expect(regionAt(s, s.total)).toBe(-1);
    expect(regionAt(s, -1)).toBe(-1);
  });
});

const pieces = (
  u0: number,
  u1: number,
  rowSpan: number,
  rows: number,
): [number, number, number][] => {
  const out: [number, number, number][] = [];
  splitAcrossRows(u0, u1, rowSpan, rows, (row, from, to) => out.push([row, from, to]));
  return out;
};

describe('splitting a span across the rows of the map', () => {
  it('gives one piece per row crossed', () => {
    expect(pieces(50, 250, 100, 6)).toEqual([
      [0, 50, 100],
      [1, 0, 100],
      [2, 0, 50],
    ]);
  });

  it('ends even when rounding puts the end of the last row below the end of the view', () => {
    // 6 rows of span/6: 6 * (span / 6) can fall short of span by a rounding step.
    for (const span of [0.1 * 3, 123_456_789.7, 491_642_880, 2 ** 47 + 12_345]) {
      const rowSpan = span / 6;
      expect(pieces(6 * rowSpan, span + 1e-3, rowSpan, 6).length).toBeLessThanOrEqual(1);
      const all = pieces(0, span, rowSpan, 6);
      expect(all.length).toBeLessThanOrEqual(6);
      expect(all.at(-1)![0]).toBe(5);
    }
  });
});
