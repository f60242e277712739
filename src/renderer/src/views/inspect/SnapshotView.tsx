import { useEffect, useMemo, useRef, useState } from 'react';
import { groupAllocations } from '../../../../shared/allocations';
import { formatBytes, formatCount } from '../../../../shared/format';
import { fragmentation } from '../../../../shared/fragmentation';
import { REGION_KINDS, REGION_STATES, type RegionKind, type RegionState, type Snapshot } from '../../../../shared/model';
import { NO_FILTER, type RegionFilter, baseProtection, isNoFilter, matchRegions, searchIndex } from '../../../../shared/regionFilter';
import { type RowSort, SORT_KEYS, type SortKey, buildRows, columnOrder, selectedRegions } from '../../../../shared/regionRows';
import { snapshotToCsv } from '../../../../shared/snapshotCsv';
import { snapshotToJson } from '../../../../shared/snapshotJson';
import { summarizeByKind } from '../../../../shared/summary';
import { summaryToCsv } from '../../../../shared/summaryCsv';
import { downloadBlob } from '../watch/exportFiles';
import { AddressMap } from './AddressMap';
import { DetailsPane } from './DetailsPane';
import { KIND_LABELS } from './kindColors';
import { RegionTable } from './RegionTable';
import { SummaryPane } from './SummaryPane';
import { TruncatedBanner } from './TruncatedBanner';
import { rowsAsCsv, rowsAsText } from './copyRows';
import { useSelection } from './useSelection';
import { useStableCallback } from '../../useStableCallback';

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
  // From asking for the snapshot to the first frame that shows it; written to the DOM, not state.
  const paintInfo = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (askedAt === undefined) return;
    const frame = requestAnimationFrame(() => {
      if (paintInfo.current) paintInfo.current.textContent = ` · shown ${(performance.now() - askedAt).toFixed(0)} ms after asking`;
    });
    return () => cancelAnimationFrame(frame);
  }, [askedAt]);
  const livePages = useMemo(
    () => (live ? { source: snapshot.source, pid: snapshot.process.pid, pageSize: snapshot.system.pageSize } : null),
    [live, snapshot],
  );
  const save = (suffix: string, text: string, type: string): void => downloadBlob(exportName(snapshot, suffix), new Blob([text], { type }));
  const allocations = useMemo(() => groupAllocations(regions), [regions]);
  const regionToAllocation = useMemo(() => {
    const map = new Int32Array(regions.length);
    allocations.forEach((a, index) => map.fill(index, a.first, a.first + a.count));
    return map;
  }, [regions, allocations]);
  const summary = useMemo(() => summarizeByKind(regions), [regions]);
  const frag = useMemo(() => fragmentation(regions), [regions]);
  const protections = useMemo(() => [...new Set(regions.map((r) => baseProtection(r.protect)))].sort(), [regions]);

  const [filter, setFilter] = useState<RegionFilter>(NO_FILTER);
  const [sort, setSort] = useState<RowSort>({ key: 'address', descending: false });
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const filtering = !isNoFilter(filter);
  // While the page is idle after the first paint: the search's per-region index, then each
  // column's sort order, one piece per idle callback so none delays a frame for long.
  useEffect(() => {
    const work = [() => void searchIndex(regions), ...SORT_KEYS.map((key) => () => void columnOrder(regions, allocations, key))];
    let idle = 0;
    const next = (): void => {
      // The timeout: a page that is never idle still gets it done, a second late.
      idle = requestIdleCallback(
        () => {
          work.shift()?.();
          if (work.length > 0) next();
        },
        { timeout: 1000 },
      );
    };
    next();
    return () => cancelIdleCallback(idle);
  }, [regions, allocations]);
  const matches = useMemo(() => matchRegions(regions, filter), [regions, filter]);
  const rows = useMemo(
    () => buildRows(regions, allocations, matches ? (i) => matches[i] === 1 : null, sort, expanded),
    [regions, allocations, matches, sort, expanded],
  );
  const selection = useSelection(rows);
  const scrollRef = useRef<HTMLDivElement>(null);

  const focusRow = selection.focus !== null ? rows[selection.focus] : undefined;
  const focusRegion = focusRow ? (focusRow.type === 'region' ? focusRow.region : allocations[focusRow.allocation]!.first) : null;
  const chosen = useMemo(() => selectedRegions(rows, selection.indices), [rows, selection.indices]);
  const sums = useMemo(() => {
    let size = 0;
    let committed = 0;
    let ws = 0;
    let priv = 0;
    for (const i of chosen) {
      const r = regions[i]!;
      size += r.size;
      committed += r.committed;
      ws += r.workingSet.total;
      priv += r.workingSet.private;
    }
    return { size, committed, ws, priv };
  }, [chosen, regions]);

  const toggle = (allocation: number): void => {
    const next = new Set(expanded);
    if (next.has(allocation)) next.delete(allocation);
    else next.add(allocation);
    setExpanded(next);
  };
  const onSort = (key: SortKey): void =>
    setSort((s) => (s.key === key ? { key, descending: !s.descending } : { key, descending: key !== 'address' && key !== 'kind' && key !== 'protect' && key !== 'state' && key !== 'details' }));

  const selectFromMap = useStableCallback((region: number): void => {
    const allocation = regionToAllocation[region]!;
    if (allocations[allocation]!.count > 1) {
      if (!expanded.has(allocation)) setExpanded(new Set([...expanded, allocation]));
      selection.selectKey(`r${region}`);
    } else {
      selection.selectKey(`a${allocation}`);
    }
  });
  const onKind = useStableCallback((kind: RegionKind | null) => setFilter({ ...filter, kinds: kind ? new Set([kind]) : null }));

  const selectedRows = (): typeof rows => [...selection.indices].sort((a, b) => a - b).map((i) => rows[i]!);
  const copy = (csv: boolean): void => {
    const chosenRows = selectedRows();
    if (chosenRows.length === 0) return;
    const text = csv ? rowsAsCsv(chosenRows, regions, allocations) : rowsAsText(chosenRows, regions, allocations);
    void navigator.clipboard.writeText(text);
  };

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 440) / 22) - 1);
    const row = selection.focus !== null ? rows[selection.focus] : undefined;
    const handled = (() => {
      switch (e.key) {
        case 'ArrowDown':
          return selection.move(1, e.shiftKey), true;
        case 'ArrowUp':
          return selection.move(-1, e.shiftKey), true;
        case 'PageDown':
          return selection.move(page, e.shiftKey), true;
        case 'PageUp':
          return selection.move(-page, e.shiftKey), true;
        case 'Home':
          return selection.move(-rows.length, e.shiftKey), true;
        case 'End':
          return selection.move(rows.length, e.shiftKey), true;
        case 'ArrowRight':
        case 'ArrowLeft': {
          if (!row) return false;
          const open = expanded.has(row.allocation);
          if (row.type === 'allocation' && row.expandable && open !== (e.key === 'ArrowRight')) toggle(row.allocation);
          else if (row.type === 'region' && e.key === 'ArrowLeft') selection.selectKey(`a${row.allocation}`);
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
          return selection.selectAll(), true;
        case 'c':
          if (!(e.ctrlKey || e.metaKey)) return false;
          return copy(e.shiftKey), true;
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  };

  const setSet = <T,>(value: string, all: readonly T[]): ReadonlySet<T> | null =>
    value === '' ? null : new Set(all.filter((v) => String(v) === value));

  return (
    <div className={`snapshot-view${stale ? ' stale' : ''}`}>
      <TruncatedBanner truncated={snapshot.truncated} />
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
        <button type="button" onClick={() => setExpanded(new Set(allocations.map((_, i) => i).filter((i) => allocations[i]!.count > 1)))}>
          Expand all
        </button>
        <button type="button" onClick={() => setExpanded(new Set())}>
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
          <button type="button" onClick={() => save('.csv', snapshotToCsv(regions, snapshot.truncated), 'text/csv')} title="The region table as CSV">
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
