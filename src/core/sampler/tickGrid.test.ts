import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TickGrid } from './tickGrid';

// Fake timers: the grid's clock and its timers are the test's, so every figure below is exact
// however loaded the machine is.
const now = (): number => Date.now();

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('TickGrid', () => {
  it('runs every callback of one interval in the same turn, from one timer', () => {
    const grid = new TickGrid(now);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const turns: number[][] = [];
    const leaves = Array.from({ length: 20 }, (_, i) =>
      grid.join(40, () => {
        if (i === 0) turns.push([]);
        turns.at(-1)!.push(i);
      }),
    );
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(40 * 6);
    leaves.forEach((leave) => leave());
    expect(turns).toHaveLength(6);
    for (const turn of turns) expect(turn).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // One timer per turn, not one per callback.
    expect(timers).toHaveBeenCalledTimes(6 + 1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires on the multiples of the interval, and a late turn skips the points it missed', () => {
    vi.setSystemTime(1_000_010);
    const grid = new TickGrid(now);
    const times: number[] = [];
    const leave = grid.join(50, () => {
      times.push(now());
      // The first turn takes three grid points' worth of time.
      if (times.length === 1) vi.setSystemTime(now() + 160);
    });
    vi.advanceTimersByTime(400);
    leave();
    // 1,000,050 is the first point; the turn ends at ...210, so ...100 to ...200 are skipped. The
    // clock went 400 ms plus the turn's 160 forward, to ...570.
    expect(times).toEqual([
      1_000_050, 1_000_250, 1_000_300, 1_000_350, 1_000_400, 1_000_450, 1_000_500, 1_000_550,
    ]);
  });

  it('stops when the last callback leaves, and keeps other intervals running', () => {
    const grid = new TickGrid(now);
    let fast = 0;
    let slow = 0;
    const leaveFast = grid.join(20, () => (fast += 1));
    const leaveSlow = grid.join(30, () => (slow += 1));
    vi.advanceTimersByTime(60);
    expect([fast, slow]).toEqual([3, 2]);
    leaveFast();
    // Leaving twice is harmless.
    leaveFast();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(200);
    expect(fast).toBe(3);
    expect(slow).toBe(9);
    leaveSlow();
    expect(vi.getTimerCount()).toBe(0);
  });
});
