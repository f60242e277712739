import { scaleLinear, scaleTime } from 'd3-scale';

/** Pixels per time-axis label: about as wide as "12:34:56" with room around it. */
const PX_PER_TIME_TICK = 110;

/**
 * Round local times (every 5 s, 1 min, 15 min...) across [from, to], spaced for `pixels`; whole
 * seconds only, as the labels are hh:mm:ss.
 */
export function timeTicks(from: number, to: number, pixels: number): number[] {
  return scaleTime()
    .domain([from, to])
    .ticks(Math.max(2, Math.floor(pixels / PX_PER_TIME_TICK)))
    .map(Number)
    .filter((t) => t % 1000 === 0);
}

/**
 * A value axis from 0 to a round number at or above `max`, with about five round ticks: decimal
 * steps for counts, and for bytes (`binary`) steps of a power of two, so a MiB axis reads
 * 16, 32, 48 MiB and not 19.1, 38.1, 57.2.
 */
export function valueAxis(max: number, binary = false): { max: number; ticks: number[] } {
  if (binary) {
    const step = 2 ** Math.max(0, Math.ceil(Math.log2((max > 0 ? max : 1) / 5)));
    const top = Math.max(step, Math.ceil(max / step) * step);
    const ticks: number[] = [];
    for (let t = 0; t <= top; t += step) ticks.push(t);
    return { max: top, ticks };
  }
  const scale = scaleLinear()
    .domain([0, max > 0 ? max : 1])
    .nice(5);
  return { max: scale.domain()[1]!, ticks: scale.ticks(5) };
}
