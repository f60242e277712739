import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { displayAddress } from '../../../../shared/address';
import type { Allocation } from '../../../../shared/allocations';
import { formatBytes, formatExactBytes } from '../../../../shared/format';
import type { Region } from '../../../../shared/model';
import type { RegionRow, RowSort, SortKey } from '../../../../shared/regionRows';
import { KIND_COLORS, KIND_LABELS } from './kindColors';

const ROW_HEIGHT = 22;

interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
  width: string;
  /** The cell's value for a row: the allocation's totals, or one region's. */
  value: (row: RegionRow, regions: readonly Region[], allocations: readonly Allocation[]) => string | number | null;
}

const sizeOf =
  (alloc: keyof Allocation, region: (r: Region) => number) =>
  (row: RegionRow, regions: readonly Region[], allocations: readonly Allocation[]): number =>
    row.type === 'region' ? region(regions[row.region]!) : (allocations[row.allocation]![alloc] as number);

const firstOf = (row: RegionRow, regions: readonly Region[], allocations: readonly Allocation[]): Region =>
  regions[row.type === 'region' ? row.region : allocations[row.allocation]!.first]!;

export const COLUMNS: Column[] = [
  {
    key: 'address',
    label: 'Address',
    width: '150px',
    value: (row, regions, allocs) => (row.type === 'region' ? regions[row.region]!.base : allocs[row.allocation]!.base),
  },
  {
    key: 'kind',
    label: 'Kind',
    width: '110px',
    value: (row, regions, allocs) => (row.type === 'region' ? regions[row.region]!.kind : allocs[row.allocation]!.kind),
  },
  { key: 'size', label: 'Size', numeric: true, width: '86px', value: sizeOf('size', (r) => r.size) },
  { key: 'committed', label: 'Committed', numeric: true, width: '86px', value: sizeOf('committed', (r) => r.committed) },
  { key: 'wsTotal', label: 'WS total', numeric: true, width: '86px', value: sizeOf('wsTotal', (r) => r.workingSet.total) },
  { key: 'wsPrivate', label: 'WS private', numeric: true, width: '86px', value: sizeOf('wsPrivate', (r) => r.workingSet.private) },
  {
    key: 'wsShareable',
    label: 'WS shareable',
    numeric: true,
    width: '90px',
    value: sizeOf('wsShareable', (r) => r.workingSet.shareable),
  },
  { key: 'wsShared', label: 'WS shared', numeric: true, width: '86px', value: sizeOf('wsShared', (r) => r.workingSet.shared) },
  { key: 'wsLocked', label: 'Locked', numeric: true, width: '76px', value: sizeOf('wsLocked', (r) => r.workingSet.locked) },
  {
    key: 'protect',
    label: 'Protection',
    width: '190px',
    value: (row, regions, allocs) => {
      const r = firstOf(row, regions, allocs);
      return row.type === 'allocation' && row.expandable ? r.allocationProtect : r.protect;
    },
  },
  { key: 'state', label: 'State', width: '84px', value: (row, regions, allocs) => firstOf(row, regions, allocs).state },
  {
    key: 'blocks',
    label: 'Blocks',
    numeric: true,
    width: '60px',
    value: (row, _r, allocs) => (row.type === 'allocation' ? allocs[row.allocation]!.count : null),
  },
  {
    key: 'details',
    label: 'Details',
    width: 'minmax(200px, 1fr)',
    value: (row, regions, allocs) => {
      const r = firstOf(row, regions, allocs);
      return r.path ?? r.details ?? '';
    },
  },
];

export const GRID_TEMPLATE = `28px ${COLUMNS.map((c) => c.width).join(' ')}`;

/** A cell's text as shown, and its exact value on hover for sizes. */
export function cellText(column: Column, row: RegionRow, regions: readonly Region[], allocations: readonly Allocation[]): string {
  const v = column.value(row, regions, allocations);
  if (v === null) return '';
  if (column.key === 'address') return displayAddress(String(v));
  if (column.key === 'kind') return KIND_LABELS[v as Region['kind']];
  if (column.numeric && column.key !== 'blocks') return formatBytes(v as number);
  return String(v);
}

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
    >
      <div className="rt-row rt-head" role="row" style={{ gridTemplateColumns: GRID_TEMPLATE }}>
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
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          const first = firstOf(row, regions, allocations);
          const kind = row.type === 'region' ? first.kind : allocations[row.allocation]!.kind;
          const classes = ['rt-row', row.type === 'region' ? 'rt-child' : 'rt-alloc'];
          if (selected.has(item.index)) classes.push('selected');
          if (focus === item.index) classes.push('focused');
          if (first.state === 'free') classes.push('free');
          return (
            <div
              key={item.key}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected.has(item.index)}
              data-base={first.base}
              data-row={item.index}
              className={classes.join(' ')}
              style={{ gridTemplateColumns: GRID_TEMPLATE, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              onMouseDown={(e) => {
                if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
              }}
              onClick={(e) =>
                props.onRowClick(item.index, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'single')
              }
            >
              <span role="gridcell" className="rt-expander">
                {row.type === 'allocation' && row.expandable && (
                  <button
                    type="button"
                    aria-label={expanded.has(row.allocation) ? 'Collapse' : 'Expand'}
                    aria-expanded={expanded.has(row.allocation)}
                    onClick={(e) => {
                      e.stopPropagation();
                      props.onToggle(row.allocation);
                    }}
                  >
                    {expanded.has(row.allocation) ? '▾' : '▸'}
                  </button>
                )}
              </span>
              {COLUMNS.map((c) => {
                const text = cellText(c, row, regions, allocations);
                const raw = c.value(row, regions, allocations);
                const title = c.numeric && typeof raw === 'number' && c.key !== 'blocks' ? formatExactBytes(raw) : text;
                return (
                  <span key={c.key} role="gridcell" className={c.numeric ? 'num' : undefined} title={title}>
                    {c.key === 'kind' && <i className="swatch" style={{ background: KIND_COLORS[kind] }} />}
                    {text}
                  </span>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
