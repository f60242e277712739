import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { displayAddress } from '../../../../shared/address';
import {
  type ScaleMode,
  buildScale,
  regionAt,
  splitAcrossRows,
} from '../../../../shared/addressScale';
import { formatBytes } from '../../../../shared/format';
import { REGION_KINDS, REGION_STATES } from '../../../../shared/model';
import type { RegionList } from '../../../../shared/regionList';
import type { RegionColumns } from '../../../../shared/snapshotColumns';
import { traceMark } from '../../paintTrace';
import { i18next } from '../../i18n';
import {
  type ColorBy,
  KIND_COLORS,
  STATE_COLORS,
  columnLabel,
  kindLabel,
  protectionColor,
  stateLabel,
} from './kindColors';

const ROWS = 6;
const ROW_HEIGHT = 16;
const GAP = 3;

export interface AddressMapProps {
  regions: RegionList;
  selected: number | null;
  /** Regions the current filter keeps; others are drawn faded. Null: all. */
  matches: Uint8Array | null;
  onSelect: (regionIndex: number) => void;
}

const FREE = REGION_STATES.indexOf('free');

/** Each region's color, read from the columns (a protection's color worked out once per string). */
function colorsOf(c: RegionColumns, by: ColorBy): string[] {
  const colors = new Array<string>(c.count);
  if (by === 'protection') {
    const byString = c.strings.map((s) => protectionColor(s));
    const none = protectionColor(null);
    for (let i = 0; i < c.count; i++) {
      const p = c.protect[i]!;
      colors[i] = c.state[i] === FREE ? 'transparent' : p < 0 ? none : byString[p]!;
    }
  } else if (by === 'state') {
    for (let i = 0; i < c.count; i++) colors[i] = STATE_COLORS[REGION_STATES[c.state[i]!]!];
  } else {
    for (let i = 0; i < c.count; i++) colors[i] = KIND_COLORS[REGION_KINDS[c.kind[i]!]!];
  }
  return colors;
}

/** The view: a window [start, start + span) of display units, wrapped over ROWS rows. */
interface View {
  start: number;
  span: number;
}

/**
 * The whole address space on a canvas, VMMap's fragmentation view made zoomable. Each region is
 * drawn at least one pixel wide; a run of sub-pixel regions paints a pixel once, so a redraw
 * costs at most a few rectangles per pixel column however many regions there are.
 */
