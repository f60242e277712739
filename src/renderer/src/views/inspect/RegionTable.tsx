import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { displayAddress } from '../../../../shared/address';
import type { Allocation } from '../../../../shared/allocations';
import { formatBytes, formatExactBytes } from '../../../../shared/format';
import type { Region } from '../../../../shared/model';
import { type MeasureKey, REGION_MEASURES } from '../../../../shared/regionFields';
import type { RegionRow, RowSort, SortKey } from '../../../../shared/regionRows';
import { KIND_COLORS, KIND_LABELS } from './kindColors';

const ROW_HEIGHT = 22;

interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
  /** Pixels; the one growing column takes this as its minimum and the rest of the row. */
  width: number;
  grows?: boolean;
  /** The cell's value for a row: the allocation's totals, or one region's. */
  value: (
    row: RegionRow,
    regions: readonly Region[],
    allocations: readonly Allocation[],
  ) => string | number | null;
}

const sizeOf =
  (alloc: MeasureKey, region: (r: Region) => number) =>
  (row: RegionRow, regions: readonly Region[], allocations: readonly Allocation[]): number =>
    row.type === 'region' ? region(regions[row.region]!) : allocations[row.allocation]![alloc];

/** Pixels where a measure's header needs other than 86. */
const MEASURE_WIDTHS: Partial<Record<MeasureKey, number>> = { wsShareable: 90, wsLocked: 76 };

const firstOf = (
  row: RegionRow,
  regions: readonly Region[],
  allocations: readonly Allocation[],
): Region => regions[row.type === 'region' ? row.region : allocations[row.allocation]!.first]!;

export const COLUMNS: Column[] = [
  {
    key: 'address',
    label: 'Address',
    width: 150,
    value: (row, regions, allocs) =>
      row.type === 'region' ? regions[row.region]!.base : allocs[row.allocation]!.base,
  },
  {
    key: 'kind',
    label: 'Kind',
    width: 110,
    value: (row, regions, allocs) =>
      row.type === 'region' ? regions[row.region]!.kind : allocs[row.allocation]!.kind,
  },
  ...REGION_MEASURES.map((m): Column => ({
    key: m.key,
    label: m.label,
    numeric: true,
    width: MEASURE_WIDTHS[m.key] ?? 86,
    value: sizeOf(m.key, m.value),
  })),
  {
    key: 'protect',
    label: 'Protection',
    width: 190,
    value: (row, regions, allocs) => {
      const r = firstOf(row, regions, allocs);
      return row.type === 'allocation' && row.expandable ? r.allocationProtect : r.protect;
    },
  },
  {
    key: 'state',
    label: 'State',
    width: 84,
    value: (row, regions, allocs) => firstOf(row, regions, allocs).state,
  },
  {
    key: 'blocks',
    label: 'Blocks',
    numeric: true,
    width: 60,
    value: (row, _r, allocs) => (row.type === 'allocation' ? allocs[row.allocation]!.count : null),
  },
  {
    key: 'details',
    label: 'Details',
    width: 200,
    grows: true,
    value: (row, regions, allocs) => {
      const r = firstOf(row, regions, allocs);
      return r.path ?? r.details ?? '';
    },
  },
];

const EXPANDER_WIDTH = 28;
export const GRID_TEMPLATE = `${EXPANDER_WIDTH}px ${COLUMNS.map((c) => (c.grows ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)).join(' ')}`;
/** Rows are at least this wide (then the table scrolls sideways) and else as wide as the table. */
const ROW_MIN_WIDTH = EXPANDER_WIDTH + COLUMNS.reduce((sum, c) => sum + c.width, 0);
/** Set once on the table, so a row carries no layout style of its own but its offset. */
const TABLE_STYLE = {
  '--rt-columns': GRID_TEMPLATE,
  '--rt-min-width': `${ROW_MIN_WIDTH}px`,
} as React.CSSProperties;

/** A cell's text as shown, and its exact value on hover for sizes. */
export function cellText(
  column: Column,
  row: RegionRow,
  regions: readonly Region[],
  allocations: readonly Allocation[],
): string {
  const v = column.value(row, regions, allocations);
  if (v === null) return '';
  if (column.key === 'address') return displayAddress(String(v));
  if (column.key === 'kind') return KIND_LABELS[v as Region['kind']];
  if (column.numeric && column.key !== 'blocks') return formatBytes(v as number);
  return String(v);
}

interface RowViewProps {
  row: RegionRow;
  index: number;
  start: number;
  selected: boolean;
  focused: boolean;
  expanded: boolean;
  regions: readonly Region[];
  allocations: readonly Allocation[];
}

/**
 * One row, memoized: a selection or focus change re-renders only the rows it changes, and a
 * scroll renders only the rows that came into view. Clicks are handled once on the table.
 */
