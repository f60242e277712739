import { type ReactNode, memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ResponsiveContainer, Tooltip, Treemap } from 'recharts';
import type { Allocation } from '../../../../shared/allocations';
import { displayAddress } from '../../../../shared/address';
import { formatBytes, formatCount, formatExactBytes } from '../../../../shared/format';
import type { Fragmentation } from '../../../../shared/fragmentation';
import type { RegionKind } from '../../../../shared/model';
import type { RegionsLike } from '../../../../shared/regionList';
import { SUMMARY_FIELDS } from '../../../../shared/regionFields';
import type { KindSummary } from '../../../../shared/summary';
import { KIND_COLORS, columnLabel, kindLabel } from './kindColors';
import { UnknownWorkingSet, type WorkingSetUnknown, isWorkingSetKey } from './workingSetUnknown';

type Field = Exclude<keyof KindSummary, 'kind'>;
const FIELDS: readonly { key: Field; count?: boolean }[] = SUMMARY_FIELDS;

export interface SummaryPaneProps {
  summary: KindSummary[];
  fragmentation: Fragmentation;
  regions: RegionsLike;
  allocations: readonly Allocation[];
  kindFilter: RegionKind | null;
  onKind: (kind: RegionKind | null) => void;
  /** A live process's committed-but-zero regions (views/contents/ZeroSummary), as a third tab. */
  zeroTab?: ReactNode;
  /** The snapshot's working set is unknown (a dump): its columns say so. */
  wsUnknown?: WorkingSetUnknown | null;
}

/** VMMap's top pane: the numbers per kind, a stacked bar of committed memory, and a treemap. */
export const SummaryPane = memo(function SummaryPane(props: SummaryPaneProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'table' | 'treemap' | 'zero'>('table');
  const total = props.summary.at(-1);
  const used = props.summary.filter(
    (s) => s.kind !== 'total' && s.kind !== 'free' && s.committed + s.size > 0,
  );
  return (
    <section className="summary" aria-label={t('summary.label')}>
      <div className="summary-tabs">
        <div className="summary-tablist" role="tablist" aria-label={t('summary.view')}>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'table'}
            onClick={() => setTab('table')}
          >
            {t('summary.table')}
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'treemap'}
            onClick={() => setTab('treemap')}
          >
            {t('summary.treemap')}
          </button>
          {props.zeroTab && (
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'zero'}
              onClick={() => setTab('zero')}
            >
              {t('zeroSummary.tab')}
            </button>
          )}
        </div>
        <div className="stacked-bar" aria-label={t('summary.bar')} role="img">
          {total &&
            used.map((s) => (
              <span
                key={s.kind}
                title={t('summary.barTip', {
                  kind: kindLabel(s.kind as RegionKind),
                  size: formatBytes(s.committed),
                })}
                style={{ flexGrow: s.committed, background: KIND_COLORS[s.kind as RegionKind] }}
              />
            ))}
        </div>
        <span className="frag" data-testid="fragmentation">
          {t('summary.fragmentation', {
            largest: formatBytes(props.fragmentation.largestFree),
            blocks: formatCount(props.fragmentation.freeBlocks),
            unusable: formatBytes(props.fragmentation.unusableBytes),
          })}
        </span>
      </div>
      {tab === 'table' ? (
        <SummaryTable {...props} />
      ) : tab === 'zero' && props.zeroTab ? (
        props.zeroTab
      ) : (
        <KindTreemap regions={props.regions} allocations={props.allocations} />
      )}
    </section>
  );
});

function SummaryTable({ summary, kindFilter, onKind, wsUnknown }: SummaryPaneProps) {
  const { t } = useTranslation();
  return (
    // Focusable, so the keyboard can scroll it where the table is taller than its box.
    <div className="summary-scroll" tabIndex={0} role="region" aria-label={t('summary.sums')}>
      <table className="grid summary-table">
        <thead>
          <tr>
            <th>
              <span className="th-text">{columnLabel('kind')}</span>
            </th>
            {FIELDS.map((f) => (
              <th key={f.key} className="num">
                <span className="th-text">{columnLabel(f.key)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {summary.map((row) => {
            const isTotal = row.kind === 'total';
            return (
              <tr
                key={row.kind}
                data-kind={row.kind}
                className={[isTotal ? 'total' : '', row.kind === kindFilter ? 'selected' : ''].join(
                  ' ',
                )}
                onClick={() =>
                  !isTotal && onKind(row.kind === kindFilter ? null : (row.kind as RegionKind))
                }
                title={isTotal ? undefined : t('summary.rowTitle')}
              >
                <td>
                  {!isTotal && (
                    <i
                      className="swatch"
                      style={{ background: KIND_COLORS[row.kind as RegionKind] }}
                    />
                  )}
                  {isTotal ? t('summary.total') : kindLabel(row.kind as RegionKind)}
                </td>
                {FIELDS.map((f) =>
                  wsUnknown && isWorkingSetKey(f.key) ? (
                    <td key={f.key} className="num">
                      <UnknownWorkingSet unknown={wsUnknown} />
                    </td>
                  ) : (
                    <td
                      key={f.key}
                      className="num"
                      title={f.count ? undefined : formatExactBytes(row[f.key])}
                    >
                      {f.count ? formatCount(row[f.key]) : formatBytes(row[f.key])}
                    </td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface TreeNode {
  name: string;
  size: number;
  fill: string;
  children?: TreeNode[];
  [key: string]: unknown;
}

/** Per kind, its largest allocations; the rest folded into one "others" box so it stays drawable. */
const PER_KIND = 40;

function KindTreemap({
  regions,
  allocations,
}: {
  regions: RegionsLike;
  allocations: readonly Allocation[];
}) {
  const { t } = useTranslation();
  const data = useMemo(() => {
    const byKind = new Map<RegionKind, Allocation[]>();
    for (const a of allocations) {
      if (a.kind === 'free') continue;
      const list = byKind.get(a.kind) ?? [];
      list.push(a);
      byKind.set(a.kind, list);
    }
    const nodes: TreeNode[] = [];
    for (const [kind, list] of byKind) {
      list.sort((x, y) => y.size - x.size);
      const fill = KIND_COLORS[kind];
      const children: TreeNode[] = list.slice(0, PER_KIND).map((a) => {
        const r = regions.at(a.first)!;
        const label = r.path?.split('/').pop() ?? r.details ?? displayAddress(a.base);
        return { name: label, size: a.size, fill };
      });
      const rest = list.slice(PER_KIND).reduce((sum, a) => sum + a.size, 0);
      if (rest > 0)
        children.push({
          name: t('summary.more', { count: list.length - PER_KIND }),
          size: rest,
          fill,
        });
      nodes.push({
        name: kindLabel(kind),
        size: list.reduce((s, a) => s + a.size, 0),
        fill,
        children,
      });
    }
    return nodes;
    // t is a dependency: a new language makes a new t, and the names are in it.
  }, [regions, allocations, t]);
  return (
    <div className="treemap" data-testid="treemap">
      <ResponsiveContainer width="100%" height="100%">
        <Treemap
          data={data}
          dataKey="size"
          nameKey="name"
          isAnimationActive={false}
          stroke="var(--bg)"
        >
          <Tooltip formatter={(v) => formatBytes(Number(v))} />
        </Treemap>
      </ResponsiveContainer>
    </div>
  );
}
