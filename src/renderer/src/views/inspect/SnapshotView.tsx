import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Snapshot } from '../../../../shared/model';
import { snapshotCsv } from '../../../../shared/snapshotCsv';
import { snapshotToJson } from '../../../../shared/snapshotJson';
import { summaryToCsv } from '../../../../shared/summaryCsv';
import { summarizeByKind } from '../../../../shared/summary';
import { downloadBlob } from '../watch/exportFiles';
import { AddressMap } from './AddressMap';
import { ColumnMenu } from './ColumnMenu';
import { DetailsPane } from './DetailsPane';
import { RegionTable } from './RegionTable';
import { RegionToolbar } from './RegionToolbar';
import { SnapshotStatusLine } from './SnapshotStatusLine';
import { SummaryPane } from './SummaryPane';
import { OriginHeader } from './OriginHeader';
import { TruncatedBanner } from './TruncatedBanner';
import { usePaintTime } from './usePaintTime';
import { useRegionTableKeys } from './useRegionTableKeys';
import { useRegionTableState } from './useRegionTableState';
import { useSelectionSums } from './useSelectionSums';
import { SaveToLibraryButton } from '../library/SaveToLibraryButton';
import { useSnapshotModel } from './useSnapshotModel';
import { useColumnLayout } from './useColumnLayout';
import { ContentsPanel } from '../contents/ContentsPanel';
import { useStatsScan } from '../contents/useStatsScan';
import { ZeroSummary } from '../contents/ZeroSummary';

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
  /** Only the regions read so far (process.snapshotStream): the whole snapshot follows. */
  partial?: boolean;
  /** Compare with an earlier snapshot of the same process, where this session has one. */
  onCompare?: () => void;
  /** The process is running (not a file): the details pane can read its pages now. */
  live?: boolean;
  /** A dump the service opened (its `files.opened` index): the Contents panel reads its bytes. */
  contentsFile?: number;
}

/** Summary, map, region table and details for one snapshot, live or from a file. */
export function SnapshotView({
  snapshot,
  stale = false,
  askedAt,
  partial = false,
  onCompare,
  live = false,
  contentsFile,
}: SnapshotViewProps) {
  const { t } = useTranslation();
  const wsLabel = t('dumps.workingSetUnknown');
  const wsUnknown = useMemo(
    () =>
      snapshot.workingSetUnknown === undefined
        ? null
        : { label: wsLabel, reason: snapshot.workingSetUnknown },
    [snapshot.workingSetUnknown, wsLabel],
  );
  const paintInfo = usePaintTime(askedAt, partial);
  const livePages = useMemo(
    () =>
      live
        ? { source: snapshot.source, pid: snapshot.process.pid, pageSize: snapshot.system.pageSize }
        : null,
    [live, snapshot],
  );
  const save = (suffix: string, text: string | Uint8Array<ArrayBuffer>, type: string): void =>
    downloadBlob(exportName(snapshot, suffix), new Blob([text], { type }));
  const { regions, allocations, regionToAllocation, totals } = useSnapshotModel(snapshot, partial);

  const table = useRegionTableState(regions, allocations, regionToAllocation);
  const {
    filter,
    matches,
    sort,
    onSort,
    expanded,
    toggle,
    rows,
    selection,
    focusRegion,
    selectFromMap,
    onKind,
  } = table;
  const { chosen, sums } = useSelectionSums(regions, rows, selection.indices);
  const columns = useColumnLayout(snapshot.source);
  // Content statistics of a live process: shared by the summary and the Contents panel.
  const stats = useStatsScan();
  const zeroTab = useMemo(
    () =>
      live && (
        <ZeroSummary
          pid={snapshot.process.pid}
          source={snapshot.source}
          regions={regions}
          scan={stats}
          onSelectRegion={selectFromMap}
        />
      ),
    [live, snapshot.process.pid, snapshot.source, regions, stats, selectFromMap],
  );
  const { copy, onKeyDown, scrollRef } = useRegionTableKeys(
    table,
    regions,
    allocations,
    columns.shown,
  );

  return (
    <div className={`snapshot-view${stale ? ' stale' : ''}`} data-partial={partial || undefined}>
      <TruncatedBanner truncated={snapshot.truncated} />
      <OriginHeader snapshot={snapshot} />
      {totals ? (
        <SummaryPane
          summary={totals.summary}
          fragmentation={totals.frag}
          regions={regions}
          allocations={allocations}
          kindFilter={filter.kinds?.size === 1 ? [...filter.kinds][0]! : null}
          onKind={onKind}
          zeroTab={zeroTab}
          wsUnknown={wsUnknown}
        />
      ) : (
        <section className="summary" aria-label={t('summary.label')} aria-busy="true">
          <span className="dim">{t('snapshotLoad.summing')}</span>
        </section>
      )}
      <AddressMap
        regions={regions}
        selected={focusRegion}
        matches={matches}
        onSelect={selectFromMap}
      />
      <RegionToolbar
        table={table}
        protections={totals?.protections ?? []}
        onCopy={copy}
        onExport={{
          json: () => save('.json', snapshotToJson(snapshot), 'application/json'),
          csv: () => save('.csv', snapshotCsv(snapshot) as Uint8Array<ArrayBuffer>, 'text/csv'),
          summary: () =>
            save(
              '-summary.csv',
              summaryToCsv(totals?.summary ?? summarizeByKind(regions.columns, allocations)),
              'text/csv',
            ),
        }}
        actions={
          <>
            <ColumnMenu layout={columns} />
            <SaveToLibraryButton snapshot={snapshot} />
          </>
        }
        onCompare={onCompare}
        // preventScroll: focusing the table scrolled the whole view, hiding the summary's head.
        onGoneTo={() => scrollRef.current?.focus({ preventScroll: true })}
      />
      <div className="table-and-details">
        <RegionTable
          wsUnknown={wsUnknown}
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
          layout={columns}
        />
        <DetailsPane
          wsUnknown={wsUnknown}
          region={focusRegion !== null ? regions.at(focusRegion)! : null}
          allocation={focusRegion !== null ? allocations[regionToAllocation[focusRegion]!]! : null}
          regions={regions}
          live={livePages}
        />
      </div>
      {(live || contentsFile !== undefined) && (
        <ContentsPanel
          pid={snapshot.process.pid}
          source={contentsFile === undefined ? snapshot.source : undefined}
          file={contentsFile}
          regions={regions}
          region={focusRegion !== null ? regions.at(focusRegion)! : null}
          onSelectRegion={selectFromMap}
          stats={stats}
        />
      )}
      <SnapshotStatusLine
        wsUnknown={wsUnknown}
        snapshot={snapshot}
        allocationCount={allocations.length}
        rowCount={rows.length}
        chosen={chosen}
        sums={sums}
        paintInfo={paintInfo}
        stale={stale}
      />
    </div>
  );
}
