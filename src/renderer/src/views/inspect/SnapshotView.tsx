import { useMemo } from 'react';
import { formatBytes, formatCount } from '../../../../shared/format';
import { REGION_KINDS, REGION_STATES, type RegionKind, type RegionState, type Snapshot } from '../../../../shared/model';
import { NO_FILTER } from '../../../../shared/regionFilter';
import { snapshotToCsv } from '../../../../shared/snapshotCsv';
import { snapshotToJson } from '../../../../shared/snapshotJson';
import { summaryToCsv } from '../../../../shared/summaryCsv';
import { downloadBlob } from '../watch/exportFiles';
import { AddressMap } from './AddressMap';
import { DetailsPane } from './DetailsPane';
import { KIND_LABELS } from './kindColors';
import { RegionTable } from './RegionTable';
import { SummaryPane } from './SummaryPane';
import { usePaintTime } from './usePaintTime';
import { useRegionTableKeys } from './useRegionTableKeys';
import { useRegionTableState } from './useRegionTableState';
import { useSelectionSums } from './useSelectionSums';
import { useSnapshotModel } from './useSnapshotModel';

/** A file name that says what and when: vmscope-bash-1062-2026-11-22T02-11-43.json */
export function exportName(snapshot: Snapshot, suffix: string): string {
  const name = snapshot.process.name.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'process';
  const when = snapshot.takenAt.replace(/\.\d+Z$/, '').replace(/:/g, '-');
  return `vmscope-${name}-${snapshot.process.pid}-${when}${suffix}`;
}

export interface SnapshotViewProps {
  snapshot: Snapshot;
  /** The snapshot shown is older than a failed refresh. */
  stale?: boolean;
  /** When the UI asked for it (performance.now()), to report the time to the first frame. */
  askedAt?: number;
  /** Compare with an earlier snapshot of the same process, where this session has one. */
  onCompare?: () => void;
  /** The process is running (not a file): the details pane can read its pages now. */
  live?: boolean;
}

/** Summary, map, region table and details for one snapshot, live or from a file. */
export function SnapshotView({ snapshot, stale = false, askedAt, onCompare, live = false }: SnapshotViewProps) {
  const regions = snapshot.regions;
  const paintInfo = usePaintTime(askedAt);
  const livePages = useMemo(
    () => (live ? { source: snapshot.source, pid: snapshot.process.pid, pageSize: snapshot.system.pageSize } : null),
    [live, snapshot],
  );
  const save = (suffix: string, text: string, type: string): void => downloadBlob(exportName(snapshot, suffix), new Blob([text], { type }));
  const { allocations, regionToAllocation, summary, frag, protections } = useSnapshotModel(regions);

  const table = useRegionTableState(regions, allocations, regionToAllocation);
  const { filter, setFilter, filtering, matches, sort, onSort, expanded, toggle, rows, selection, focusRegion, selectFromMap, onKind } = table;
  const { chosen, sums } = useSelectionSums(regions, rows, selection.indices);
  const { copy, onKeyDown, scrollRef } = useRegionTableKeys(table, regions, allocations);

  const setSet = <T,>(value: string, all: readonly T[]): ReadonlySet<T> | null =>
    value === '' ? null : new Set(all.filter((v) => String(v) === value));

  return (
    <div className={`snapshot-view${stale ? ' stale' : ''}`}>
      <SummaryPane
        summary={summary}
        fragmentation={frag}
        regions={regions}
        allocations={allocations}
        kindFilter={filter.kinds?.size === 1 ? [...filter.kinds][0]! : null}
        onKind={onKind}
      />
      <AddressMap regions={regions} selected={focusRegion} matches={matches} onSelect={selectFromMap} />
      <div className="table-toolbar">
        <input
          type="search"
          aria-label="Search regions"
          placeholder="Address (hex) or path"
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
        />
        <select
          aria-label="Kind filter"
          value={filter.kinds?.size === 1 ? [...filter.kinds][0] : ''}
          onChange={(e) => setFilter({ ...filter, kinds: setSet<RegionKind>(e.target.value, REGION_KINDS) })}
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
          onChange={(e) => setFilter({ ...filter, states: setSet<RegionState>(e.target.value, REGION_STATES) })}
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
          <input type="checkbox" checked={filter.hideFree} onChange={(e) => setFilter({ ...filter, hideFree: e.target.checked })} />{' '}
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
        <button type="button" disabled={selection.indices.size === 0} onClick={() => copy(false)} title="Ctrl+C">
          Copy
        </button>
        <button type="button" disabled={selection.indices.size === 0} onClick={() => copy(true)} title="Ctrl+Shift+C">
          Copy CSV
        </button>
        <span className="toolbar-gap" />
        <span className="button-group" role="group" aria-label="Export">
          <button type="button" onClick={() => save('.json', snapshotToJson(snapshot), 'application/json')} title="The whole snapshot, lossless (vmscope-snapshot JSON)">
            Export JSON
          </button>
          <button type="button" onClick={() => save('.csv', snapshotToCsv(regions), 'text/csv')} title="The region table as CSV">
            Export CSV
          </button>
          <button type="button" onClick={() => save('-summary.csv', summaryToCsv(summary), 'text/csv')} title="The summary by kind as CSV">
            Summary CSV
          </button>
        </span>
        {onCompare && (
          <button type="button" onClick={onCompare} title="Compare with the previous snapshot of this process">
            Compare with previous
          </button>
        )}
      </div>
      <div className="table-and-details">
        <RegionTable
          regions={regions}
          allocations={allocations}
          rows={rows}
          sort={sort}
          onSort={onSort}
          expanded={expanded}
          onToggle={toggle}
          selected={selection.indices}
          focus={selection.focus}
          onRowClick={selection.click}
          onKeyDown={onKeyDown}
          scrollRef={scrollRef}
        />
        <DetailsPane
          region={focusRegion !== null ? regions[focusRegion]! : null}
          allocation={focusRegion !== null ? allocations[regionToAllocation[focusRegion]!]! : null}
          live={livePages}
        />
      </div>
      <footer className="status-line" aria-live="polite">
        <span>
          {snapshot.process.name} ({snapshot.process.pid}) · source {snapshot.source}
        </span>
        <span data-testid="row-count">
          {formatCount(regions.length)} regions · {formatCount(allocations.length)} allocations · {formatCount(rows.length)} rows shown
        </span>
        <span>
          taken {new Date(snapshot.takenAt).toLocaleTimeString()}
          {snapshot.durationMs !== undefined ? ` in ${snapshot.durationMs.toFixed(0)} ms` : ''}
          <span ref={paintInfo} data-testid="paint-ms" />
        </span>
        {chosen.size > 0 && (
          <span className="selection-sum" data-testid="selection-sum">
            {chosen.size} {chosen.size === 1 ? 'region' : 'regions'} selected: size {formatBytes(sums.size)} · committed {formatBytes(sums.committed)} · WS {formatBytes(sums.ws)} ·
            private WS {formatBytes(sums.priv)}
          </span>
        )}
        {stale && <span className="stale-note">showing the last snapshot taken</span>}
      </footer>
    </div>
  );
}
