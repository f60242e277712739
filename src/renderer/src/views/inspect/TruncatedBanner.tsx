import { useTranslation } from 'react-i18next';
import type { SnapshotTruncation } from '../../../../shared/model';

/** Says that a snapshot's walk stopped early: every figure of the inspector misses the regions from `at` up. */
export function TruncatedBanner({ truncated }: { truncated: SnapshotTruncation | undefined }) {
  const { t } = useTranslation();
  if (!truncated) return null;
  return (
    <div className="truncated-banner" role="alert" data-testid="truncated">
      {t('truncated', { at: truncated.at })} <span lang="en">{truncated.reason}</span>
    </div>
  );
}
