import { formatBytes } from '../../../../shared/format';
import type { ScanState } from './useScan';
import { MAX_SHOWN } from './useScan';

/** A scan's progress bar, its Cancel button, and how it ended. */
export function ScanStatus<R>({ state, onCancel }: { state: ScanState<R>; onCancel: () => void }) {
  const p = state.progress;
  return (
    <div className="scan-status">
      {state.running && (
        <>
          <progress aria-label="Scan progress" max={p?.totalBytes || 1} value={p?.doneBytes ?? 0} />
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </>
      )}
      {p && (
        <span className="dim">
          {formatBytes(p.doneBytes)} of {formatBytes(p.totalBytes)} read · {p.regionsDone} of{' '}
          {p.regionsTotal} regions
        </span>
      )}
      {state.finished && (
        <span role="status">
          Done: {state.results.length} found
          {state.finished.truncated ? ' (stopped at the limit)' : ''}
          {state.clipped ? ` (the first ${MAX_SHOWN} shown)` : ''}.
        </span>
      )}
      {!state.running && !state.finished && p && <span role="status">Cancelled.</span>}
      {state.ownProcess && (
        <span className="dim">
          {' '}
          This is vmscope's own process: its own buffers are in what it reads.
        </span>
      )}
      {state.error && <span role="alert">{state.error}</span>}
    </div>
  );
}
