import type { DrawnLine, PlotArea, TimeRange } from './chartTypes';

/**
 * One pixel coordinate with one decimal, built from integers: a number's own toString is several
 * times slower, and a path holds thousands of them. Coordinates are never negative in the plot.
 */
function coordinate(value: number): string {
  const tenths = Math.max(0, Math.round(value * 10));
  return `${(tenths / 10) | 0}.${tenths % 10}`;
}

function pathOf(
  { line, kept }: DrawnLine,
  x0: number,
  kx: number,
  t0: number,
  y0: number,
  ky: number,
): string {
  let d = '';
  let command = 'M';
  for (const i of kept) {
    const row = line.rows[i]!;
    d += `${command}${coordinate(x0 + (row.time - t0) * kx)},${coordinate(y0 - line.value(row)! * ky)}`;
    command = 'L';
  }
  return d;
}

/**
 * The chart's lines as SVG paths over recharts' plot area, with the same linear scales as its
 * axes. Drawn here rather than by recharts' <Line>, whose cost grows with every point it is
 * given (about 0.15 ms per row for five lines); here a point costs a string append.
 */
export function SeriesPaths({
  drawn,
  domain,
  yMax,
  plot,
}: {
  drawn: DrawnLine[];
  domain: TimeRange;
  yMax: number;
  plot: PlotArea;
}) {
  const kx = plot.width / Math.max(1, domain[1] - domain[0]);
  const ky = plot.height / yMax;
  return (
    <g className="timeline-lines">
      {drawn.map((d) => (
        <path
          key={d.line.key}
          className="timeline-line"
          data-key={d.line.key}
          data-name={d.line.name}
          data-points={d.kept.length}
          d={pathOf(d, plot.x, kx, domain[0], plot.y + plot.height, ky)}
          fill="none"
          stroke={d.line.color}
          strokeWidth={1.5}
          strokeLinejoin="round"
          strokeDasharray={d.line.dashed ? '5 4' : undefined}
        />
      ))}
    </g>
  );
}
