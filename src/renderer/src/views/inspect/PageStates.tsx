import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { pageUnknownText } from '../../i18n/engineText';
import { i18next } from '../../i18n';
import { formatAddress, parseAddress } from '../../../../shared/address';
import { formatCount } from '../../../../shared/format';
import type { Region, SourceId } from '../../../../shared/model';
import {
  MAX_PAGES_PER_QUERY,
  type PageFlag,
  type PageStateRun,
  type RegionPages,
} from '../../../../shared/pageStates';
import { client } from '../../client';
import { useAsync } from '../../useAsync';

/** A page's color in the strip: what matters most first (locked, then shared, resident, swapped). */
const PAGE_COLORS = {
  locked: '#c2410c',
  shared: '#3fb5a3',
  resident: '#2f6fde',
  swapped: '#e8935f',
  /** The theme's empty color, as the map's free space; the canvas resolves it. */
  absent: 'var(--map-free)',
} as const;
type PageColor = keyof typeof PAGE_COLORS;

function colorOf(run: PageStateRun): PageColor {
  if (run.resident) return run.locked ? 'locked' : run.shared ? 'shared' : 'resident';
  return run.swapped ? 'swapped' : 'absent';
}

/** The strip's colors, each named by pages.legend.<color>. */
const LEGEND: PageColor[] = ['resident', 'shared', 'locked', 'swapped', 'absent'];

/** The flags counted, each named by pages.flags.<flag>. */
const COUNTED: PageFlag[] = ['resident', 'shared', 'locked', 'swapped', 'dirty', 'softDirty'];

/** The run holding page `index` (binary search over the runs' starts). */
function runAt(runs: readonly PageStateRun[], index: number): PageStateRun | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid]!.start <= index) lo = mid;
    else hi = mid - 1;
  }
  return runs[lo];
}

function describeRun(run: PageStateRun): string {
  const t = i18next.t;
  const facts = [
    t(run.resident ? 'pages.resident' : run.swapped ? 'pages.swappedOut' : 'pages.notResident'),
  ];
  if (run.shared !== null) facts.push(t(run.shared ? 'pages.flags.shared' : 'pages.private'));
  if (run.shareCount !== null) facts.push(t('pages.mapped', { count: run.shareCount }));
  if (run.locked) facts.push(t('pages.flags.locked'));
  if (run.dirty) facts.push(t('pages.flags.dirty'));
  if (run.softDirty) facts.push(t('pages.flags.softDirty'));
  return facts.join(', ');
}

function Strip({ pages }: { pages: RegionPages }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const width = canvas.clientWidth || 280;
    const height = canvas.clientHeight || 18;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const absent = getComputedStyle(canvas).getPropertyValue('--map-free').trim() || '#eef0f3';
    // Each run at least a pixel wide, so a single resident page in a large region still shows.
    for (const run of pages.runs) {
      const x0 = (run.start / pages.pageCount) * width;
      const x1 = Math.max(x0 + 1, ((run.start + run.count) / pages.pageCount) * width);
      const color = colorOf(run);
      ctx.fillStyle = color === 'absent' ? absent : PAGE_COLORS[color];
      ctx.fillRect(x0, 0, x1 - x0, height);
    }
  }, [pages]);
  const onMove = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const box = e.currentTarget.getBoundingClientRect();
    const index = Math.min(
      pages.pageCount - 1,
      Math.floor(((e.clientX - box.left) / box.width) * pages.pageCount),
    );
    const run = runAt(pages.runs, index);
    if (!run) return;
    const address = formatAddress(parseAddress(pages.base) + BigInt(index * pages.pageSize));
    e.currentTarget.title = i18next.t('pages.tip', {
      index: formatCount(index),
      address,
      facts: describeRun(run),
    });
  };
  return (
    <canvas
      ref={canvasRef}
      className="page-strip"
      aria-label={i18next.t('pages.label')}
      role="img"
      onMouseMove={onMove}
    />
  );
}

export interface PageStatesProps {
  source: SourceId;
  pid: number;
  region: Region;
  pageSize: number;
}

/** The selected region's pages as the source sees them now: a strip, the counts and what is unknown. */
export function PageStates({ source, pid, region, pageSize }: PageStatesProps) {
  const { t } = useTranslation();
  const totalPages = Math.ceil(region.size / pageSize);
  const asked = Math.min(totalPages, MAX_PAGES_PER_QUERY);
  const [state, reload] = useAsync(
    () => client.call('region.pages', { source, pid, base: region.base, size: asked * pageSize }),
    `${source}:${pid}:${region.base}:${asked}`,
  );
  const pages = state.status === 'ready' ? state.value : null;
  return (
    <section
      className="page-states"
      aria-label={t('pages.label')}
      aria-busy={state.status === 'loading'}
    >
      <h4>
        {t('pages.now')}{' '}
        <button
          type="button"
          className="link-button"
          onClick={reload}
          disabled={state.status === 'loading'}
        >
          {t('pages.reread')}
        </button>
      </h4>
      {state.status === 'loading' && <p className="dim">{t('pages.reading')}</p>}
      {state.status === 'error' && (
        <p className="page-error" data-code={state.error.code} lang="en">
          {state.error.message}
        </p>
      )}
      {pages && (
        <>
          <Strip pages={pages} />
          <p className="page-counts" data-testid="page-counts">
            {t('pages.count', { count: pages.pageCount, formatted: formatCount(pages.pageCount) })}
            {asked < totalPages ? t('pages.firstOf', { total: formatCount(totalPages) }) : ''}:{' '}
            {COUNTED.map(
              (flag) =>
                `${pages.counts[flag] === null ? '?' : formatCount(pages.counts[flag])} ${t(`pages.flags.${flag}`)}`,
            ).join(' · ')}
          </p>
          <ul className="page-legend">
            {LEGEND.map((color) => (
              <li key={color}>
                <i className="swatch" style={{ background: PAGE_COLORS[color] }} />
                {t(`pages.legend.${color}`)}
              </li>
            ))}
          </ul>
          {pages.unknown.length > 0 && (
            // The source says what it cannot know in English; known sentences are shown translated.
            <ul className="page-unknown dim" aria-label={t('pages.unknown')}>
              {pages.unknown.map((reason) => {
                const shown = pageUnknownText(reason);
                return (
                  <li key={reason} {...(shown.translated ? {} : { lang: 'en' })}>
                    {shown.text}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
