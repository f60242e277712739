import type { HistoryEntry } from '../../../../shared/sandboxSession';
import { formatStep } from '../../../../shared/win32Call';
import { WIN_ERRORS, type WinErrorName } from '../../../../shared/winConstants';

const EXCEPTION_EXPLANATIONS: Readonly<Record<string, string>> = {
  EXCEPTION_ACCESS_VIOLATION:
    'The access reached a page that is free, reserved, no-access, read-only (for a write) or not executable (DEP, for an execute).',
  STATUS_GUARD_PAGE_VIOLATION:
    'The page was a guard page: the guard is now cleared, so the same access succeeds next time.',
};

/** A step as JSON: the step as sent, then what the engine answered. */
export function stepJson(entry: HistoryEntry): string {
  const { op: _op, ...result } = entry.result;
  return `${JSON.stringify(entry.step)} → ${JSON.stringify(result)}`;
}

/** A step and its outcome in one line, as a Win32 call (or its JSON), then GetLastError or the exception explained. */
export function ResultLine({ entry, json }: { entry: HistoryEntry; json: boolean }) {
  const r = entry.result;
  const refused = typeof r.info?.['refused'] === 'string' ? (r.info['refused'] as string) : null;
  const explanation = r.exception
    ? EXCEPTION_EXPLANATIONS[r.exception.name]
    : r.lastError
      ? (refused ?? WIN_ERRORS[r.lastError.name as WinErrorName]?.explanation)
      : undefined;
  return (
    <div className={`result-line ${r.ok ? 'ok' : 'failed'}`} data-testid="result-line">
      <code className="call">{json ? stepJson(entry) : formatStep(entry.step, r)}</code>
      {explanation && <div className="explanation">{explanation}</div>}
      {entry.restarted && (
        <div className="restart">
          The live child was killed by the fault; a fresh one replayed the earlier steps.
        </div>
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
