import { useVirtualizer } from '@tanstack/react-virtual';
import { UnknownWorkingSet, type WorkingSetUnknown, isWorkingSetKey } from './workingSetUnknown';
import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import type { Allocation } from '../../../../shared/allocations';
import { formatExactBytes } from '../../../../shared/format';
import { REGION_KINDS, type Region } from '../../../../shared/model';
import type { RegionList } from '../../../../shared/regionList';
import { NO_RULE, addressHex } from '../../../../shared/snapshotColumns';
import type { RegionRow, RowSort, SortKey } from '../../../../shared/regionRows';
import { KIND_COLORS, columnLabel } from './kindColors';
import { regionDetailsText } from '../../i18n/engineText';
import { type Column, cellText, firstIndex, stateAt, stringAt } from './regionColumns';
import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from './columnLayout';
import type { ColumnLayoutState } from './useColumnLayout';

const ROW_HEIGHT = 22;
/** Pixels a keyboard press on a column's resize handle moves its edge. */
const RESIZE_STEP = 10;
const DRAG_TYPE = 'application/x-vmscope-column';

/**
 * A region's Details as the source gave it: a path is a name (not translated); a description the
 * UI does not know is the source's English.
 */
export function sourceWords(r: Pick<Region, 'path' | 'details'>): {
  translate?: 'no';
  lang?: 'en';
} {
  if (r.path) return { translate: 'no' };
  if (r.details && !regionDetailsText(r.details).translated) return { lang: 'en' };
  return {};
}

interface RowViewProps {
  row: RegionRow;
  index: number;
  start: number;
  selected: boolean;
  focused: boolean;
  expanded: boolean;
  regions: RegionList;
  allocations: readonly Allocation[];
  columns: readonly Column[];
  /** The snapshot's working set is unknown: its columns say so instead of showing numbers. */
  wsUnknown: WorkingSetUnknown | null;
  /** The UI's language: a change re-renders the memoized row in it. */
  language: string;
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
  columns,
  wsUnknown,
}: RowViewProps) {
  // Read from the columns by index: no Region is built to draw a row.
  const c = regions.columns;
  const first = firstIndex(row, allocations);
  const t = i18next.t;
  // An allocation Linux never reported: vmscope grouped it (the details pane says by which rule).
  const inferred = row.type === 'allocation' && row.expandable && c.rule[first] !== NO_RULE;
  const kind =
    row.type === 'region' ? REGION_KINDS[c.kind[first]!]! : allocations[row.allocation]!.kind;
  let classes = row.type === 'region' ? 'rt-row rt-child' : 'rt-row rt-alloc';
  if (selected) classes += ' selected';
  if (focused) classes += ' focused';
  if (stateAt(regions, first) === 'free') classes += ' free';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-base={addressHex(c.baseHi[first]!, c.baseLo[first]!)}
      data-row={index}
      className={classes}
      style={{ transform: `translateY(${start}px)` }}
    >
      <span role="gridcell" className="rt-expander">
        {row.type === 'allocation' && row.expandable && (
          <button
            type="button"
            data-toggle={row.allocation}
            aria-label={expanded ? t('regions.collapse') : t('regions.expand')}
            aria-expanded={expanded}
          >
            {expanded ? '▾' : '▸'}
          </button>
        )}
      </span>
      {columns.map((c, i) => {
        if (wsUnknown && isWorkingSetKey(c.key))
          return (
            <span key={c.key} role="gridcell" aria-colindex={i + 2} className="num">
              <UnknownWorkingSet unknown={wsUnknown} />
            </span>
          );
        const raw = c.value(row, regions, allocations);
        const text = cellText(c, row, regions, allocations);
        // Exact bytes for sizes, the whole text where it may be cut off; no title elsewhere (it costs a DOM write).
        const title =
          c.numeric && typeof raw === 'number' && c.key !== 'blocks'
            ? formatExactBytes(raw)
            : c.key === 'details' || c.key === 'protect'
              ? text
              : undefined;
        return (
          <span
            key={c.key}
            role="gridcell"
            aria-colindex={i + 2}
            className={c.numeric ? 'num' : 'txt'}
            title={title}
            {...(c.key === 'details'
              ? sourceWords({
                  path: stringAt(regions, 'path', first),
                  details: stringAt(regions, 'details', first),
                })
              : {})}
          >
            {c.key === 'kind' && <i className="swatch" style={{ background: KIND_COLORS[kind] }} />}
            {text}
            {c.key === 'address' && inferred && (
              <span className="inferred-mark" title={t('regions.inferredTitle')}>
                <span aria-hidden="true">≈</span>
                <span className="visually-hidden"> {t('regions.inferred')}</span>
              </span>
            )}
          </span>
        );
      })}
    </div>
  );
});

