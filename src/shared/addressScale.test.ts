import { describe, expect, it } from 'vitest';
import { buildScale, regionAt } from './addressScale';
import type { Region } from './model';

const r = (size: number, kind: Region['kind']): Region =>
  ({ base: '0x0', size, kind, state: kind === 'free' ? 'free' : 'committed' }) as Region;

describe('the address scale', () => {
  const regions = [r(4096, 'image'), r(2 ** 46, 'free'), r(8192, 'heap'), r(4096, 'stack')];

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
