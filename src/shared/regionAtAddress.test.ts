import { describe, expect, it } from 'vitest';
import type { Region } from './model';
import { regionAtAddress } from './regionAtAddress';

const region = (base: number, size: number): Region =>
  ({ base: `0x${base.toString(16)}`, size }) as Region;

describe('regionAtAddress', () => {
  const regions = [
    region(0, 0x1000),
    region(0x1000, 0x3000),
    region(0x4000, 0x1000),
    region(0x10000, 0x1000),
  ];
  it('finds the region holding the first, a middle and the last byte', () => {
    expect(regionAtAddress(regions, 0n)).toBe(0);
    expect(regionAtAddress(regions, 0x1000n)).toBe(1);
    expect(regionAtAddress(regions, 0x2abcn)).toBe(1);
    expect(regionAtAddress(regions, 0x3fffn)).toBe(1);
    expect(regionAtAddress(regions, 0x10fffn)).toBe(3);
  });
  it('says -1 for an address in no region', () => {
    expect(regionAtAddress(regions, 0x5000n)).toBe(-1);
    expect(regionAtAddress(regions, 0x11000n)).toBe(-1);
    expect(regionAtAddress([], 0n)).toBe(-1);
  });
});
