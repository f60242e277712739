import { useTranslation } from 'react-i18next';
import { formatSize } from '../../../../shared/format';
import type { HistoryEntry } from '../../../../shared/sandboxSession';

const W = 360;
const H = 140;
const PAD = 24;

/** The session's working set and commit after each step; each step is a marker on the x axis. */
export function CountersChart({ history }: { history: HistoryEntry[] }) {
  const { t } = useTranslation();
  const points = [{ workingSetSize: 0, privateUsage: 0 }, ...history.map((h) => h.after)];
  const max = Math.max(4096, ...points.map((p) => Math.max(p.workingSetSize, p.privateUsage ?? 0)));
  const x = (i: number): number => PAD + (i * (W - 2 * PAD)) / Math.max(1, points.length - 1);
  const y = (v: number): number => H - PAD - (v * (H - 2 * PAD)) / max;
  const line = (pick: (p: (typeof points)[number]) => number): string =>
    points.map((p, i) => `${x(i)},${y(pick(p))}`).join(' ');
  return (
    <figure className="counters-chart" aria-label={t('chart.label')}>
      <svg width={W} height={H} role="img" aria-label={t('chart.figure')}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="axis" />
        {history.map((h, i) => (
          <line
            key={i}
            x1={x(i + 1)}
            y1={PAD}
            x2={x(i + 1)}
            y2={H - PAD}
            className={`marker${h.result.ok ? '' : ' failed'}`}
          >
            <title>{`${i + 1}. ${h.result.op}`}</title>
          </line>
        ))}
        <polyline points={line((p) => p.privateUsage ?? 0)} className="commit" />
        <polyline points={line((p) => p.workingSetSize)} className="ws" />
        <text x={PAD} y={14}>
          {t('chart.max', { size: formatSize(max) })}
        </text>
      </svg>
      <figcaption>
        <span className="key ws" />{' '}
        {t('chart.workingSet', { size: formatSize(points[points.length - 1]!.workingSetSize) })} ·{' '}
        <span className="key commit" />{' '}
        {t('chart.commit', { size: formatSize(points[points.length - 1]!.privateUsage ?? 0) })}
      </figcaption>
    </figure>
  );
}
