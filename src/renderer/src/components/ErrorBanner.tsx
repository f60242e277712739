import { useTranslation } from 'react-i18next';
import type { VmError } from '../../../shared/errors';

/** Codes with a title of their own (errorBanner.<code>); any other reads errorBanner.other. */
const TITLED = new Set<VmError['code']>([
  'process-exited',
  'access-denied',
  'source-unavailable',
  'invalid-input',
  'malformed-file',
]);

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
  const { t } = useTranslation();
  return (
    <div className="error-banner" role="alert" data-code={error.code}>
      <strong>{t(`errorBanner.${TITLED.has(error.code) ? error.code : 'other'}`)}</strong>
      {/* The message comes from the service, in English. */}
      <span lang="en">{error.message}</span>
      {action}
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          {t('shell.dismiss')}
        </button>
      )}
    </div>
  );
}
