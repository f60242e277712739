import type { HistoryEntry } from '../../../../shared/sandboxSession';
import { WIN_ERRORS, type WinErrorName } from '../../../../shared/winConstants';

const EXCEPTION_EXPLANATIONS: Readonly<Record<string, string>> = {
  EXCEPTION_ACCESS_VIOLATION:
    'The access reached a page that is free, reserved, no-access, read-only (for a write) or not executable (DEP, for an execute).',
  STATUS_GUARD_PAGE_VIOLATION:
    'The page was a guard page: the guard is now cleared, so the same access succeeds next time.',
};

/** A step's outcome in one line: return value, then GetLastError or the exception, by name and number, explained. */
export function ResultLine({ entry }: { entry: HistoryEntry }) {
  const r = entry.result;
  const refused = typeof r.info?.['refused'] === 'string' ? (r.info['refused'] as string) : null;
  return (
    <div className={`result-line ${r.ok ? 'ok' : 'failed'}`} data-testid="result-line">
      <strong>{r.op}</strong> returned <code>{JSON.stringify(r.returned)}</code>
      {r.lastError && (
        <>
          {' · '}GetLastError() = <code>{r.lastError.name}</code> ({r.lastError.code}):{' '}
          {refused ?? WIN_ERRORS[r.lastError.name as WinErrorName]?.explanation ?? ''}
        </>
      )}
      {r.exception && (
        <>
          {' · '}
          <code>{r.exception.name}</code> ({r.exception.code}) on {r.exception.access} at{' '}
          <code>{r.exception.address}</code>: {EXCEPTION_EXPLANATIONS[r.exception.name] ?? ''}
        </>
      )}
      {entry.restarted && (
        <> · the live child was killed by the fault; a fresh one replayed the earlier steps.</>
      )}
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
