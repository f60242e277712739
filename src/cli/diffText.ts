import { displayAddress } from '../shared/address';
import { formatBytes } from '../shared/format';
import { describeCounts, describeFields, type SnapshotDiff } from '../shared/snapshotDiff';
import { renderTable } from './table';

const signed = (n: number): string =>
  n > 0 ? `+${formatBytes(n)}` : n < 0 ? `-${formatBytes(-n)}` : formatBytes(0);

/** The diff for a terminal: who and when, deltas per kind, then the changes that move the most bytes. */
export function diffToText(diff: SnapshotDiff, limit = 40): string {
  const { before, after } = diff;
  const lines = [
    `before: ${before.name} (${before.pid}) ${before.source} ${before.takenAt}`,
    `after:  ${after.name} (${after.pid}) ${after.source} ${after.takenAt}`,
    `${describeCounts(diff.counts)} regions, matched by mapping and address overlap`,
    '',
    renderTable(
      ['KIND', 'SIZE', 'COMMITTED', 'PRIVATE', 'WS TOTAL', 'BLOCKS'],
      diff.kinds.map((k) => [
        k.kind,
        signed(k.size),
        signed(k.committed),
        signed(k.private),
        signed(k.wsTotal),
        String(k.blocks),
      ]),
      [false, true, true, true, true, true],
    ),
  ];
  if (diff.changes.length > 0) {
    lines.push('');
    lines.push(
      renderTable(
        ['CHANGE', 'ADDRESS', 'KIND', 'SIZE', 'SIZE Δ', 'COMMITTED Δ', 'WS Δ', 'WHAT', 'PATH'],
        diff.changes.slice(0, limit).map((c) => {
          const r = c.after ?? c.before!;
          const span = c.afterSpan ?? c.beforeSpan!;
          return [
            c.category,
            displayAddress(c.base),
            r.kind,
            formatBytes(span.size),
            signed(c.sizeDelta),
            signed(c.committedDelta),
            signed(c.workingSetDelta),
            describeFields(c),
            r.path ?? r.details ?? '',
          ];
        }),
        [false, false, false, true, true, true, true, false, false],
      ),
    );
    if (diff.changes.length > limit)
      lines.push(`… and ${diff.changes.length - limit} more (--format json lists them all)`);
  }
  return lines.join('\n');
}
