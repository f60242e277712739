import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import { findSnapshot, previousOf, useStoredSnapshots } from '../../snapshotStore';
import { SnapshotView } from '../inspect/SnapshotView';

/** A snapshot opened from a file: every inspector view, offline, marked with where it came from. */
export function FileView({
  id,
  onOpenAnother,
  onCompare,
}: {
  id: number;
  onOpenAnother: () => void;
  onCompare: (a: number, b: number) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  useStoredSnapshots();
  const entry = findSnapshot(id);
  if (!entry) {
    return (
      <div className="error-banner" role="alert" data-code="not-found">
        <strong>{t('file.gone')}</strong>
        <span>{t('file.goneHelp')}</span>
        <button type="button" onClick={onOpenAnother}>
          {t('file.openAnother')}
        </button>
      </div>
    );
  }
  const s = entry.snapshot;
  const previous = previousOf(entry);
  return (
    <section className="inspect" aria-label={t('file.label', { name: entry.fileName ?? '' })}>
      <div className="inspect-toolbar file-origin">
        <span className="tag">{t('file.tag')}</span>
        <strong className="proc-title" translate="no">
          {entry.fileName}
        </strong>
        <span className="dim">
          <span translate="no">
            {s.process.name} ({s.process.pid}) · {s.host.hostname} ({s.host.platform}/{s.host.arch})
          </span>{' '}
          ·{' '}
          {t('file.origin', {
            source: t(`sourceIds.${s.source}`),
            time: format.dateTime(new Date(s.takenAt)),
          })}
        </span>
      </div>
      <SnapshotView
        snapshot={s}
        onCompare={previous ? () => onCompare(previous.id, entry.id) : undefined}
        contentsFile={s.origin ? entry.servedFile : undefined}
      />
    </section>
  );
}
