import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { displayAddress } from '../../../../shared/address';
import { formatBytes, formatCount } from '../../../../shared/format';
import { type RegionChange, changeKinds, diffSnapshots } from '../../../../shared/snapshotDiff';
import { i18next } from '../../i18n';
import { regionDetailsText } from '../../i18n/engineText';
import { sourceWords } from '../inspect/RegionTable';
import { describeStored, findSnapshot, useStoredSnapshots } from '../../snapshotStore';
import { AddressMap } from '../inspect/AddressMap';
import { regionList } from '../../../../shared/regionList';
import { KIND_COLORS, columnLabel, kindLabel } from '../inspect/kindColors';

/** Rows of the change list drawn at once; the rest are counted (the JSON export has them all). */
const SHOWN = 500;

const signed = (n: number): string =>
  n > 0 ? `+${formatBytes(n)}` : n < 0 ? `−${formatBytes(-n)}` : formatBytes(0);
/** The changed regions' columns (compare.columns.<key>), numbers right-aligned under right-aligned headers. */
const CHANGE_COLUMNS: [string, boolean][] = [
  ['change', false],
  ['address', false],
  ['kind', false],
  ['size', true],
  ['sizeDelta', true],
  ['committedDelta', true],
  ['wsDelta', true],
  ['fields', false],
  ['details', false],
];

/** The diff's counts in one line, in the UI's language (snapshotDiff's describeCounts, translated). */
function describeCounts(c: ReturnType<typeof diffSnapshots>['counts']): string {
  const t = i18next.t;
  const detail = changeKinds(c)
    .map((k) => `${formatCount(c[k])} ${t(`compare.categories.${k}`)}`)
    .join(', ');
  return t(detail ? 'compare.countsDetail' : 'compare.counts', {
    changed: formatCount(c.changed),
    detail,
    added: formatCount(c.added),
    removed: formatCount(c.removed),
    unchanged: formatCount(c.unchanged),
  });
}

/** What changed in a piece, and where a moved piece came from. */
const describeFields = (c: RegionChange): string =>
  [
    c.category === 'moved' && c.beforeSpan
      ? i18next.t('compare.from', { address: displayAddress(c.beforeSpan.base) })
      : '',
    c.fields.map((f) => i18next.t(`compare.fields.${f}`)).join(', '),
  ]
    .filter(Boolean)
    .join(' · ');

export interface CompareViewProps {
  before: number;
  after: number;
  onChoose: (before: number, after: number) => void;
}

/**
 * Two snapshots side by side as differences, by impact: each piece of the address space that grew,
 * shrank, moved, changed protection, was touched, added or removed (matched by regionMatch.ts).
 */
export function CompareView({ before, after, onChoose }: CompareViewProps) {
  const { t } = useTranslation();
  const stored = useStoredSnapshots();
  const a = findSnapshot(before);
  const b = findSnapshot(after);
  const diff = useMemo(() => (a && b ? diffSnapshots(a.snapshot, b.snapshot) : null), [a, b]);
  const changedInAfter = useMemo(() => {
    if (!diff || !b) return null;
    const marks = new Uint8Array(b.snapshot.regions.length);
    const spans = new Map(
      diff.changes.flatMap((c) =>
        c.afterSpan ? [[c.afterSpan.base, c.afterSpan.size] as const] : [],
      ),
    );
    // A changed piece may be several regions: mark from its first region to the end of its span.
    let end = -1n;
    b.snapshot.regions.forEach((r, i) => {
      const start = BigInt(r.base);
      const size = spans.get(r.base);
      if (size !== undefined) end = start + BigInt(size);
      marks[i] = start < end ? 1 : 0;
    });
    return marks;
  }, [diff, b]);

  const picker = (label: string, value: number, pick: (id: number) => void) => (
    <label>
      {label}{' '}
      <select aria-label={label} value={value} onChange={(e) => pick(Number(e.target.value))}>
        {!findSnapshot(value) && <option value={value}>{t('compare.closed')}</option>}
        {stored.map((e) => (
          <option key={e.id} value={e.id}>
            {describeStored(e)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="compare" aria-label={t('compare.label')}>
      <div className="inspect-toolbar">
        <strong>{t('shell.compare')}</strong>
        {picker(t('compare.before'), before, (id) => onChoose(id, after))}
        {picker(t('compare.after'), after, (id) => onChoose(before, id))}
      </div>
      {!diff || !b ? (
        <div className="error-banner" role="alert" data-code="not-found">
          <strong>{t('compare.nothing')}</strong>
          <span>{t('compare.nothingHelp')}</span>
        </div>
      ) : (
        <>
          <p className="compare-counts" data-testid="diff-counts">
            {describeCounts(diff.counts)}
          </p>
          <table className="grid summary-table" aria-label={t('compare.byKind')}>
            <thead>
              <tr>
                {['kind', 'size', 'committed', 'private', 'wsTotal', 'blocks'].map((h, i) => (
                  <th key={h} className={i > 0 ? 'num' : undefined}>
                    <span className="th-text">{columnLabel(h)}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {diff.kinds.map((k) => (
                <tr
                  key={k.kind}
                  data-kind={k.kind}
                  className={k.kind === 'total' ? 'total' : undefined}
                >
                  <td>
                    {k.kind !== 'total' && (
                      <i className="swatch" style={{ background: KIND_COLORS[k.kind] }} />
                    )}
                    {k.kind === 'total' ? t('summary.total') : kindLabel(k.kind)}
                  </td>
                  <td className="num">{signed(k.size)}</td>
                  <td className="num">{signed(k.committed)}</td>
                  <td className="num">{signed(k.private)}</td>
                  <td className="num">{signed(k.wsTotal)}</td>
                  <td className="num">{k.blocks > 0 ? `+${k.blocks}` : k.blocks}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <AddressMap
            regions={regionList(b.snapshot)}
            selected={null}
            matches={changedInAfter}
            onSelect={() => undefined}
          />
          <div className="table-scroll">
            <table className="grid" aria-label={t('compare.changed')}>
              <thead>
                <tr>
                  {CHANGE_COLUMNS.map(([h, numeric]) => (
                    <th key={h} className={numeric ? 'num' : undefined}>
                      <span className="th-text">{t(`compare.columns.${h}`)}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {diff.changes.length === 0 && (
                  <tr>
                    <td colSpan={CHANGE_COLUMNS.length} className="dim" data-testid="no-changes">
                      {t('changedRegions.none')}
                    </td>
                  </tr>
                )}
                {diff.changes.slice(0, SHOWN).map((c) => {
                  const r = c.after ?? c.before!;
                  const span = c.afterSpan ?? c.beforeSpan!;
                  return (
                    <tr
                      key={`${c.category}${c.base}`}
                      data-change={c.change}
                      data-category={c.category}
                      data-base={c.base}
                      className={`change-${c.change}`}
                    >
                      <td>{t(`compare.categories.${c.category}`)}</td>
                      <td>{displayAddress(c.base)}</td>
                      <td>{kindLabel(r.kind)}</td>
                      <td className="num">{formatBytes(span.size)}</td>
                      <td className="num">{signed(c.sizeDelta)}</td>
                      <td className="num">{signed(c.committedDelta)}</td>
                      <td className="num">{signed(c.workingSetDelta)}</td>
                      <td>{describeFields(c)}</td>
                      <td {...sourceWords(r)}>
                        {r.path ?? (r.details === null ? '' : regionDetailsText(r.details).text)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {diff.changes.length > SHOWN && (
              <p className="dim">
                {t('compare.more', { count: formatCount(diff.changes.length - SHOWN) })}
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
