import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceId } from '../../../../shared/model';
import { ErrorBanner } from '../../components/ErrorBanner';
import { addSnapshot, previousOf, useStoredSnapshots } from '../../snapshotStore';
import { SnapshotView } from './SnapshotView';
import { useSnapshotStream } from './useSnapshotStream';

const AUTO_REFRESH = [0, 2, 5, 10, 30, 60];

export interface InspectViewProps {
  pid: number;
  source?: SourceId;
  onPickAnother: () => void;
  /** Compare two snapshots this session holds (by store id). */
  onCompare: (before: number, after: number) => void;
}

/** Everything about one process's address space: summary, map, table and details. */
export function InspectView({ pid, source, onPickAnother, onCompare }: InspectViewProps) {
  const { t } = useTranslation();
  const [state, reload] = useSnapshotStream(pid, source);
  const [autoRefresh, setAutoRefresh] = useState(0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'F5' || ((e.ctrlKey || e.metaKey) && e.key === 'r')) {
        e.preventDefault();
        reload();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reload]);

  useEffect(() => {
    if (autoRefresh === 0) return;
    const timer = setInterval(reload, autoRefresh * 1000);
    return () => clearInterval(timer);
  }, [autoRefresh, reload]);

  const snapshot = state.value?.snapshot;
  const partial = state.value?.partial ?? false;
  // Every snapshot taken is kept for comparison (the store keeps the last few), once whole.
  useEffect(() => {
    if (snapshot && !partial) addSnapshot(snapshot, 'live');
  }, [snapshot, partial]);
  const stored = useStoredSnapshots();
  const entry = stored.find((e) => e.snapshot === snapshot);
  const previous = entry ? previousOf(entry) : undefined;
  return (
    <section className="inspect" aria-label={t('inspect.process', { pid })}>
      <div className="inspect-toolbar">
        <button type="button" onClick={onPickAnother}>
          ← {t('shell.processes')}
        </button>
        <strong className="proc-title" translate="no">
          {snapshot
            ? `${snapshot.process.name} (${snapshot.process.pid})`
            : t('inspect.process', { pid })}
        </strong>
        <button
          type="button"
          onClick={reload}
          disabled={state.status === 'loading'}
          title={t('inspect.refreshTitle')}
        >
          {t('common.refresh')}
        </button>
        <label>
          {t('inspect.autoRefresh')}{' '}
          <select
            aria-label={t('inspect.autoRefresh')}
            value={autoRefresh}
            onChange={(e) => setAutoRefresh(Number(e.target.value))}
          >
            {AUTO_REFRESH.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? t('inspect.off') : t('inspect.every', { seconds: s })}
              </option>
            ))}
          </select>
        </label>
        {state.status === 'loading' && <span className="dim loading">{t('inspect.reading')}</span>}
      </div>
      {state.status === 'error' && (
        <ErrorBanner
          error={state.error}
          action={
            <>
              <button type="button" onClick={reload}>
                {t('common.tryAgain')}
              </button>
              <button type="button" onClick={onPickAnother}>
                {t('inspect.pickAnother')}
              </button>
            </>
          }
        />
      )}
      {snapshot ? (
        <SnapshotView
          snapshot={snapshot}
          stale={state.status === 'error'}
          live
          askedAt={state.value!.askedAt}
          partial={partial}
          onCompare={entry && previous ? () => onCompare(previous.id, entry.id) : undefined}
        />
      ) : (
        state.status === 'loading' && (
          <div className="placeholder-loading">{t('inspect.readingProcess', { pid })}</div>
        )
      )}
    </section>
  );
}
