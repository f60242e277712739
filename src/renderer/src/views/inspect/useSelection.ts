import { useMemo, useState } from 'react';
import type { RegionRow } from '../../../../shared/regionRows';

/** A row's identity that survives sorting, filtering and expanding. */
export const rowKey = (row: RegionRow): string =>
  row.type === 'allocation' ? `a${row.allocation}` : `r${row.region}`;

export interface Selection {
  /** Row indices of the selected rows in the current row list. */
  indices: Set<number>;
  focus: number | null;
  click: (index: number, mode: 'single' | 'toggle' | 'range') => void;
  /** Moves the focus by delta rows (extending the selection when asked). */
  move: (delta: number, extend: boolean) => void;
  selectAll: () => void;
  selectKey: (key: string) => void;
}

/** Where the rows with the given keys are, in one pass that builds no key for rows not asked about. */
function rowPositions(rows: readonly RegionRow[], keys: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  if (keys.size === 0) return out;
  const allocations = new Set<number>();
  const regions = new Set<number>();
  for (const key of keys) (key.startsWith('a') ? allocations : regions).add(Number(key.slice(1)));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.type === 'allocation' ? allocations.has(row.allocation) : regions.has(row.region))
      out.set(rowKey(row), i);
  }
  return out;
}

/** Multi-select by keys, in the way file managers do it: click, ctrl-click, shift-click, arrows. */
export function useSelection(rows: readonly RegionRow[]): Selection {
  const [keys, setKeys] = useState<ReadonlySet<string>>(new Set());
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [anchorKey, setAnchorKey] = useState<string | null>(null);
  // Only the wanted keys are looked up, in one scan of the rows: no map of every row's key.
  const wanted = useMemo(() => {
    const out = new Set(keys);
    if (focusKey !== null) out.add(focusKey);
    if (anchorKey !== null) out.add(anchorKey);
    return out;
  }, [keys, focusKey, anchorKey]);
  const positions = useMemo(() => rowPositions(rows, wanted), [rows, wanted]);
  const indices = useMemo(() => {
    const out = new Set<number>();
    for (const k of keys) {
      const i = positions.get(k);
      if (i !== undefined) out.add(i);
    }
    return out;
  }, [keys, positions]);
  const focus = focusKey !== null ? (positions.get(focusKey) ?? null) : null;

  const range = (from: number, to: number): Set<string> => {
    const out = new Set<string>();
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) out.add(rowKey(rows[i]!));
    return out;
  };

  const click = (index: number, mode: 'single' | 'toggle' | 'range'): void => {
    const row = rows[index];
    if (!row) return;
    const key = rowKey(row);
    const anchor = anchorKey !== null ? positions.get(anchorKey) : undefined;
    if (mode === 'range' && anchor !== undefined) {
      setKeys(range(anchor, index));
    } else if (mode === 'toggle') {
      const next = new Set(keys);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      setKeys(next);
      setAnchorKey(key);
    } else {
      setKeys(new Set([key]));
      setAnchorKey(key);
    }
    setFocusKey(key);
  };

  const move = (delta: number, extend: boolean): void => {
    if (rows.length === 0) return;
    const from = focus ?? (delta > 0 ? -1 : rows.length);
    const to = Math.max(0, Math.min(rows.length - 1, from + delta));
    click(to, extend ? 'range' : 'single');
  };

  return {
    indices,
    focus,
    click,
    move,
    selectAll: () => setKeys(new Set(rows.map(rowKey))),
    selectKey: (key) => {
      setKeys(new Set([key]));
      setAnchorKey(key);
      setFocusKey(key);
    },
  };
}
