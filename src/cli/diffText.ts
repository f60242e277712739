import { displayAddress } from '../shared/address';
import { formatBytes } from '../shared/format';
import type { SnapshotDiff } from '../shared/snapshotDiff';
import { renderTable } from './table';

const signed = (n: number): string => (n > 0 ? `+${formatBytes(n)}` : n < 0 ? `-${formatBytes(-n)}` : '0');

/** The diff for a terminal: who and when, deltas per kind, then the changes that move the most bytes. */
export function diffToText(diff: SnapshotDiff, limit = 40): string {
  const { before, after, counts } = diff;
  const lines = [
    `before: ${before.name} (${before.pid}) ${before.source} ${before.takenAt}`,
    `after:  ${after.name} (${after.pid}) ${after.source} ${after.takenAt}`,
    `${counts.added} added, ${counts.removed} removed, ${counts.changed} changed, ${counts.unchanged} unchanged regions`,
    '',
    renderTable(
      ['KIND', 'SIZE', 'COMMITTED', 'PRIVATE', 'WS TOTAL', 'BLOCKS'],
      diff.kinds.map((k) => [k.kind, signed(k.size), signed(k.committed), signed(k.private), signed(k.wsTotal), String(k.blocks)]),
      [false, true, true, true, true, true],
    ),
  ];
  if (diff.changes.length > 0) {
    lines.push('');
    lines.push(
      renderTable(
        ['CHANGE', 'ADDRESS', 'KIND', 'SIZE', 'COMMITTED', 'WS', 'WHAT', 'PATH'],
        diff.changes.slice(0, limit).map((c) => {
          const r = c.after ?? c.before!;
          return [
            c.change,
            displayAddress(c.base),
            r.kind,
            formatBytes(r.size),
            signed(c.committedDelta),
            signed(c.workingSetDelta),
            c.fields.join(','),
            r.path ?? r.details ?? '',
          ];
        }),
        [false, false, false, true, true, true, false, false],
      ),
    );
    if (diff.changes.length > limit) lines.push(`… and ${diff.changes.length - limit} more (--format json lists them all)`);
  }
  return lines.join('\n');
}