const RowView = memo(function RowView({
  row,
  index,
  start,
  selected,
  focused,
  expanded,
  regions,
  allocations,
}: RowViewProps) {
  const first = firstOf(row, regions, allocations);
  const kind = row.type === 'region' ? first.kind : allocations[row.allocation]!.kind;
  let classes = row.type === 'region' ? 'rt-row rt-child' : 'rt-row rt-alloc';
  if (selected) classes += ' selected';
  if (focused) classes += ' focused';
  if (first.state === 'free') classes += ' free';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-base={first.base}
      data-row={index}
      className={classes}
      style={{ transform: `translateY(${start}px)` }}
    >
      <span role="gridcell" className="rt-expander">
        {row.type === 'allocation' && row.expandable && (
          <button
            type="button"
            data-toggle={row.allocation}
            aria-label={expanded ? 'Collapse' : 'Expand'}
            aria-expanded={expanded}
          >
            {expanded ? '▾' : '▸'}
          </button>
        )}
      </span>
      {COLUMNS.map((c) => {
        const raw = c.value(row, regions, allocations);
        const text = cellText(c, row, regions, allocations);
        // Exact bytes for sizes, the whole text where it may be cut off; no title elsewhere (it costs a DOM write).
        const title =
          c.numeric && typeof raw === 'number' && c.key !== 'blocks'
            ? formatExactBytes(raw)
            : c.grows
              ? text
              : undefined;
        return (
          <span key={c.key} role="gridcell" className={c.numeric ? 'num' : 'txt'} title={title}>
            {c.key === 'kind' && <i className="swatch" style={{ background: KIND_COLORS[kind] }} />}
            {text}
          </span>
        );
      })}
    </div>
  );
});

export interface RegionTableProps {
  regions: readonly Region[];
  allocations: readonly Allocation[];
  rows: readonly RegionRow[];
  sort: RowSort;
  onSort: (key: SortKey) => void;
  expanded: ReadonlySet<number>;
  onToggle: (allocation: number) => void;
  selected: ReadonlySet<number>;
  focus: number | null;
  /** Click, ctrl/cmd-click (toggle) and shift-click (range) on a row. */
  onRowClick: (row: number, mode: 'single' | 'toggle' | 'range') => void;
  onKeyDown: (e: React.KeyboardEvent) => void;
  scrollRef: React.RefObject<HTMLDivElement | null>;
}

/** Every region, virtualized: only the rows on screen exist in the DOM, so 120,000 rows scroll freely. */
export function RegionTable(props: RegionTableProps) {
  const { regions, allocations, rows, sort, selected, focus, expanded } = props;
  const fallbackRef = useRef<HTMLDivElement>(null);
  const scrollRef = props.scrollRef ?? fallbackRef;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  // Keyboard moves and selections from the map bring the focused row into view.
  useEffect(() => {
    if (focus !== null && focus < rows.length) virtualizer.scrollToIndex(focus, { align: 'auto' });
  }, [focus, rows.length, virtualizer]);

  // One handler for every row: the row and expander say who they are in data attributes.
  const onClick = (e: React.MouseEvent): void => {
    const target = e.target as HTMLElement;
    const toggle = target.closest<HTMLElement>('[data-toggle]');
    if (toggle) return props.onToggle(Number(toggle.dataset['toggle']));
    const row = target.closest<HTMLElement>('[data-row]');
    if (row)
      props.onRowClick(
        Number(row.dataset['row']),
        e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'single',
      );
  };
  const onMouseDown = (e: React.MouseEvent): void => {
    if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
  };

  return (
    <div
      className="region-table"
      role="grid"
      aria-label="Regions"
      aria-rowcount={rows.length + 1}
      aria-multiselectable
      tabIndex={0}
      onKeyDown={props.onKeyDown}
      ref={scrollRef}
      style={TABLE_STYLE}
    >
      <div className="rt-row rt-head" role="row">
        <span role="columnheader" />
        {COLUMNS.map((c) => (
          <span
            key={c.key}
            role="columnheader"
            className={c.numeric ? 'num' : undefined}
            aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
          >
            <button type="button" onClick={() => props.onSort(c.key)}>
              {c.label}
              {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
            </button>
          </span>
        ))}
      </div>
      <div
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
        onClick={onClick}
        onMouseDown={onMouseDown}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          return (
            <RowView
              key={item.key}
              row={row}
              index={item.index}
              start={item.start}
              selected={selected.has(item.index)}
              focused={focus === item.index}
              expanded={row.type === 'allocation' && expanded.has(row.allocation)}
              regions={regions}
              allocations={allocations}
            />
          );
        })}
      </div>
    </div>
  );
}
