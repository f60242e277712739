import { type MouseEvent, useState, useSyncExternalStore } from 'react';
import type { DrawnLine, PlotArea, TimeRange } from './chartTypes';
import type { HoverSync } from './hoverSync';
import { formatClock } from './seriesSpecs';

const TOOLTIP_WIDTH = 230;

/** The index in rows[from..to) whose time is nearest `time`, or -1 when the range is empty. */
function nearest(
  rows: readonly { time: number }[],
  from: number,
  to: number,
  time: number,
): number {
  if (to <= from) return -1;
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo > from && time - rows[lo - 1]!.time < rows[lo]!.time - time ? lo - 1 : lo;
}

interface Props {
  drawn: DrawnLine[];
  domain: TimeRange;
  plot: PlotArea;
  format: (value: number) => string;
  hover: HoverSync;
  onZoom: (range: TimeRange) => void;
}

/**
 * What follows the pointer on a chart: a cursor with the values of every line at that time
 * (taken from the full rows, not the drawn points), shown on every chart of the hover group at
 * once, and a drag across the plot that zooms to the dragged range. Only this layer redraws as
 * the pointer moves.
 */
export function PlotOverlay({ drawn, domain, plot, format, hover, onZoom }: Props) {
  const hovered = useSyncExternalStore(hover.subscribe, hover.get);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const span = Math.max(1, domain[1] - domain[0]);
  const xOf = (time: number): number => plot.x + ((time - domain[0]) / span) * plot.width;
  const timeAt = (event: MouseEvent<SVGRectElement>): number => {
    const box = event.currentTarget.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / Math.max(1, box.width)));
    return domain[0] + fraction * span;
  };

  const values =
    hovered === null
      ? []
      : drawn
          .map((d) => ({ d, at: nearest(d.line.rows, d.from, d.to, hovered) }))
          .filter((v) => v.at >= 0 && v.d.line.value(v.d.line.rows[v.at]!) !== null);
  const first = values[0];
  const cursorTime = first ? first.d.line.rows[first.at]!.time : null;
  const showTip = cursorTime !== null && cursorTime >= domain[0] && cursorTime <= domain[1];
  const cursorX = showTip ? xOf(cursorTime) : 0;
  const tipLeft = cursorX + 12 + TOOLTIP_WIDTH > plot.x + plot.width;
  const tipHeight = 26 + values.length * 18;

  return (
    <g className="timeline-hover">
      {drag && drag.from !== drag.to && (
        <rect
          className="timeline-selection"
          x={xOf(Math.min(drag.from, drag.to))}
          y={plot.y}
          width={(Math.abs(drag.to - drag.from) / span) * plot.width}
          height={plot.height}
          fill="#2f6fde"
          fillOpacity={0.15}
        />
      )}
      {showTip && (
        <>
          <line
            className="timeline-cursor"
            x1={cursorX}
            x2={cursorX}
            y1={plot.y}
            y2={plot.y + plot.height}
            stroke="#888"
          />
          <foreignObject
            x={tipLeft ? cursorX - 12 - TOOLTIP_WIDTH : cursorX + 12}
            y={plot.y + 4}
            width={TOOLTIP_WIDTH}
            height={tipHeight}
            style={{ pointerEvents: 'none' }}
          >
            <div className={`timeline-tooltip${tipLeft ? ' left' : ''}`} role="tooltip">
              <div>
                <div className="timeline-tooltip-time">{formatClock(cursorTime)}</div>
                {values.map(({ d, at }) => (
                  <div key={d.line.key} style={{ color: d.line.color }}>
                    {d.line.name}: {format(d.line.value(d.line.rows[at]!)!)}
                  </div>
                ))}
              </div>
            </div>
          </foreignObject>
        </>
      )}
      <rect
        className="timeline-pointer"
        x={plot.x}
        y={plot.y}
        width={plot.width}
        height={plot.height}
        fill="transparent"
        onMouseMove={(e) => {
          const time = timeAt(e);
          hover.set(time);
          if (drag) setDrag({ ...drag, to: time });
        }}
        onMouseDown={(e) => {
          const time = timeAt(e);
          setDrag({ from: time, to: time });
        }}
        onMouseUp={() => {
          if (drag && drag.from !== drag.to)
            onZoom([Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)]);
          setDrag(null);
        }}
        onMouseLeave={() => {
          hover.set(null);
          setDrag(null);
        }}
      />
    </g>
  );
}
