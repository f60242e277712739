import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { displayAddress, parseAddress } from '../../../../shared/address';
import { formatBytes, formatExactBytes } from '../../../../shared/format';
import type { SourceId } from '../../../../shared/model';
import { regionAtAddress } from '../../../../shared/regionAtAddress';
import type { RegionsLike } from '../../../../shared/regionList';
import { kindLabel } from '../inspect/kindColors';
import { ScanStatus } from './ScanStatus';
import { type StatsScan, zeroBytes } from './useStatsScan';

/** Rows the summary lists; the Statistics tab has them all. */
const SHOWN = 200;

export interface ZeroSummaryProps {
  pid: number;
  source?: SourceId;
  regions: RegionsLike;
  scan: StatsScan;
  /** Select a region (by index) in the table and the map. */
  onSelectRegion: (index: number) => void;
}

/**
 * The leak hunter's question in the summary pane: which regions are committed but hold only
 * zeros. The statistics are computed in the service with progress (the same scan as the
 * Statistics tab), and the regions read so far are listed, most committed-but-zero first.
 */
export function ZeroSummary({ pid, source, regions, scan, onSelectRegion }: ZeroSummaryProps) {
  const { t } = useTranslation();
  const [state, start, cancel] = scan;
  // A binary search per listed row: building a map of every region would build every Region.
  const indexOf = (base: string): number | undefined => {
    const index = regionAtAddress(regions, parseAddress(base));
    return index >= 0 && regions.at(index)!.base === base ? index : undefined;
  };
  const rows = useMemo(
    () => [...state.results].sort((a, b) => zeroBytes(b) - zeroBytes(a)),
    [state.results],
  );
  const total = rows.reduce((sum, s) => sum + zeroBytes(s), 0);
  return (
    <div className="summary-scroll zero-summary" role="region" aria-label={t('zeroSummary.title')}>
      <div className="scan-form">
        <button type="button" disabled={state.running} onClick={() => start({ pid, source })}>
          {t('zeroSummary.compute')}
        </button>
        {rows.length > 0 ? (
          <span className="dim" data-testid="zero-total">
            {t('zeroSummary.total', { zero: formatBytes(total), regions: rows.length })}
          </span>
        ) : (
          <span className="dim">{t('zeroSummary.intro')}</span>
        )}
      </div>
      <ScanStatus state={state} onCancel={cancel} />
      {rows.length > 0 && (
        <table className="grid summary-table" aria-label={t('zeroSummary.title')}>
          <thead>
            <tr>
              <th>
                <span className="th-text">{t('zeroSummary.region')}</span>
              </th>
              <th>
                <span className="th-text">{t('zeroSummary.kind')}</span>
              </th>
              <th className="num">
                <span className="th-text">{t('zeroSummary.committed')}</span>
              </th>
              <th className="num" aria-sort="descending">
                <span className="th-text">{t('zeroSummary.zero')} ▼</span>
              </th>
              <th className="num">
                <span className="th-text">{t('zeroSummary.share')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN).map((s) => {
              const index = indexOf(s.regionBase);
              const region = index === undefined ? undefined : regions.at(index);
              return (
                <tr
                  key={s.regionBase}
                  data-base={s.regionBase}
                  onClick={() => index !== undefined && onSelectRegion(index)}
                >
                  <td>{displayAddress(s.regionBase)}</td>
                  <td>{region ? kindLabel(region.kind) : ''}</td>
                  <td className="num">{formatBytes(region?.committed ?? s.size)}</td>
                  <td className="num" title={formatExactBytes(zeroBytes(s))}>
                    {formatBytes(zeroBytes(s))}
                  </td>
                  <td className="num">
                    {s.pages ? `${((100 * s.zeroPages) / s.pages).toFixed(0)} %` : '—'}
                  </td>
                </tr>
              );
            })}
            {rows.length > SHOWN && (
              <tr>
                <td colSpan={5} className="dim">
                  {t('zeroSummary.more', { count: rows.length - SHOWN })}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
