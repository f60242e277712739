import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../../../shared/format';
import type { ScanState } from './useScan';
import { MAX_SHOWN } from './useScan';

/** A scan's progress bar, its Cancel button, and how it ended. */
export function ScanStatus<R>({ state, onCancel }: { state: ScanState<R>; onCancel: () => void }) {
  const { t } = useTranslation();
  const p = state.progress;
  return (
    <div className="scan-status">
      {state.running && (
        <>
          <progress
            aria-label={t('contents.progress')}
            max={p?.totalBytes || 1}
            value={p?.doneBytes ?? 0}
          />
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </>
      )}
      {p && (
        <span className="dim">
          {t('contents.read', {
            done: formatBytes(p.doneBytes),
            total: formatBytes(p.totalBytes),
            regionsDone: p.regionsDone,
            regionsTotal: p.regionsTotal,
          })}
        </span>
      )}
      {state.finished && (
        <span role="status">
          {t('contents.done', { count: state.results.length })}
          {state.finished.truncated ? t('contents.atLimit') : ''}
          {state.clipped ? t('contents.clipped', { shown: MAX_SHOWN }) : ''}.
        </span>
      )}
      {!state.running && !state.finished && p && (
        <span role="status">{t('contents.cancelled')}</span>
      )}
      {state.ownProcess && <span className="dim"> {t('contents.ownProcess')}</span>}
      {state.error && (
        <span role="alert" lang="en">
          {state.error}
        </span>
      )}
    </div>
  );
}
