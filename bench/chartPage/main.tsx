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

const POINTS = 36_000;

function rows(shift: number, points = POINTS): SeriesRow[] {
  const start = 1_700_000_000_000 + shift * 100;
  return Array.from({ length: points }, (_, k) => {
    const i = k + shift;
    const base = 200e6 + i * 1000 + ((i % 600) / 600) * 40e6;
    return {
      time: start + k * 100,
      workingSet: base + 50e6,
      peakWorkingSet: 300e6,
      privateBytes: base,
      peakPrivateBytes: 260e6,
      virtualSize: 2e9,
      faultsPerSec: 1000 + (i % 37) * 10,
      softFaultsPerSec: 1000 + (i % 37) * 10,
      hardFaultsPerSec: i % 997 === 0 ? 50 : 0,
    };
  });
}

const root = createRoot(document.getElementById('root')!);
// What the watch view does for its memory chart: LTTB over the chart's own series.
const series = MEMORY_LINES.map((l) => (r: SeriesRow) => r[l.key]);
let round = 0;

function measure(downsample: boolean, points = POINTS): { ms: number; drawnRows: number; pathChars: number } {
  const data = rows(++round, points);
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
