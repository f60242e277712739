/** An event to mark on the time axis: a sandbox operation, a snapshot. */
export interface ChartMarker {
  /** Milliseconds since the Unix epoch, like sample times. */
  time: number;
  label: string;
}

export type TimeRange = [number, number];

export interface TimedRow {
  /** Milliseconds since the Unix epoch. */
  time: number;
}

/** One line of a chart and the rows it is drawn from. */
export interface ChartLine {
  key: string;
  name: string;
  color: string;
  dashed?: boolean;
  hidden?: boolean;
  /** In time order. The same array may grow at the end between renders (a live stream). */
  rows: readonly TimedRow[];
  /** How many of `rows` to draw: all of them when live, the count at the pause when paused. */
  count: number;
  /** The line's value in a row; null where there is none (the line bridges it). Keep it stable. */
  value: (row: TimedRow) => number | null;
}

/** A visible line cut to the chart's time range: rows[from..to), and the indices drawn. */
export interface DrawnLine {
  line: ChartLine;
  from: number;
  to: number;
  kept: number[];
}

/** Where the plot lies in the chart, in CSS pixels from its top left corner. */
export interface PlotArea {
  x: number;
  y: number;
  width: number;
  height: number;
}
