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
  const [sort, setSort] = useState<SortKey>('zero');
  const rows = useMemo(() => [...state.results].sort(SORTS[sort]), [state.results, sort]);
  const totalZero = rows.reduce((sum, s) => sum + zeroBytes(s), 0);
  return (
    <div className="contents-pane" aria-label="Content statistics">
      <div className="scan-form">
        <button type="button" disabled={state.running} onClick={() => start({ pid, source, file })}>
          Compute for every committed region
        </button>
        <button
          type="button"
          disabled={state.running || region === null}
          onClick={() => region && start({ pid, source, file, regions: [region] })}
        >
          Compute for the selected region
        </button>
        <label>
          Sort by{' '}
          <select
            aria-label="Sort statistics by"
            value={sort}
            onChange={(e) => setSort(e.target.value as SortKey)}
          >
            <option value="zero">committed but zero</option>
            <option value="distinct">distinct pages (fewest first)</option>
            <option value="entropy">entropy (lowest first)</option>
            <option value="size">size</option>
          </select>
        </label>
        {rows.length > 0 && (
          <span className="dim">{formatBytes(totalZero)} committed but zero in all.</span>
        )}
      </div>
      <ScanStatus state={state} onCancel={cancel} />
      <table className="stats-table" aria-label="Region statistics">
        <thead>
          <tr>
            <th>Region</th>
            <th>Size</th>
            <th>Committed but zero</th>
            <th>Zero pages</th>
            <th>Distinct pages</th>
            <th>Entropy (bits/byte)</th>
            <th>Not readable</th>
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
              <td>
                {s.distinctPages} of {s.pages}
              </td>
              <td>{s.entropy.toFixed(2)}</td>
              <td>{formatBytes(s.holeBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
