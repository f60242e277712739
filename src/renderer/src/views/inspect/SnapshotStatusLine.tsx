import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import { formatBytes, formatCount } from '../../../../shared/format';
import type { Snapshot } from '../../../../shared/model';
import { regionCount } from '../../../../shared/snapshotColumns';
import { UnknownWorkingSet, type WorkingSetUnknown } from './workingSetUnknown';

export interface SnapshotStatusLineProps {
  snapshot: Snapshot;
  allocationCount: number;
  rowCount: number;
  /** The regions under the selected rows, and their totals. */
  chosen: ReadonlySet<number>;
  sums: { size: number; committed: number; ws: number; priv: number };
  /** Where usePaintTime writes the time to the first frame. */
  paintInfo: RefObject<HTMLSpanElement | null>;
  stale: boolean;
  /** The snapshot's working set is unknown (a dump): the selection's WS says so. */
  wsUnknown?: WorkingSetUnknown | null;
}

/** Below the table: which process, how many regions and rows, when taken, what is selected. */
export function SnapshotStatusLine({
  snapshot,
  allocationCount,
  rowCount,
  chosen,
  sums,
  paintInfo,
  stale,
  wsUnknown = null,
}: SnapshotStatusLineProps) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <footer className="status-line" aria-live="polite">
      <span>
        <span translate="no">
          {snapshot.process.name} ({snapshot.process.pid})
        </span>{' '}
        · {t('status.source', { source: t(`sourceIds.${snapshot.source}`) })}
      </span>
      <span data-testid="row-count">
        {t('status.counts', {
          regions: formatCount(regionCount(snapshot)),
          allocations: formatCount(allocationCount),
          rows: formatCount(rowCount),
        })}
      </span>
      <span>
        {t('status.taken', { time: format.time(new Date(snapshot.takenAt)) })}
        {snapshot.durationMs !== undefined
          ? t('status.took', { ms: snapshot.durationMs.toFixed(0) })
          : ''}
        <span ref={paintInfo} data-testid="paint-ms" />
      </span>
      {chosen.size > 0 && (
        <span className="selection-sum" data-testid="selection-sum">
          {wsUnknown ? (
            <>
              {t('status.selectedWsUnknown', {
                count: chosen.size,
                size: formatBytes(sums.size),
                committed: formatBytes(sums.committed),
              })}{' '}
              <UnknownWorkingSet unknown={wsUnknown} />
            </>
          ) : (
            t('status.selected', {
              count: chosen.size,
              size: formatBytes(sums.size),
              committed: formatBytes(sums.committed),
              ws: formatBytes(sums.ws),
              priv: formatBytes(sums.priv),
            })
          )}
        </span>
      )}
      {stale && <span className="stale-note">{t('status.stale')}</span>}
    </footer>
  );
}
