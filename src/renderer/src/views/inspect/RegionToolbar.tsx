import { useEffect, useRef } from 'react';
import {
  REGION_KINDS,
  REGION_STATES,
  type RegionKind,
  type RegionState,
} from '../../../../shared/model';
import { NO_FILTER } from '../../../../shared/regionFilter';
import { KIND_LABELS } from './kindColors';
import type { RegionTableState } from './useRegionTableState';

export interface RegionToolbarProps {
  table: RegionTableState;
  /** The protection filter's choices. */
  protections: readonly string[];
  onCopy: (csv: boolean) => void;
  onExport: { json: () => void; csv: () => void; summary: () => void };
  /** More buttons after Export (Save to library). */
  actions?: React.ReactNode;
  onCompare?: (() => void) | undefined;
  /** Enter in the search box on an address: the table takes the keyboard at the region. */
  onGoneTo: () => void;
}

/** Above the region table: search and filters, expand and collapse, copy, export, compare. */
export function RegionToolbar({
  table,
  protections,
  onCopy,
  onExport,
  actions,
  onCompare,
  onGoneTo,
}: RegionToolbarProps) {
  const { filter, setFilter, filtering, selection, goToAddress } = table;
  const searchRef = useRef<HTMLInputElement>(null);
  // Ctrl+G, go to address (as in VMMap and editors): the search box takes an address.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'g' || e.shiftKey || e.altKey)
        return;
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const setSet = <T,>(value: string, all: readonly T[]): ReadonlySet<T> | null =>
    value === '' ? null : new Set(all.filter((v) => String(v) === value));

  return (
    <div className="table-toolbar">
      <input
        type="search"
        ref={searchRef}
        aria-label="Search regions"
        aria-keyshortcuts="Control+G"
        title="Go to an address (Ctrl+G), or find a path"
        placeholder="Address (hex) or path · Ctrl+G"
        value={filter.text}
        onChange={(e) => {
          setFilter({ ...filter, text: e.target.value });
          // While typing, only what reads as an address goes there (a path like "cache" is hex too); Enter always does.
          if (/^\s*(0x|[0-9a-f_'`]{8,}\s*$)/i.test(e.target.value)) goToAddress(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && goToAddress(filter.text)) onGoneTo();
        }}
      />
      <select
        aria-label="Kind filter"
        value={filter.kinds?.size === 1 ? [...filter.kinds][0] : ''}
        onChange={(e) =>
          setFilter({ ...filter, kinds: setSet<RegionKind>(e.target.value, REGION_KINDS) })
        }
      >
        <option value="">All kinds</option>
        {REGION_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <select
        aria-label="State filter"
        value={filter.states?.size === 1 ? [...filter.states][0] : ''}
        onChange={(e) =>
          setFilter({ ...filter, states: setSet<RegionState>(e.target.value, REGION_STATES) })
        }
      >
        <option value="">All states</option>
        {REGION_STATES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select
        aria-label="Protection filter"
        value={filter.protections?.size === 1 ? [...filter.protections][0] : ''}
        onChange={(e) => setFilter({ ...filter, protections: setSet(e.target.value, protections) })}
      >
        <option value="">All protections</option>
        {protections.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <label>
        <input
          type="checkbox"
          checked={filter.hideFree}
          onChange={(e) => setFilter({ ...filter, hideFree: e.target.checked })}
        />{' '}
        Hide free
      </label>
      {filtering && (
        <button type="button" onClick={() => setFilter(NO_FILTER)}>
          Clear filters
        </button>
      )}
      <button type="button" onClick={table.expandAll}>
        Expand all
      </button>
      <button type="button" onClick={table.collapseAll}>
        Collapse all
      </button>
      <button
        type="button"
        disabled={selection.indices.size === 0}
        onClick={() => onCopy(false)}
        title="Ctrl+C"
      >
        Copy
      </button>
      <button
        type="button"
        disabled={selection.indices.size === 0}
        onClick={() => onCopy(true)}
        title="Ctrl+Shift+C"
      >
        Copy CSV
      </button>
      <span className="toolbar-gap" />
      <span className="button-group" role="group" aria-label="Export">
        <button
          type="button"
          onClick={onExport.json}
          title="The whole snapshot, lossless (vmscope-snapshot JSON)"
        >
          Export JSON
        </button>
        <button type="button" onClick={onExport.csv} title="The region table as CSV">
          Export CSV
        </button>
        <button type="button" onClick={onExport.summary} title="The summary by kind as CSV">
          Summary CSV
        </button>
      </span>
      {actions}
      {onCompare && (
        <button
          type="button"
          onClick={onCompare}
          title="Compare with the previous snapshot of this process"
        >
          Compare with previous
        </button>
      )}
    </div>
  );
}
