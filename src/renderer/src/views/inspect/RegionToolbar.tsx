import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REGION_KINDS,
  REGION_STATES,
  type RegionKind,
  type RegionState,
} from '../../../../shared/model';
import { NO_FILTER } from '../../../../shared/regionFilter';
import { kindLabel, stateLabel } from './kindColors';
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
  const { t } = useTranslation();
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
        aria-label={t('regions.search')}
        aria-keyshortcuts="Control+G"
        title={t('regions.searchTitle')}
        placeholder={t('regions.searchPlaceholder')}
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
        aria-label={t('regions.kindFilter')}
        value={filter.kinds?.size === 1 ? [...filter.kinds][0] : ''}
        onChange={(e) =>
          setFilter({ ...filter, kinds: setSet<RegionKind>(e.target.value, REGION_KINDS) })
        }
      >
        <option value="">{t('regions.allKinds')}</option>
        {REGION_KINDS.map((k) => (
          <option key={k} value={k}>
            {kindLabel(k)}
          </option>
        ))}
      </select>
      <select
        aria-label={t('regions.stateFilter')}
        value={filter.states?.size === 1 ? [...filter.states][0] : ''}
        onChange={(e) =>
          setFilter({ ...filter, states: setSet<RegionState>(e.target.value, REGION_STATES) })
        }
      >
        <option value="">{t('regions.allStates')}</option>
        {REGION_STATES.map((s) => (
          <option key={s} value={s}>
            {stateLabel(s)}
          </option>
        ))}
      </select>
      <select
        aria-label={t('regions.protectionFilter')}
        value={filter.protections?.size === 1 ? [...filter.protections][0] : ''}
        onChange={(e) => setFilter({ ...filter, protections: setSet(e.target.value, protections) })}
      >
        <option value="">{t('regions.allProtections')}</option>
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
        {t('regions.hideFree')}
      </label>
      {filtering && (
        <button type="button" onClick={() => setFilter(NO_FILTER)}>
          {t('regions.clearFilters')}
        </button>
      )}
      <button type="button" onClick={table.expandAll}>
        {t('regions.expandAll')}
      </button>
      <button type="button" onClick={table.collapseAll}>
        {t('regions.collapseAll')}
      </button>
      <button
        type="button"
        disabled={selection.indices.size === 0}
        onClick={() => onCopy(false)}
        title="Ctrl+C"
      >
        {t('regions.copy')}
      </button>
      <button
        type="button"
        disabled={selection.indices.size === 0}
        onClick={() => onCopy(true)}
        title="Ctrl+Shift+C"
      >
        {t('regions.copyCsv')}
      </button>
      <span className="toolbar-gap" />
      <span className="button-group" role="group" aria-label={t('regions.export')}>
        <button type="button" onClick={onExport.json} title={t('regions.exportJsonTitle')}>
          {t('regions.exportJson')}
        </button>
        <button type="button" onClick={onExport.csv} title={t('regions.exportCsvTitle')}>
          {t('regions.exportCsv')}
        </button>
        <button type="button" onClick={onExport.summary} title={t('regions.summaryCsvTitle')}>
          {t('regions.summaryCsv')}
        </button>
      </span>
      {actions}
      {onCompare && (
        <button type="button" onClick={onCompare} title={t('regions.compareTitle')}>
          {t('regions.compare')}
        </button>
      )}
    </div>
  );
}
