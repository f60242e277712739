import { useState } from 'react';
import { TimeBucketLttb, bucketMsFor } from '../../../../shared/lttb';
import { rangeIndices } from '../../../../shared/series';
import { ChartFrame, FRAME_MARGIN, X_AXIS_HEIGHT, Y_AXIS_WIDTH } from './ChartFrame';
import { formatBytes, formatBytesTick } from '../../../../shared/format';
import { valueAxis } from './chartScales';
import type {
  ChartLine,
  ChartMarker,
  DrawnLine,
  PlotArea,
  TimeRange,
  TimedRow,
} from './chartTypes';
import type { HoverSync } from './hoverSync';
import { PlotOverlay } from './PlotOverlay';
import { SeriesPaths } from './SeriesPaths';
import { useElementWidth } from './useElementWidth';

export type { ChartLine, ChartMarker, TimeRange } from './chartTypes';

interface Props {
  title: string;
  lines: ChartLine[];
  format: (value: number) => string;
  /** The zoomed range; null follows the data. */
  range: TimeRange | null;
  onZoom: (range: TimeRange) => void;
  markers: readonly ChartMarker[];
  /** Charts sharing one show their cursors and values together. */
  hover: HoverSync;
  height?: number;
  /** Name the lines under the chart (when colour alone does not say which is which). */
  legend?: boolean;
}

const timeOf = (row: TimedRow): number => row.time;

interface Downsampler {
  rows: readonly TimedRow[];
  value: ChartLine['value'];
  lttb: TimeBucketLttb<TimedRow>;
}

/**
 * A time series chart for long live series. recharts draws the axes, grid and markers
 * (ChartFrame) from the domains computed here and is given no data rows: its cost grows with
 * every row (tick and tooltip bookkeeping, point objects per line), and an hour at 10 Hz is
 * 36,000 of them. The lines are LTTB-downsampled to one point per one to two pixels of the plot,
 * incrementally (a new sample redoes only the last buckets), and drawn as SVG paths in a layer
 * over recharts' plot area, with the pointer layer that shows values and zooms by dragging.
 * Following live data, the time domain's ends are rounded out to whole buckets, so the axes
 * (and recharts) redraw once per bucket, not once per sample.
 */
export function TimelineChart({
  title,
  lines,
  format,
  range,
  onZoom,
  markers,
  hover,
  height = 220,
  legend = false,
}: Props) {
  const [figure, width] = useElementWidth<HTMLElement>();
  // Kept across renders and updated in place: each line's incremental LTTB.
  const [downsamplers] = useState(() => new Map<string, Downsampler>());
  const plot: PlotArea = {
    x: FRAME_MARGIN.left + Y_AXIS_WIDTH,
    y: FRAME_MARGIN.top,
    width: Math.max(1, width - FRAME_MARGIN.left - FRAME_MARGIN.right - Y_AXIS_WIDTH),
    height: Math.max(1, height - FRAME_MARGIN.top - FRAME_MARGIN.bottom - X_AXIS_HEIGHT),
  };

  const windows = lines
    .filter((line) => !line.hidden)
    .map((line) => {
      const [from, to] = rangeIndices(line.rows, range);
      return { line, from, to: Math.min(to, line.count) };
    });
  let domain: TimeRange | null = range;
  if (!domain) {
    for (const { line, from, to } of windows) {
      if (to <= from) continue;
      const [start, end] = [line.rows[from]!.time, line.rows[to - 1]!.time];
      domain = domain ? [Math.min(domain[0], start), Math.max(domain[1], end)] : [start, end];
    }
  }
  const bucketMs = domain ? bucketMsFor(domain[1] - domain[0], plot.width) : 1;
  if (domain && !range)
    domain = [
      Math.floor(domain[0] / bucketMs) * bucketMs,
      Math.ceil(domain[1] / bucketMs) * bucketMs,
    ];
  const drawn: DrawnLine[] = windows.map(({ line, from, to }) => {
    let sampler = downsamplers.get(line.key);
    if (
      !sampler ||
      sampler.rows !== line.rows ||
      sampler.value !== line.value ||
      sampler.lttb.bucketMs !== bucketMs
    ) {
      sampler = {
        rows: line.rows,
        value: line.value,
        lttb: new TimeBucketLttb(timeOf, line.value, bucketMs),
      };
      downsamplers.set(line.key, sampler);
    }
    return { line, from, to, kept: sampler.lttb.indices(line.rows, from, to) };
  });
  const binary = format === formatBytes;
  const y = valueAxis(
    Math.max(
      0,
      ...drawn.map(({ line, kept }) =>
        kept.reduce((m, i) => Math.max(m, line.value(line.rows[i]!)!), 0),
      ),
    ),
    binary,
  );
  const shownDomain: TimeRange =
    domain && domain[1] > domain[0] ? domain : [(domain?.[0] ?? 0) - 1000, domain?.[0] ?? 0];

  return (
    <figure className="timeline" aria-label={title} ref={figure}>
      <figcaption>{title}</figcaption>
      {width > 0 && domain === null && (
        // No axes before the first sample: an empty domain would draw 1970 and a 0-1 byte scale.
        <div className="timeline-plot timeline-empty" style={{ height }}>
          No samples yet
        </div>
      )}
      {width > 0 && domain !== null && (
        <div className="timeline-plot" style={{ height }}>
          <ChartFrame
            width={width}
            height={height}
            from={shownDomain[0]}
            to={shownDomain[1]}
            yMax={y.max}
            format={binary ? formatBytesTick : format}
            binary={binary}
            markers={markers}
          />
          <svg className="timeline-layer" width={width} height={height}>
            <SeriesPaths drawn={drawn} domain={shownDomain} yMax={y.max} plot={plot} />
            <PlotOverlay
              drawn={drawn}
              domain={shownDomain}
              plot={plot}
              format={format}
              hover={hover}
              onZoom={onZoom}
            />
          </svg>
        </div>
      )}
      {legend && (
        <ul className="timeline-legend">
          {lines.map((line) => (
            <li key={line.key}>
              <i className="series-swatch" style={{ color: line.color }} aria-hidden="true" />
              {line.name}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
