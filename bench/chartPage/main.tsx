/**
 * The watch view's memory chart in a real browser, for bench/sampler.bench.ts: one hour at 10 Hz
 * (36,000 rows), drawn after the view's own LTTB step or in full. window.measure(downsample)
 * times one chart update: the LTTB step plus React and recharts committing the new SVG, with
 * layout forced so the browser's own work is counted too.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { downsampleRows } from '../../src/shared/lttb';
import type { SeriesRow } from '../../src/shared/series';
import { DRAW_POINTS, MEMORY_LINES } from '../../src/renderer/src/views/watch/seriesSpecs';
import { TimelineChart } from '../../src/renderer/src/views/watch/TimelineChart';
import { formatBytes } from '../../src/shared/format';
import { syntheticRows } from './syntheticRows';

const POINTS = 36_000;

const root = createRoot(document.getElementById('root')!);
// What the watch view does for its memory chart: LTTB over the chart's own series.
const series = MEMORY_LINES.map((l) => (r: SeriesRow) => r[l.key]);
let round = 0;

function measure(downsample: boolean): { ms: number; drawnRows: number; pathChars: number } {
  const data = syntheticRows(POINTS, ++round);
  const start = performance.now();
  const drawn = downsample ? downsampleRows(data, (r) => r.time, series, DRAW_POINTS) : data;
  flushSync(() =>
    root.render(
      <TimelineChart title="bench" rows={drawn} lines={MEMORY_LINES} format={formatBytes} range={null} onZoom={() => {}} markers={[]} />,
    ),
  );
  // Force style and layout of the new SVG so the browser's share is inside the measurement.
  void document.body.getBoundingClientRect().height;
  const ms = performance.now() - start;
  const path = document.querySelector('.recharts-line path.recharts-curve')?.getAttribute('d') ?? '';
  return { ms, drawnRows: drawn.length, pathChars: path.length };
}

declare global {
  interface Window {
    measure: typeof measure;
  }
}
window.measure = measure;
