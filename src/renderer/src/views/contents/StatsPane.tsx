import { useTranslation } from 'react-i18next';
import { useMemo, useState } from 'react';
import { formatBytes } from '../../../../shared/format';
import type { ContentStats } from '../../../../shared/memoryScan';
import { ScanStatus } from './ScanStatus';
import type { ContentsTarget } from './SearchPane';
import { type StatsScan, zeroBytes } from './useStatsScan';

type SortKey = 'zero' | 'distinct' | 'entropy' | 'size';

const SORTS: Record<SortKey, (a: ContentStats, b: ContentStats) => number> = {
  zero: (a, b) => zeroBytes(b) - zeroBytes(a),
  distinct: (a, b) => a.distinctPages / (a.pages || 1) - b.distinctPages / (b.pages || 1),
  entropy: (a, b) => a.entropy - b.entropy,
  size: (a, b) => b.size - a.size,
};

/** What the committed regions hold: zero pages, duplicate pages and byte entropy, per region. */
export function StatsPane({
  pid,
  source,
  file,
  onShowRegion,
  region,
  scan: [state, start, cancel],
}: ContentsTarget & { region: string | null; scan: StatsScan }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<SortKey>('zero');
  const rows = useMemo(() => [...state.results].sort(SORTS[sort]), [state.results, sort]);
  const totalZero = rows.reduce((sum, s) => sum + zeroBytes(s), 0);
  return (
    <div className="contents-pane" aria-label={t('contents.stats.label')}>
      <div className="scan-form">
        <button type="button" disabled={state.running} onClick={() => start({ pid, source, file })}>
          {t('contents.stats.all')}
        </button>
        <button
          type="button"
          disabled={state.running || region === null}
          onClick={() => region && start({ pid, source, file, regions: [region] })}
        >
          {t('contents.stats.selected')}
        </button>
        <label>
          {t('contents.stats.sortBy')}{' '}
          <select
            aria-label={t('contents.stats.sortLabel')}
            value={sort}
            onChange={(e) => setSort(e.target.value as SortKey)}
          >
            <option value="zero">{t('contents.stats.sorts.zero')}</option>
            <option value="distinct">{t('contents.stats.sorts.distinct')}</option>
            <option value="entropy">{t('contents.stats.sorts.entropy')}</option>
            <option value="size">{t('contents.stats.sorts.size')}</option>
          </select>
        </label>
        {rows.length > 0 && (
          <span className="dim">
            {t('contents.stats.totalZero', { size: formatBytes(totalZero) })}
          </span>
        )}
      </div>
      <ScanStatus state={state} onCancel={cancel} />
      <table className="stats-table" aria-label={t('contents.stats.table')}>
        <thead>
          <tr>
            <th>{t('contents.stats.columns.region')}</th>
            <th>{t('contents.stats.columns.size')}</th>
            <th>{t('contents.stats.columns.zero')}</th>
            <th>{t('contents.stats.columns.zeroPages')}</th>
            <th>{t('contents.stats.columns.distinct')}</th>
            <th>{t('contents.stats.columns.entropy')}</th>
            <th>{t('contents.stats.columns.holes')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 2000).map((s) => (
            <tr key={s.regionBase}>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => onShowRegion(s.regionBase, s.regionBase)}
                >
                  {s.regionBase}
                </button>
              </td>
              <td>{formatBytes(s.size)}</td>
              <td>{formatBytes(zeroBytes(s))}</td>
              <td>{s.pages ? `${((100 * s.zeroPages) / s.pages).toFixed(1)} %` : '—'}</td>
              <td>{t('contents.stats.of', { part: s.distinctPages, whole: s.pages })}</td>
              <td>{s.entropy.toFixed(2)}</td>
              <td>{formatBytes(s.holeBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
