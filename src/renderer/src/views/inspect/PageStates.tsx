import { useEffect, useRef } from 'react';
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

const LEGEND: { color: PageColor; label: string }[] = [
  { color: 'resident', label: 'resident, private' },
  { color: 'shared', label: 'resident, shared' },
  { color: 'locked', label: 'locked' },
  { color: 'swapped', label: 'swapped out' },
  { color: 'absent', label: 'not resident' },
];

const COUNTED: { flag: PageFlag; label: string }[] = [
  { flag: 'resident', label: 'resident' },
  { flag: 'shared', label: 'shared' },
  { flag: 'locked', label: 'locked' },
  { flag: 'swapped', label: 'swapped' },
  { flag: 'dirty', label: 'dirty' },
  { flag: 'softDirty', label: 'soft-dirty' },
];

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
  const facts = [run.resident ? 'resident' : run.swapped ? 'swapped out' : 'not resident'];
  if (run.shared !== null) facts.push(run.shared ? 'shared' : 'private');
  if (run.shareCount !== null) facts.push(`mapped ${run.shareCount}×`);
  if (run.locked) facts.push('locked');
  if (run.dirty) facts.push('dirty');
  if (run.softDirty) facts.push('soft-dirty');
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
    e.currentTarget.title = `Page ${formatCount(index)} (${address}): ${describeRun(run)}`;
  };
  return (
    <canvas
      ref={canvasRef}
      className="page-strip"
      aria-label="Page states"
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
      aria-label="Page states"
      aria-busy={state.status === 'loading'}
    >
      <h4>
        Pages now{' '}
        <button
          type="button"
          className="link-button"
          onClick={reload}
          disabled={state.status === 'loading'}
        >
          reread
        </button>
      </h4>
      {state.status === 'loading' && <p className="dim">Reading the page states…</p>}
      {state.status === 'error' && (
        <p className="page-error" data-code={state.error.code}>
          {state.error.message}
        </p>
      )}
      {pages && (
        <>
          <Strip pages={pages} />
          <p className="page-counts" data-testid="page-counts">
            {formatCount(pages.pageCount)} {pages.pageCount === 1 ? 'page' : 'pages'}
            {asked < totalPages ? ` (the first of ${formatCount(totalPages)})` : ''}:{' '}
            {COUNTED.map(
              ({ flag, label }) =>
                `${pages.counts[flag] === null ? '?' : formatCount(pages.counts[flag])} ${label}`,
            ).join(' · ')}
          </p>
          <ul className="page-legend">
            {LEGEND.map(({ color, label }) => (
              <li key={color}>
                <i className="swatch" style={{ background: PAGE_COLORS[color] }} />
                {label}
              </li>
            ))}
          </ul>
          {pages.unknown.length > 0 && (
            <ul className="page-unknown dim" aria-label="Not known here">
              {pages.unknown.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
