import {
  type ColumnDef,
  type Table,
  type Updater,
  functionalUpdate,
  getCoreRowModel,
  useReactTable,
} from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import type { SourceId } from '../../../../shared/model';
import type { RegionRow, SortKey } from '../../../../shared/regionRows';
import {
  type ColumnLayout,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  clearLayout,
  defaultLayout,
  layoutText,
  loadLayout,
  saveLayout,
} from './columnLayout';
import { type Column, columnsFor } from './regionColumns';

export const EXPANDER_WIDTH = 22;

/** The region table's columns as the user arranged them, and the ways to arrange them. */
export interface ColumnLayoutState {
  /** TanStack Table's column model: sizes and resize handlers for the headers. */
  table: Table<RegionRow>;
  /** The columns shown, in order. */
  shown: readonly Column[];
  /** Every column this source has, in the user's order. */
  all: readonly Column[];
  isShown: (key: SortKey) => boolean;
  width: (key: SortKey) => number;
  setWidth: (key: SortKey, width: number) => void;
  toggle: (key: SortKey) => void;
  /** Moves `key` one place (-1 earlier, 1 later) among all columns. */
  move: (key: SortKey, by: -1 | 1) => void;
  /** Puts `key` where `target` is (a header dropped on another). */
  moveTo: (key: SortKey, target: SortKey) => void;
  reset: () => void;
  /** CSS grid-template-columns for every row, and the rows' least width. */
  template: string;
  minWidth: number;
}

const NO_ROWS: RegionRow[] = [];
const coreRowModel = getCoreRowModel<RegionRow>();

/**
 * Column order, visibility and widths, kept per source in localStorage. TanStack Table holds
 * the state and does the resizing; the rows stay the table's own virtualized model (the column
 * model is given no data).
 */
export function useColumnLayout(source: SourceId): ColumnLayoutState {
  const available = useMemo(() => columnsFor(source), [source]);
  const [state, setState] = useState(() => ({
    source,
    layout: loadLayout(source, available),
  }));
  let layout = state.layout;
  if (state.source !== source) {
    layout = loadLayout(source, available);
    setState({ source, layout });
  }
  useEffect(() => {
    if (layoutText(layout) === layoutText(defaultLayout(available))) clearLayout(source);
    else saveLayout(source, layout);
  }, [source, layout, available]);

  const update = (change: (l: ColumnLayout) => ColumnLayout): void =>
    setState((s) => ({ ...s, layout: change(s.layout) }));

  const defs = useMemo(
    (): ColumnDef<RegionRow>[] =>
      available.map((c) => ({
        id: c.key,
        size: c.width,
        minSize: MIN_COLUMN_WIDTH,
        maxSize: MAX_COLUMN_WIDTH,
      })),
    [available],
  );
  const columnVisibility = useMemo(
    () => Object.fromEntries(layout.hidden.map((k) => [k, false])),
    [layout.hidden],
  );
  const table = useReactTable<RegionRow>({
    data: NO_ROWS,
    columns: defs,
    getCoreRowModel: coreRowModel,
    columnResizeMode: 'onChange',
    state: { columnOrder: layout.order, columnVisibility, columnSizing: layout.widths },
    onColumnOrderChange: (u: Updater<string[]>) =>
      update((l) => ({ ...l, order: functionalUpdate(u, l.order) as SortKey[] })),
    onColumnSizingChange: (u) =>
      update((l) => ({
        ...l,
        widths: roundWidths(functionalUpdate(u, l.widths as Record<string, number>)),
      })),
    onColumnVisibilityChange: (u) =>
      update((l) => {
        const next = functionalUpdate(u, Object.fromEntries(l.hidden.map((k) => [k, false])));
        return {
          ...l,
          hidden: Object.entries(next)
            .filter(([, on]) => !on)
            .map(([k]) => k as SortKey),
        };
      }),
  });

  const byKey = useMemo(() => new Map(available.map((c) => [c.key, c])), [available]);
  const all = useMemo(() => layout.order.map((k) => byKey.get(k)!), [layout.order, byKey]);
  const shown = useMemo(
    () => all.filter((c) => !layout.hidden.includes(c.key)),
    [all, layout.hidden],
  );
  const width = (key: SortKey): number => table.getColumn(key)?.getSize() ?? byKey.get(key)!.width;
  const template = `${EXPANDER_WIDTH}px ${shown
    .map((c) => (c.grows ? `minmax(${width(c.key)}px, 1fr)` : `${width(c.key)}px`))
    .join(' ')}`;
  const minWidth = shown.reduce((sum, c) => sum + width(c.key), EXPANDER_WIDTH);

  const reorder = (key: SortKey, at: (order: SortKey[]) => number): void =>
    table.setColumnOrder((order) => {
      const rest = (order as SortKey[]).filter((k) => k !== key);
      const to = Math.max(0, Math.min(rest.length, at(order as SortKey[])));
      return [...rest.slice(0, to), key, ...rest.slice(to)];
    });

  return {
    table,
    shown,
    all,
    isShown: (key) => !layout.hidden.includes(key),
    width,
    setWidth: (key, w) =>
      table.setColumnSizing((old) => ({
        ...old,
        [key]: Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH, Math.round(w))),
      })),
    // At least one column stays: a table of nothing but expanders says nothing.
    toggle: (key) => {
      if (!layout.hidden.includes(key) && shown.length === 1) return;
      table.getColumn(key)?.toggleVisibility();
    },
    move: (key, by) => reorder(key, (order) => order.indexOf(key) + by),
    moveTo: (key, target) => reorder(key, (order) => order.indexOf(target)),
    reset: () => update(() => defaultLayout(available)),
    template,
    minWidth,
  };
}

/** Widths as whole pixels in range (a drag yields fractions). */
function roundWidths(widths: Record<string, number>): ColumnLayout['widths'] {
  const out: ColumnLayout['widths'] = {};
  for (const [k, w] of Object.entries(widths))
    out[k as SortKey] = Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH, Math.round(w)));
  return out;
}
