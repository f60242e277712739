import type { SnapshotTruncation } from '../../../../shared/model';

/** Says that a snapshot's walk stopped early: every figure of the inspector misses the regions from `at` up. */
export function TruncatedBanner({ truncated }: { truncated: SnapshotTruncation | undefined }) {
  if (!truncated) return null;
  return (
    <div className="truncated-banner" role="alert" data-testid="truncated">
      Incomplete snapshot: the address space could not be read from {truncated.at} up, so the
      regions and totals below stop there. {truncated.reason}
    </div>
  );
}
