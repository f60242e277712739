import type { VmError } from '../../../shared/errors';

const TITLES: Partial<Record<VmError['code'], string>> = {
  'process-exited': 'The process has exited',
  'access-denied': 'Access denied',
  'source-unavailable': 'Source unavailable',
  'invalid-input': 'Invalid input',
  'malformed-file': 'The file is not a valid snapshot',
};

/** An error shown in place, with what the user can do about it; `onDismiss` adds a Dismiss button. */
export function ErrorBanner({
  error,
  action,
  onDismiss,
}: {
  error: VmError;
  action?: React.ReactNode;
  onDismiss?: () => void;
}) {
  return (
    <div className="error-banner" role="alert" data-code={error.code}>
      <strong>{TITLES[error.code] ?? 'Something went wrong'}</strong>
      <span>{error.message}</span>
      {action}
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
