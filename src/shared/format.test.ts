import { describe, expect, it } from 'vitest';
import { formatSize } from './format';

describe('formatSize', () => {
  it('names a size in the largest binary unit it reaches, exactly when it can', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(12)).toBe('12 B');
    expect(formatSize(4096)).toBe('4 KiB');
    expect(formatSize(65536)).toBe('64 KiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(5000)).toBe('4.88 KiB');
    expect(formatSize(1n << 40n)).toBe('1 TiB');
    expect(formatSize(3n << 30n)).toBe('3 GiB');
  });

  it('reaches 2^64-1 without losing the unit to a float', () => {
    expect(formatSize((1n << 64n) - 1n)).toBe('15.99 EiB');
    expect(formatSize(1n << 60n)).toBe('1 EiB');
  });
});
