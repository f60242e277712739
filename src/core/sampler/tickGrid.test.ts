import { afterEach, describe, expect, it, vi } from 'vitest';
import { TickGrid } from './tickGrid';

const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

afterEach(() => vi.restoreAllMocks());

describe('TickGrid', () => {
  it('runs every callback of one interval in the same turn, from one timer', async () => {
    const grid = new TickGrid(now);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    let turns = 0;
    let inTurn = false;
    let together = 0;
    const leaves = Array.from({ length: 20 }, (_, i) =>
      grid.join(40, () => {
        if (i === 0) {
          turns += 1;
          inTurn = true;
          // Node runs microtasks between two timers' callbacks: still set means the same callback.
          queueMicrotask(() => (inTurn = false));
        } else if (inTurn) together += 1;
      }),
    );
    await expect.poll(() => turns, { timeout: 5000 }).toBeGreaterThanOrEqual(6);
    leaves.forEach((leave) => leave());
    expect(together).toBe(turns * 19);
    // One grid timer per turn, not one per callback (the poll's own timers are 100 ms and more).
    expect(timers.mock.calls.filter(([, delay]) => typeof delay === 'number' && delay <= 40).length).toBeLessThanOrEqual(turns + 2);
  });

  it('fires on the multiples of the interval, and a late turn skips the points it missed', async () => {
    const grid = new TickGrid(now);
    const times: number[] = [];
    const leave = grid.join(50, () => {
      times.push(now());
      // The first turn blocks the loop for three grid points.
      if (times.length === 1) {
        const until = now() + 160;
        while (now() < until);
      }
    });
    await expect.poll(() => times.length, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
    leave();
    // Fixed rate: a late turn is followed by an on-time one, but never two for one grid point.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(20);
    expect(times.length - 1).toBeLessThanOrEqual((times.at(-1)! - times[0]!) / 50 + 1);
    expect(times[1]! - times[0]!).toBeGreaterThan(150);
    // On the grid: each call near a multiple of 50 ms (late under load, never by a whole interval).
    const phase = times.map((t) => ((t % 50) + 50 + 2) % 50);
    expect(Math.min(...phase)).toBeLessThan(25);
  });

  it('stops when the last callback leaves, and keeps other intervals running', async () => {
    const grid = new TickGrid(now);
    let fast = 0;
    let slow = 0;
    const leaveFast = grid.join(20, () => (fast += 1));
    const leaveSlow = grid.join(30, () => (slow += 1));
    await expect.poll(() => fast, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    leaveFast();
    leaveFast();
    const stoppedAt = fast;
    const slowBefore = slow;
    await sleep(200);
    expect(fast).toBe(stoppedAt);
    expect(slow).toBeGreaterThan(slowBefore);
    leaveSlow();
  });
});
