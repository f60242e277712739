import { useTranslation } from 'react-i18next';
import type { VmError } from '../../../shared/errors';

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
  const { t, i18n } = useTranslation();
  // The detail comes from the service, in English: in another language a hint per code says
  // what to do, in that language, and the detail follows as it was written.
  const english = (i18n.resolvedLanguage ?? i18n.language).startsWith('en');
  return (
    <div className="error-banner" role="alert" data-code={error.code}>
      <strong>{t(`errorBanner.${error.code}`)}</strong>
      <span className="error-text">
        {!english && <span>{t(`errorBanner.hint.${error.code}`)}</span>}
        <span lang="en">{error.message}</span>
      </span>
      {action}
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          {t('shell.dismiss')}
        </button>
      )}
    </div>
  );
}
