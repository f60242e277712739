// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { KeyboardEvent } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { groupAllocations } from '../../../../shared/allocations';
import type { RegionRow } from '../../../../shared/regionRows';
import { inspectorList as regions } from './inspectorFixture';
import { columnsFor } from './regionColumns';
import { useRegionTableKeys } from './useRegionTableKeys';
import { useRegionTableState } from './useRegionTableState';
import { useSelectionSums } from './useSelectionSums';

const allocations = groupAllocations(regions.columns);
const regionToAllocation = Int32Array.from([0, 0, 0, 1, 2]);

/** The three inspector hooks together, as SnapshotView uses them. */
function useTable() {
  const table = useRegionTableState(regions, allocations, regionToAllocation);
  const sums = useSelectionSums(regions, table.rows, table.selection.indices);
  const keys = useRegionTableKeys(table, regions, allocations, columnsFor('linux'));
  return { table, sums, keys };
}

const shown = (rows: RegionRow[]): (string | number)[] =>
  rows.map((r) => (r.type === 'region' ? r.region : `a${r.allocation}`));

/** A key press as React hands it to the table, recording whether the table took it. */
function press(key: string, mods: { shiftKey?: boolean; ctrlKey?: boolean } = {}) {
  const event = {
    key,
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    ...mods,
    preventDefault: vi.fn(),
  };
  return {
    event: event as unknown as KeyboardEvent,
    taken: () => event.preventDefault.mock.calls.length > 0,
  };
}

let clipboard: string[] = [];
beforeEach(() => {
  clipboard = [];
  vi.stubGlobal('navigator', {
    clipboard: { writeText: (text: string) => (clipboard.push(text), Promise.resolve()) },
  });
});
// Unmount what this file rendered before its stubs go: vitest has no globals here, so Testing
// Library's automatic cleanup does not run, and a later file's cleanup would unmount it without them.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('useRegionTableState', () => {
  it('starts with one row per allocation, by address, nothing selected', () => {
    const { result } = renderHook(useTable);
    expect(shown(result.current.table.rows)).toEqual(['a0', 'a1', 'a2']);
    expect(result.current.table.filtering).toBe(false);
    expect(result.current.table.focusRegion).toBeNull();
    expect(result.current.sums.chosen.size).toBe(0);
  });

  it('expands and collapses allocations, one or all (only those with several regions)', () => {
    const { result } = renderHook(useTable);
    act(() => result.current.table.toggle(0));
    expect(shown(result.current.table.rows)).toEqual(['a0', 0, 1, 2, 'a1', 'a2']);
    act(() => result.current.table.toggle(0));
    expect(shown(result.current.table.rows)).toEqual(['a0', 'a1', 'a2']);
    act(() => result.current.table.expandAll());
    expect([...result.current.table.expanded]).toEqual([0]);
    act(() => result.current.table.collapseAll());
    expect(result.current.table.expanded.size).toBe(0);
  });

  it('sorts: a new column largest first (address ascending), the same column flips', () => {
    const { result } = renderHook(useTable);
    act(() => result.current.table.onSort('size'));
    expect(result.current.table.sort).toEqual({ key: 'size', descending: true });
    expect(shown(result.current.table.rows)).toEqual(['a2', 'a0', 'a1']);
    act(() => result.current.table.onSort('size'));
    expect(result.current.table.sort).toEqual({ key: 'size', descending: false });
    act(() => result.current.table.onSort('address'));
    expect(result.current.table.sort).toEqual({ key: 'address', descending: false });
  });

  it('filters to a kind picked in the summary, and back to every kind', () => {
    const { result } = renderHook(useTable);
    act(() => result.current.table.onKind('heap'));
    expect(result.current.table.filtering).toBe(true);
    expect(shown(result.current.table.rows)).toEqual(['a1']);
    expect([...(result.current.table.matches ?? [])]).toEqual([0, 0, 0, 1, 0]);
    act(() => result.current.table.onKind(null));
    expect(result.current.table.filtering).toBe(false);
    expect(result.current.table.matches).toBeNull();
  });

  it('selects from the map: a region of a multi-region allocation opens it and focuses that region', () => {
    const { result } = renderHook(useTable);
    act(() => result.current.table.selectFromMap(1));
    expect(result.current.table.expanded.has(0)).toBe(true);
    expect(result.current.table.focusRegion).toBe(1);
    act(() => result.current.table.selectFromMap(3));
    expect(result.current.table.focusRegion).toBe(3);
    expect(result.current.sums.chosen).toEqual(new Set([3]));
    expect(result.current.sums.sums).toEqual({
      size: 0x4000,
      committed: 0x4000,
      ws: 0x2000,
      priv: 0x1000,
    });
  });
});

describe('useRegionTableKeys', () => {
  it('moves the focus with the arrows, extending the selection with shift', () => {
    const { result } = renderHook(useTable);
    const down = press('ArrowDown');
    act(() => result.current.keys.onKeyDown(down.event));
    expect(down.taken()).toBe(true);
    expect(result.current.table.focusRegion).toBe(0);
    act(() => result.current.keys.onKeyDown(press('ArrowDown', { shiftKey: true }).event));
    expect(result.current.table.selection.indices).toEqual(new Set([0, 1]));
    expect(result.current.sums.chosen).toEqual(new Set([0, 1, 2, 3]));
  });

  it('opens an allocation with Enter or ArrowRight and goes back to it with ArrowLeft', () => {
    const { result } = renderHook(useTable);
    act(() => result.current.keys.onKeyDown(press('Home').event));
    act(() => result.current.keys.onKeyDown(press('Enter').event));
    expect(shown(result.current.table.rows)).toEqual(['a0', 0, 1, 2, 'a1', 'a2']);
    act(() => result.current.keys.onKeyDown(press('ArrowDown').event));
    expect(result.current.table.focusRegion).toBe(0);
    act(() => result.current.keys.onKeyDown(press('ArrowLeft').event));
    expect(result.current.table.selection.focus).toBe(0);
    act(() => result.current.keys.onKeyDown(press('ArrowLeft').event));
    expect(shown(result.current.table.rows)).toEqual(['a0', 'a1', 'a2']);
  });

  it('copies the selection with Ctrl+C (text) and Ctrl+Shift+C (CSV), and leaves other keys alone', () => {
    const { result } = renderHook(useTable);
    act(() => result.current.keys.onKeyDown(press('c', { ctrlKey: true }).event));
    expect(clipboard).toEqual([]);
    act(() => result.current.keys.onKeyDown(press('a', { ctrlKey: true }).event));
    expect(result.current.table.selection.indices.size).toBe(3);
    act(() => result.current.keys.onKeyDown(press('c', { ctrlKey: true }).event));
    act(() => result.current.keys.onKeyDown(press('c', { ctrlKey: true, shiftKey: true }).event));
    expect(clipboard).toHaveLength(2);
    expect(clipboard[0]!.split('\n').filter(Boolean)).toHaveLength(4);
    expect(clipboard[0]).toContain('\t');
    expect(clipboard[1]).toContain('\r\n');
    const plain = press('c');
    act(() => result.current.keys.onKeyDown(plain.event));
    expect(plain.taken()).toBe(false);
  });
});