export interface RegionTableProps {
  regions: RegionList;
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
  layout: ColumnLayoutState;
  /** The snapshot's working set is unknown (a dump): its columns say so. */
  wsUnknown?: WorkingSetUnknown | null;
}

/** Every region, virtualized: only the rows on screen exist in the DOM, so 120,000 rows scroll freely. */
export function RegionTable(props: RegionTableProps) {
  const { regions, allocations, rows, sort, selected, focus, expanded, layout } = props;
  const { t, i18n } = useTranslation();
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
      aria-label={t('regions.label')}
      aria-rowcount={rows.length + 1}
      aria-multiselectable
      tabIndex={0}
      onKeyDown={props.onKeyDown}
      ref={scrollRef}
      aria-colcount={layout.shown.length + 1}
      style={
        {
          '--rt-columns': layout.template,
          '--rt-min-width': `${layout.minWidth}px`,
        } as React.CSSProperties
      }
    >
      <div className="rt-row rt-head" role="row" aria-rowindex={1}>
        <span role="columnheader" aria-colindex={1}>
          <span className="visually-hidden">{t('regions.expand')}</span>
        </span>
        {layout.shown.map((c, i) => (
          <ColumnHeader
            key={c.key}
            column={c}
            index={i}
            sort={sort}
            onSort={props.onSort}
            layout={layout}
          />
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
              columns={layout.shown}
              wsUnknown={props.wsUnknown ?? null}
              language={i18n.language}
            />
          );
        })}
      </div>
    </div>
  );
}

interface ColumnHeaderProps {
  column: Column;
  index: number;
  sort: RowSort;
  onSort: (key: SortKey) => void;
  layout: ColumnLayoutState;
}

/**
 * A header: click sorts, drag onto another header moves the column there, the edge resizes (by
 * mouse, or by arrow keys on the focused handle). The column menu does the same by keyboard.
 */
function ColumnHeader({ column: c, index, sort, onSort, layout }: ColumnHeaderProps) {
  const header = layout.table.getColumn(c.key);
  const sorted = sort.key === c.key;
  const width = layout.width(c.key);
  const resize = header
    ? layout.table
        .getHeaderGroups()[0]
        ?.headers.find((h) => h.id === c.key)
        ?.getResizeHandler()
    : undefined;
  return (
    <span
      role="columnheader"
      aria-label={columnLabel(c.key)}
      aria-colindex={index + 2}
      className={`rt-header${c.numeric ? ' num' : ''}`}
      aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      data-column={c.key}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => {
        const from = e.dataTransfer.getData(DRAG_TYPE) as SortKey;
        if (from && from !== c.key) layout.moveTo(from, c.key);
        e.preventDefault();
      }}
    >
      <button
        type="button"
        onClick={() => onSort(c.key)}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(DRAG_TYPE, c.key);
          e.dataTransfer.effectAllowed = 'move';
        }}
      >
        {columnLabel(c.key)}
        {/* Beside the label, in the cell's padding: the label keeps its room when sorted. */}
        {sorted && (
          <span className="sort-arrow" aria-hidden="true">
            {sort.descending ? '▼' : '▲'}
          </span>
        )}
      </button>
      <span
        role="separator"
        aria-orientation="vertical"
        aria-label={i18next.t('regions.resize', { column: columnLabel(c.key) })}
        aria-valuenow={width}
        aria-valuemin={MIN_COLUMN_WIDTH}
        aria-valuemax={MAX_COLUMN_WIDTH}
        tabIndex={0}
        className={`rt-resize${header?.getIsResizing() ? ' resizing' : ''}`}
        onMouseDown={resize}
        onTouchStart={resize}
        onDoubleClick={() => header?.resetSize()}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          const by =
            e.key === 'ArrowRight' ? RESIZE_STEP : e.key === 'ArrowLeft' ? -RESIZE_STEP : 0;
          if (by === 0) return;
          e.preventDefault();
          e.stopPropagation();
          layout.setWidth(c.key, width + by);
        }}
      />
    </span>
  );
}
