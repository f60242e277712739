import { type KeyboardEvent, type RefObject, useRef } from 'react';
import type { Allocation } from '../../../../shared/allocations';
import type { RegionList } from '../../../../shared/regionList';
import { rowsAsCsv, rowsAsText } from './copyRows';
import type { Column } from './regionColumns';
import type { RegionTableState } from './useRegionTableState';

/** The region table's keyboard (arrows, pages, expand, select all) and its copy commands. */
export interface RegionTableKeys {
  /** Copies the selected rows to the clipboard, as text or as CSV. */
  copy: (csv: boolean) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  /** The table's scrolling element: a page is as many rows as it shows. */
  scrollRef: RefObject<HTMLDivElement | null>;
}

export function useRegionTableKeys(
  table: RegionTableState,
  regions: RegionList,
  allocations: readonly Allocation[],
  columns: readonly Column[],
): RegionTableKeys {
  const { rows, selection, expanded, toggle, selectedRows } = table;
  const scrollRef = useRef<HTMLDivElement>(null);

  const copy = (csv: boolean): void => {
    const chosenRows = selectedRows();
    if (chosenRows.length === 0) return;
    const text = csv
      ? rowsAsCsv(chosenRows, regions, allocations, columns)
      : rowsAsText(chosenRows, regions, allocations, columns);
    void navigator.clipboard.writeText(text);
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 440) / 22) - 1);
    const row = selection.focus !== null ? rows[selection.focus] : undefined;
    const handled = (() => {
      switch (e.key) {
        case 'ArrowDown':
          return (selection.move(1, e.shiftKey), true);
        case 'ArrowUp':
          return (selection.move(-1, e.shiftKey), true);
        case 'PageDown':
          return (selection.move(page, e.shiftKey), true);
        case 'PageUp':
          return (selection.move(-page, e.shiftKey), true);
        case 'Home':
          return (selection.move(-rows.length, e.shiftKey), true);
        case 'End':
          return (selection.move(rows.length, e.shiftKey), true);
        case 'ArrowRight':
        case 'ArrowLeft': {
          if (!row) return false;
          const open = expanded.has(row.allocation);
          if (row.type === 'allocation' && row.expandable && open !== (e.key === 'ArrowRight'))
            toggle(row.allocation);
          else if (row.type === 'region' && e.key === 'ArrowLeft')
            selection.selectKey(`a${row.allocation}`);
          return true;
        }
        case 'Enter':
          if (row?.type === 'allocation' && row.expandable) toggle(row.allocation);
          return true;
        case ' ':
          if (selection.focus !== null) selection.click(selection.focus, 'toggle');
          return true;
        case 'a':
          if (!(e.ctrlKey || e.metaKey)) return false;
          return (selection.selectAll(), true);
        case 'c':
          if (!(e.ctrlKey || e.metaKey)) return false;
          return (copy(e.shiftKey), true);
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  };

  return { copy, onKeyDown, scrollRef };
}
