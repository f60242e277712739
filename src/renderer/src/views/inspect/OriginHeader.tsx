import { useTranslation } from 'react-i18next';
import type { Snapshot } from '../../../../shared/model';
import { useFormat } from '../../i18n/format';

/**
 * Where a snapshot read from a dump or core file came from: the file, the process, when it was
 * written, the streams or notes it held, and what it lacks (so what the figures below cannot show).
 */
export function OriginHeader({ snapshot }: { snapshot: Snapshot }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { origin } = snapshot;
  if (!origin) return null;
  const { process } = snapshot;
  return (
    <section className="origin-header" data-testid="origin" aria-label={t('origin.label')}>
      <div>
        <strong>{t(`origin.kinds.${origin.kind}`)}</strong>{' '}
        <code data-testid="origin-file">{origin.file}</code> · {process.name} (pid {process.pid}) ·{' '}
        {t('origin.written', { time: format.dateTime(new Date(snapshot.takenAt)) })}
      </div>
      <div className="origin-captured">
        {t('origin.captured')}{' '}
        <span data-testid="origin-captured" translate="no">
          {origin.captured.join(', ') || t('common.none')}
        </span>
      </div>
      {origin.missing.length > 0 && (
        // What the file lacks, in the reader's (English) words.
        <ul className="origin-missing" data-testid="origin-missing" lang="en">
          {origin.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
