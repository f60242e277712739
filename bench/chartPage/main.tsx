/**
 * The watch view's memory chart in a real browser, for bench/chart.bench.ts: one hour at 10 Hz
 * (36,000 rows, five lines). window.measure(kind) times one chart update, from the new data to
 * React and recharts having committed the new SVG, with layout forced so the browser's own work
 * is counted too (paint is not):
 * - 'live': one new sample appended to the hour, as the watch view gets it (the incremental LTTB
 *   redoes the last buckets);
 * - 'cold': a new hour of rows (a full LTTB pass: the first draw, a zoom, a toggle);
 * - 'full': the reference, recharts drawing every row with its own <Line>s, no downsampling.
 * Each kind runs in a page of its own, so one kind's chart never unmounts another's.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import { formatBytes } from '../../src/shared/format';
import type { SeriesRow } from '../../src/shared/series';
import { createHoverSync } from '../../src/renderer/src/views/watch/hoverSync';
import {
  MEMORY_LINES,
  formatClock,
  seriesValue,
} from '../../src/renderer/src/views/watch/seriesSpecs';
import { TimelineChart } from '../../src/renderer/src/views/watch/TimelineChart';
import { syntheticRows } from './syntheticRows';

const POINTS = 36_000;

const root = createRoot(document.getElementById('root')!);
const hover = createHoverSync();
let rows: SeriesRow[] = syntheticRows(POINTS);
let round = 0;

function Chart({ kind }: { kind: 'live' | 'cold' | 'full' }) {
  if (kind === 'full') {
    return (
      <LineChart
        width={1200}
        height={220}
        data={rows}
        margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
      >
        <CartesianGrid stroke="#8884" strokeDasharray="3 3" />
        <XAxis
          dataKey="time"
          type="number"
          domain={['dataMin', 'dataMax']}
          tickFormatter={formatClock}
        />
        <YAxis tickFormatter={formatBytes} width={76} />
        {MEMORY_LINES.map((l) => (
          <Line
            key={l.key}
            dataKey={l.key}
            stroke={l.color}
            dot={false}
            activeDot={false}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    );
  }
  const lines = MEMORY_LINES.map((l) => ({
    ...l,
    rows,
    count: rows.length,
    value: seriesValue(l.key),
  }));
  return (
    <TimelineChart
      title="bench"
      lines={lines}
      format={formatBytes}
      range={null}
      onZoom={() => {}}
      markers={[]}
      hover={hover}
    />
  );
}

function measure(kind: 'live' | 'cold' | 'full'): {
  ms: number;
  points: number;
  pathChars: number;
} {
  round += 1;
  // New data before the clock starts, as the stream delivers it.
  if (kind === 'live')
    rows.push({ ...syntheticRows(1, rows.length + round)[0]!, time: rows.at(-1)!.time + 100 });
  else rows = syntheticRows(POINTS, round);
  const start = performance.now();
  flushSync(() => root.render(<Chart kind={kind} />));
  void document.body.getBoundingClientRect().height;
  const ms = performance.now() - start;
  const path = document.querySelector(
    kind === 'full' ? '.recharts-line path.recharts-curve' : 'path.timeline-line',
  );
  return {
    ms,
    points: Number(path?.getAttribute('data-points') ?? rows.length),
    pathChars: path?.getAttribute('d')?.length ?? 0,
  };
}

declare global {
  interface Window {
    measure: typeof measure;
  }
}
window.measure = measure;
