import { useMemo, useState } from 'react';
import type { RegionRow } from '../../../../shared/regionRows';

/** A row's identity that survives sorting, filtering and expanding. */
export const rowKey = (row: RegionRow): string => (row.type === 'allocation' ? `a${row.allocation}` : `r${row.region}`);

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

/** Multi-select by keys, in the way file managers do it: click, ctrl-click, shift-click, arrows. */
export function useSelection(rows: readonly RegionRow[]): Selection {
  const [keys, setKeys] = useState<ReadonlySet<string>>(new Set());
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [anchorKey, setAnchorKey] = useState<string | null>(null);
  const indexOf = useMemo(() => new Map(rows.map((r, i) => [rowKey(r), i])), [rows]);
  const indices = useMemo(() => {
    const out = new Set<number>();
    for (const k of keys) {
      const i = indexOf.get(k);
      if (i !== undefined) out.add(i);
    }
    return out;
  }, [keys, indexOf]);
  const focus = focusKey !== null ? (indexOf.get(focusKey) ?? null) : null;

  const range = (from: number, to: number): Set<string> => {
    const out = new Set<string>();
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) out.add(rowKey(rows[i]!));
    return out;
  };

  const click = (index: number, mode: 'single' | 'toggle' | 'range'): void => {
    const row = rows[index];
    if (!row) return;
    const key = rowKey(row);
    const anchor = anchorKey !== null ? indexOf.get(anchorKey) : undefined;
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
