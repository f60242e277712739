import type { RefObject } from 'react';
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
  return (
    <footer className="status-line" aria-live="polite">
      <span>
        {snapshot.process.name} ({snapshot.process.pid}) · source {snapshot.source}
      </span>
      <span data-testid="row-count">
        {formatCount(regionCount(snapshot))} regions · {formatCount(allocationCount)} allocations ·{' '}
        {formatCount(rowCount)} rows shown
      </span>
      <span>
        taken {new Date(snapshot.takenAt).toLocaleTimeString()}
        {snapshot.durationMs !== undefined ? ` in ${snapshot.durationMs.toFixed(0)} ms` : ''}
        <span ref={paintInfo} data-testid="paint-ms" />
      </span>
      {chosen.size > 0 && (
        <span className="selection-sum" data-testid="selection-sum">
          {chosen.size} {chosen.size === 1 ? 'region' : 'regions'} selected: size{' '}
          {formatBytes(sums.size)} · committed {formatBytes(sums.committed)} · WS{' '}
          {wsUnknown ? (
            <UnknownWorkingSet unknown={wsUnknown} />
          ) : (
            <>
              {formatBytes(sums.ws)} · private WS {formatBytes(sums.priv)}
            </>
          )}
        </span>
      )}
      {stale && <span className="stale-note">showing the last snapshot taken</span>}
    </footer>
  );
}
