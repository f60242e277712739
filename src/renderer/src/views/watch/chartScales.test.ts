import { describe, expect, it } from 'vitest';
import { timeTicks, valueAxis } from './chartScales';

describe('timeTicks', () => {
  it('gives round times inside the range, about one per 110 px', () => {
    const from = Date.UTC(2026, 0, 1, 10, 0, 7);
    const ticks = timeTicks(from, from + 3_600_000, 1100);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks.length).toBeLessThanOrEqual(13);
    for (const t of ticks) {
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThanOrEqual(from + 3_600_000);
      expect(t % 60_000).toBe(0);
    }
  });

  it('never gives ticks between whole seconds (the labels are hh:mm:ss)', () => {
    const from = Date.UTC(2026, 0, 1, 10, 0, 0, 300);
    const ticks = timeTicks(from, from + 2000, 1100);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.every((t) => t % 1000 === 0)).toBe(true);
  });
});

describe('valueAxis', () => {
  it('rounds the maximum up and ticks from 0 to it', () => {
    expect(valueAxis(123_456_789)).toEqual({
      max: 140_000_000,
      ticks: [0, 20e6, 40e6, 60e6, 80e6, 100e6, 120e6, 140e6],
    });
    const axis = valueAxis(0);
    expect(axis.max).toBeGreaterThan(0);
    expect(axis.ticks[0]).toBe(0);
    // A round maximum stays as it is, so the frame's ticks match the lines' scale.
    expect(valueAxis(valueAxis(987).max)).toEqual(valueAxis(987));
  });

  it('steps bytes by powers of two: 16, 32, 48 MiB, not 19.1, 38.1, 57.2', () => {
    const MiB = 1024 * 1024;
    expect(valueAxis(57 * MiB, true)).toEqual({
      max: 64 * MiB,
      ticks: [0, 16, 32, 48, 64].map((n) => n * MiB),
    });
    expect(valueAxis(3 * MiB, true).ticks).toEqual([0, 1, 2, 3].map((n) => n * MiB));
    expect(valueAxis(700 * MiB, true).ticks).toEqual([0, 256, 512, 768].map((n) => n * MiB));
    expect(valueAxis(0, true).ticks).toEqual([0, 1]);
    // A round maximum stays as it is.
    expect(valueAxis(valueAxis(987_654, true).max, true)).toEqual(valueAxis(987_654, true));
  });
});
