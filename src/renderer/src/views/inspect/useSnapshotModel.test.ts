// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SORT_KEYS } from '../../../../shared/regionRows';
import { decodeSnapshot, encodeSnapshot } from '../../../../shared/snapshotCodec';
import { inspectorSnapshot } from './inspectorFixture';
import { useSnapshotModel } from './useSnapshotModel';

/** requestIdleCallback by hand (happy-dom has none): each call queues one piece of work. */
let idle: { id: number; run: () => void }[] = [];
const cancelled: number[] = [];
beforeEach(() => {
  idle = [];
  cancelled.length = 0;
  let next = 0;
  vi.stubGlobal('requestIdleCallback', (run: () => void) => {
    next += 1;
    idle.push({ id: next, run });
    return next;
  });
  vi.stubGlobal('cancelIdleCallback', (id: number) => cancelled.push(id));
});
// Unmount what this file rendered before its stubs go: vitest has no globals here, so Testing
// Library's automatic cleanup does not run, and a later file's cleanup would unmount it without them.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('useSnapshotModel', () => {
  it('groups regions into allocations and maps each region to its allocation', () => {
    const { result } = renderHook(() => useSnapshotModel(inspectorSnapshot));
    expect(result.current.allocations.map((a) => [a.first, a.count])).toEqual([
      [0, 3],
      [3, 1],
      [4, 1],
    ]);
    expect([...result.current.regionToAllocation]).toEqual([0, 0, 0, 1, 2]);
  });

  it('paints from a decoded snapshot’s columns without building its Region array', () => {
    const decoded = decodeSnapshot(encodeSnapshot(inspectorSnapshot));
    const { result } = renderHook(() => useSnapshotModel(decoded));
    expect(result.current.allocations.map((a) => [a.first, a.count])).toEqual([
      [0, 3],
      [3, 1],
      [4, 1],
    ]);
    expect(result.current.regions.at(1)).toEqual(inspectorSnapshot.regions[1]);
    // `regions` is still the getter that would build every Region on first read.
    expect(Object.getOwnPropertyDescriptor(decoded, 'regions')?.get).toBeTypeOf('function');
  });

  it('offers each base protection once, sorted, and sums by kind, after the first paint', () => {
    const { result } = renderHook(() => useSnapshotModel(inspectorSnapshot));
    expect(result.current.totals).toBeNull();
    act(() => idle.shift()!.run());
    const totals = result.current.totals!;
    expect(totals.protections).toEqual([
      '(none)',
      'PAGE_NOACCESS',
      'PAGE_READONLY',
      'PAGE_READWRITE',
    ]);
    const heap = totals.summary.find((s) => s.kind === 'heap');
    expect(heap).toMatchObject({ size: 0x4000 });
    expect(totals.frag.largestFree).toBe(0x10000);
  });

  it('derives nothing again when re-rendered with the same regions', () => {
    const { result, rerender } = renderHook(({ snapshot }) => useSnapshotModel(snapshot), {
      initialProps: { snapshot: inspectorSnapshot },
    });
    act(() => idle.shift()!.run());
    const first = result.current;
    expect(first.totals).not.toBeNull();
    rerender({ snapshot: inspectorSnapshot });
    expect(result.current.allocations).toBe(first.allocations);
    expect(result.current.totals).toBe(first.totals);
    rerender({
      snapshot: { ...inspectorSnapshot, regions: inspectorSnapshot.regions.slice(0, 3) },
    });
    expect(result.current.allocations).not.toBe(first.allocations);
    expect(result.current.allocations).toHaveLength(1);
  });

  it('builds the totals, the search index and every sort order one idle callback at a time, and stops on unmount', () => {
    const { unmount } = renderHook(() => useSnapshotModel(inspectorSnapshot));
    let pieces = 0;
    // Only one callback is ever pending: each piece asks for the next.
    while (idle.length > 0) {
      expect(idle).toHaveLength(1);
      idle.shift()!.run();
      pieces += 1;
    }
    expect(pieces).toBe(2 + SORT_KEYS.length);
    unmount();
    expect(cancelled).toEqual([pieces]);
  });
});