export const AddressMap = memo(function AddressMap({
  regions,
  selected,
  matches,
  onSelect,
}: AddressMapProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<ScaleMode>('compact');
  const [colorBy, setColorBy] = useState<ColorBy>('kind');
  const scale = useMemo(() => buildScale(regions.columns, mode), [regions, mode]);
  const colors = useMemo(() => colorsOf(regions.columns, colorBy), [regions, colorBy]);
  const tracedFor = useRef<RegionList | null>(null);
  // The view belongs to one scale: a new snapshot or scale mode shows everything again.
  const [viewState, setViewState] = useState<{ scale: typeof scale; view: View } | null>(null);
  const view: View =
    viewState?.scale === scale ? viewState.view : { start: 0, span: Math.max(1, scale.total) };
  const setView = (next: (v: View) => View): void => setViewState({ scale, view: next(view) });
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const drag = useRef<{ x: number; start: number; moved: boolean } | null>(null);
  const drawInfo = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(200, Math.floor(entry!.contentRect.width))),
    );
    observer.observe(canvas.parentElement!);
    return () => observer.disconnect();
  }, []);

  // When the selection changes from elsewhere (the table, go to address), centre the map on it;
  // a region clicked on the map stays where it was clicked.
  const [seenSelected, setSeenSelected] = useState(selected);
  const clicked = useRef<number | null>(null);
  if (selected !== seenSelected) {
    setSeenSelected(selected);
    const s = selected !== null ? scale.starts[selected] : undefined;
    if (s !== undefined && selected !== clicked.current) {
      const middle = s + scale.lengths[selected!]! / 2;
      const start = Math.min(
        Math.max(0, middle - view.span / 2),
        Math.max(0, scale.total - view.span),
      );
      if (start !== view.start) setViewState({ scale, view: { start, span: view.span } });
    }
  }
  useEffect(() => {
    clicked.current = null;
  }, [selected]);
  const selectedStart = selected !== null ? scale.starts[selected] : undefined;
  // Where the selected region's middle lies in the view, 0 to 1 (outside: not shown): for tests and tools.
  const selectedAt =
    selectedStart === undefined || selected === null
      ? undefined
      : (selectedStart + scale.lengths[selected]! / 2 - view.start) / view.span;

  const height = ROWS * (ROW_HEIGHT + GAP);
  const rowSpan = view.span / ROWS;

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const styles = getComputedStyle(canvas);
    ctx.fillStyle = styles.getPropertyValue('--map-free').trim() || '#eef0f3';
    for (let row = 0; row < ROWS; row++)
      ctx.fillRect(0, row * (ROW_HEIGHT + GAP), width, ROW_HEIGHT);
    const end = view.start + view.span;
    let i = Math.max(0, regionAt(scale, view.start));
    const lastPainted = new Float64Array(ROWS).fill(-1);
    // Set inside the callback below, which TypeScript cannot see, hence the explicit type.
    let selectedRect = null as [number, number, number] | null;
    let alpha = 1;
    let fill = '';
    const paint = (index: number, row: number, from: number, to: number): void => {
      const x0 = (from / rowSpan) * width;
      const x1 = Math.max(x0 + 1, (to / rowSpan) * width);
      if (index === selected) selectedRect = [x0, row, x1 - x0];
      // Sub-pixel regions: a pixel already painted in this row is not painted again.
      if (Math.floor(x1) <= lastPainted[row]!) return;
      const color = colors[index]!;
      if (color === 'transparent') return;
      const a = matches && !matches[index] ? 0.2 : 1;
      if (a !== alpha) ctx.globalAlpha = alpha = a;
      if (color !== fill) ctx.fillStyle = fill = color;
      const left = Math.max(x0, lastPainted[row]!);
      ctx.fillRect(left, row * (ROW_HEIGHT + GAP), x1 - left, ROW_HEIGHT);
      lastPainted[row] = Math.floor(x1);
    };
    for (; i < regions.length && scale.starts[i]! < end; i++) {
      const u0 = Math.max(scale.starts[i]!, view.start) - view.start;
      const u1 = Math.min(scale.starts[i]! + scale.lengths[i]!, end) - view.start;
      const row = Math.floor(u0 / rowSpan);
      // Most regions lie inside one row; only the others are split (a region may wrap over several).
      if (row < ROWS - 1 && u1 <= (row + 1) * rowSpan)
        paint(i, row, u0 - row * rowSpan, u1 - row * rowSpan);
      else splitAcrossRows(u0, u1, rowSpan, ROWS, (r, from, to) => paint(i, r, from, to));
    }
    ctx.globalAlpha = 1;
    if (selectedRect) {
      const [x, row, w] = selectedRect;
      ctx.strokeStyle = styles.getPropertyValue('--accent').trim() || '#2f6fde';
      ctx.lineWidth = 2;
      ctx.strokeRect(x - 1, row * (ROW_HEIGHT + GAP) - 1, Math.max(3, w + 2), ROW_HEIGHT + 2);
    }
    // Written straight to the DOM: a state update here would draw again.
    if (drawInfo.current)
      drawInfo.current.textContent = i18next.t('map.drawn', {
        ms: (performance.now() - t0).toFixed(1),
      });
    if (tracedFor.current !== regions) {
      tracedFor.current = regions;
      traceMark('map');
    }
  }, [regions, colors, scale, view.start, view.span, width, height, rowSpan, selected, matches]);

  const unitAt = (x: number, y: number): number => {
    const row = Math.min(ROWS - 1, Math.max(0, Math.floor(y / (ROW_HEIGHT + GAP))));
    return view.start + row * rowSpan + (x / width) * rowSpan;
  };
  const local = (e: React.MouseEvent | React.WheelEvent): [number, number] => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return [e.clientX - rect.left, e.clientY - rect.top];
  };
  const zoom = (factor: number, around: number): void =>
    setView((v) => {
      const span = Math.min(scale.total, Math.max(4096 * ROWS, v.span * factor));
      const start = Math.min(
        Math.max(0, around - ((around - v.start) / v.span) * span),
        Math.max(0, scale.total - span),
      );
      return { start, span };
    });

  const hovered = hover ? regions.at(hover.index) : undefined;
  return (
    <section className="address-map" aria-label={t('map.label')}>
      <div className="map-toolbar">
        <strong>{t('map.title')}</strong>
        <label>
          {t('map.scale')}{' '}
          <select
            aria-label={t('map.scaleLabel')}
            value={mode}
            onChange={(e) => setMode(e.target.value as ScaleMode)}
          >
            <option value="compact">{t('map.compact')}</option>
            <option value="linear">{t('map.linear')}</option>
          </select>
        </label>
        <label>
          {t('map.colorBy')}{' '}
          <select
            aria-label={t('map.colorLabel')}
            value={colorBy}
            onChange={(e) => setColorBy(e.target.value as ColorBy)}
          >
            <option value="kind">{columnLabel('kind')}</option>
            <option value="state">{columnLabel('state')}</option>
            <option value="protection">{columnLabel('protect')}</option>
          </select>
        </label>
        <button
          type="button"
          onClick={() => zoom(0.5, view.start + view.span / 2)}
          aria-label={t('map.zoomIn')}
        >
          +
        </button>
        <button
          type="button"
          onClick={() => zoom(2, view.start + view.span / 2)}
          aria-label={t('map.zoomOut')}
        >
          −
        </button>
        <button
          type="button"
          onClick={() => setView(() => ({ start: 0, span: Math.max(1, scale.total) }))}
        >
          {t('map.fit')}
        </button>
        <span className="dim">
          {((100 * view.span) / Math.max(1, scale.total)).toFixed(
            view.span < scale.total / 100 ? 3 : 0,
          )}
          {t('map.shown')} · <span ref={drawInfo} data-testid="map-draw-ms" />
        </span>
      </div>
      <div className="map-canvas-wrap">
        <canvas
          ref={canvasRef}
          style={{ width, height }}
          data-testid="address-map"
          data-selected-at={selectedAt?.toFixed(3)}
          onWheel={(e) => {
            const [x, y] = local(e);
            zoom(e.deltaY < 0 ? 0.8 : 1.25, unitAt(x, y));
          }}
          onMouseDown={(e) => {
            drag.current = { x: e.clientX, start: view.start, moved: false };
          }}
          onMouseMove={(e) => {
            const [x, y] = local(e);
            const d = drag.current;
            if (d && Math.abs(e.clientX - d.x) > 3) {
              d.moved = true;
              const start = d.start - ((e.clientX - d.x) / width) * rowSpan;
              setView((v) => ({
                start: Math.min(Math.max(0, start), Math.max(0, scale.total - v.span)),
                span: v.span,
              }));
            }
            const index = regionAt(scale, unitAt(x, y));
            setHover(index >= 0 ? { index, x, y } : null);
          }}
          onMouseLeave={() => {
            drag.current = null;
            setHover(null);
          }}
          onMouseUp={(e) => {
            const d = drag.current;
            drag.current = null;
            if (d?.moved) return;
            const [x, y] = local(e);
            const index = regionAt(scale, unitAt(x, y));
            if (index < 0) return;
            clicked.current = index;
            onSelect(index);
          }}
        />
        {hovered && hover && (
          <div
            className="map-tooltip"
            style={{ left: Math.min(hover.x + 12, width - 260), top: hover.y + 14 }}
            role="tooltip"
          >
            <div>
              <strong>{kindLabel(hovered.kind)}</strong> {displayAddress(hovered.base)}
            </div>
            <div>
              {formatBytes(hovered.size)} · {stateLabel(hovered.state)} ·{' '}
              {hovered.protect ?? t('map.noAccess')}
            </div>
            {hovered.path && <div className="path">{hovered.path}</div>}
          </div>
        )}
      </div>
    </section>
  );
});
