import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock } from './seriesSpecs';

/** An event to mark on the time axis: a sandbox operation, a snapshot. */
export interface ChartMarker {
  /** Milliseconds since the Unix epoch, like sample times. */
  time: number;
  label: string;
}

export interface ChartLine {
  key: string;
  name: string;
  color: string;
  dashed?: boolean;
  hidden?: boolean;
}

export type TimeRange = [number, number];

interface Props {
  title: string;
  /** Rows already cut to the visible range and downsampled; each has `time`. */
  rows: readonly object[];
  lines: ChartLine[];
  format: (value: number) => string;
  /** The zoomed range; null follows the data. */
  range: TimeRange | null;
  onZoom: (range: TimeRange) => void;
  markers: readonly ChartMarker[];
  height?: number;
  /** Name the lines under the chart (when colour alone does not say which is which). */
  legend?: boolean;
}

type Drag = { from: number; to: number } | null;

const labelOf = (state: { activeLabel?: string | number } | null | undefined): number | null => {
  const label = state?.activeLabel;
  return label === undefined || label === null ? null : Number(label);
};

/**
 * A time series chart tuned for long live series: no animation, no dots; drag across it to
 * zoom into a range. Charts sharing a syncId show their tooltips together.
 */
export function TimelineChart({ title, rows, lines, format, range, onZoom, markers, height = 220, legend = false }: Props) {
  const [drag, setDrag] = useState<Drag>(null);
  const finishDrag = (): void => {
    if (drag && drag.from !== drag.to) onZoom([Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)]);
    setDrag(null);
  };
  return (
    <figure className="timeline" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart
          data={rows as object[]}
          syncId="vmscope-watch"
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
          onMouseDown={(state) => {
            const at = labelOf(state);
            if (at !== null) setDrag({ from: at, to: at });
          }}
          onMouseMove={(state) => {
            const at = labelOf(state);
            if (drag && at !== null) setDrag({ ...drag, to: at });
          }}
          onMouseUp={finishDrag}
          onMouseLeave={() => setDrag(null)}
        >
          <CartesianGrid stroke="#8884" strokeDasharray="3 3" />
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={range ?? ['dataMin', 'dataMax']}
            allowDataOverflow
            tickFormatter={formatClock}
            minTickGap={40}
            stroke="#888"
          />
          <YAxis tickFormatter={format} width={76} stroke="#888" />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(t) => formatClock(Number(t))}
            formatter={(value) => format(Number(value))}
            contentStyle={{ background: 'var(--bg)', borderColor: 'var(--border)' }}
          />
          {legend && <Legend verticalAlign="bottom" height={24} />}
          {lines.map((line) => (
            <Line
              key={line.key}
              dataKey={line.key}
              name={line.name}
              stroke={line.color}
              strokeDasharray={line.dashed ? '5 4' : undefined}
              hide={line.hidden}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
              connectNulls
              strokeWidth={1.5}
            />
          ))}
          {markers.map((m) => (
            <ReferenceLine
              key={`${m.time}-${m.label}`}
              x={m.time}
              stroke="#e67700"
              strokeDasharray="2 2"
              label={{ value: m.label, position: 'insideTopLeft', fill: '#e67700', fontSize: 11 }}
            />
          ))}
          {drag && drag.from !== drag.to && <ReferenceArea x1={drag.from} x2={drag.to} fill="#2f6fde" fillOpacity={0.15} />}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
