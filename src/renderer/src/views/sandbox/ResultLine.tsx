import type { HistoryEntry } from '../../../../shared/sandboxSession';
import { formatStep } from '../../../../shared/win32Call';
import { useTranslation } from 'react-i18next';

/** A step as JSON: the step as sent, then what the engine answered. */
export function stepJson(entry: HistoryEntry): string {
  const { op: _op, ...result } = entry.result;
  return `${JSON.stringify(entry.step)} → ${JSON.stringify(result)}`;
}

/** A step and its outcome in one line, as a Win32 call (or its JSON), then GetLastError or the exception explained. */
export function ResultLine({ entry, json }: { entry: HistoryEntry; json: boolean }) {
  const { t, i18n } = useTranslation();
  const r = entry.result;
  const refused = typeof r.info?.['refused'] === 'string' ? (r.info['refused'] as string) : null;
  const known = (key: string): string | undefined => (i18n.exists(key) ? t(key) : undefined);
  const explanation = r.exception
    ? known(`sandbox.exceptions.${r.exception.name}`)
    : r.lastError
      ? (refused ?? known(`sandbox.errors.${r.lastError.name}`))
      : undefined;
  return (
    <div className={`result-line ${r.ok ? 'ok' : 'failed'}`} data-testid="result-line">
      <code className="call">{json ? stepJson(entry) : formatStep(entry.step, r)}</code>
      {explanation && <div className="explanation">{explanation}</div>}
      {entry.restarted && <div className="restart">{t('sandbox.restartResult')}</div>}
      {entry.calls.length > 0 && (
        <ul className="calls">
          {entry.calls.map((c, i) => (
            <li key={i}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
