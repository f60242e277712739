import { memo } from 'react';
import { CartesianGrid, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { timeTicks, valueAxis } from './chartScales';
import type { ChartMarker } from './chartTypes';
import { formatClock } from './seriesSpecs';

/** recharts' layout, which the line layer over it must match: the plot lies inside these. */
export const FRAME_MARGIN = { top: 8, right: 16, bottom: 0, left: 8 };
export const Y_AXIS_WIDTH = 76;
/** recharts' default XAxis height. */
export const X_AXIS_HEIGHT = 30;

/** Marker labels take turns over this many lines, so snapshots taken close together stay legible. */
const MARKER_ROWS = 3;

/** A marker's label beside its line's top, on line `row` (recharts passes the line's box). */
function MarkerLabel({
  text,
  row,
  chartWidth,
  viewBox,
}: {
  text: string;
  row: number;
  chartWidth: number;
  viewBox?: { x?: number; y?: number };
}) {
  const x = viewBox?.x ?? 0;
  // A marker in the chart's right part is labelled on its left, so the label is not cut off.
  const left = x > chartWidth * 0.6;
  return (
    <text
      x={left ? x - 4 : x + 4}
      textAnchor={left ? 'end' : 'start'}
      y={(viewBox?.y ?? 0) + 12 + row * 13}
      fill="#e67700"
      fontSize={11}
      className="marker-label"
    >
      {text}
    </text>
  );
}

interface Props {
  width: number;
  height: number;
  from: number;
  to: number;
  /** A round maximum (valueAxis' max), so its ticks come out the same here. */
  yMax: number;
  format: (value: number) => string;
  /** Bytes: ticks at round binary steps. */
  binary: boolean;
  markers: readonly ChartMarker[];
}

/**
 * recharts' part of a timeline: axes, grid and markers, given domains and no data rows. It
 * redraws only when one of those changes; a new sample that moves no axis redraws the lines
 * alone (recharts' own render is most of an update's cost).
 */
function Frame({ width, height, from, to, yMax, format, binary, markers }: Props) {
  const plotWidth = width - FRAME_MARGIN.left - FRAME_MARGIN.right - Y_AXIS_WIDTH;
  return (
    <LineChart width={width} height={height} margin={FRAME_MARGIN}>
      <CartesianGrid stroke="#8884" strokeDasharray="3 3" />
      <XAxis
        dataKey="time"
        type="number"
        domain={[from, to]}
        ticks={timeTicks(from, to, plotWidth)}
        allowDataOverflow
        tickFormatter={formatClock}
        height={X_AXIS_HEIGHT}
        stroke="#888"
      />
      <YAxis
        type="number"
        domain={[0, yMax]}
        ticks={valueAxis(yMax, binary).ticks}
        allowDataOverflow
        tickFormatter={format}
        width={Y_AXIS_WIDTH}
        stroke="#888"
      />
      {markers.map((m, i) => (
        <ReferenceLine
          key={`${m.time}-${m.label}`}
          x={m.time}
          stroke="#e67700"
          strokeDasharray="2 2"
          label={<MarkerLabel text={m.label} row={i % MARKER_ROWS} chartWidth={width} />}
        />
      ))}
    </LineChart>
  );
}

const sameMarkers = (a: readonly ChartMarker[], b: readonly ChartMarker[]): boolean =>
  a === b ||
  (a.length === b.length && a.every((m, i) => m.time === b[i]!.time && m.label === b[i]!.label));

export const ChartFrame = memo(
  Frame,
  (a, b) =>
    a.width === b.width &&
    a.height === b.height &&
    a.from === b.from &&
    a.to === b.to &&
    a.yMax === b.yMax &&
    a.format === b.format &&
    a.binary === b.binary &&
    sameMarkers(a.markers, b.markers),
);
