/**
 * Leak detection on a private-bytes series: over a sliding window, a robust trend (Theil–Sen
 * slope) with a significance test (Mann–Kendall), gated on a growth that matters and on the
 * growth being steady, with the point where it started. Pure; the UI and the CLI share it.
 *
 * Why these: Theil–Sen (the median of pairwise slopes) ignores outliers and the drops of a
 * garbage-collected heap; Mann–Kendall asks only whether later values tend to be larger, so it
 * needs no assumption about the noise. Both are O(n²), so the window is first reduced to at most
 * `maxPoints` bucket medians.
 */

import { formatBytesPerMinute } from './format';

export interface TrendPoint {
  /** Milliseconds (any origin; only differences matter). */
  time: number;
  value: number;
}

export interface LeakOptions {
  /** The sliding window analysed, ending at the last point. */
  windowMs: number;
  /** Fewer points than this, or a shorter span, gives `insufficient-data`. */
  minPoints: number;
  minSpanMs: number;
  /** The window is reduced to this many bucket medians before the O(n²) statistics. */
  maxPoints: number;
  /** One-sided Mann–Kendall z above which growth is significant (3.09: p < 0.001). */
  zCritical: number;
  /** Growth over the trend that counts as a leak: at least this many bytes... */
  minGrowthBytes: number;
  /** ...and at least this fraction of the median level. */
  minGrowthFraction: number;
}

export const DEFAULT_LEAK_OPTIONS: LeakOptions = {
  windowMs: 10 * 60_000,
  minPoints: 10,
  minSpanMs: 10_000,
  maxPoints: 160,
  zCritical: 3.09,
  minGrowthBytes: 1 << 20,
  minGrowthFraction: 0.02,
};

export type LeakVerdict = 'leak' | 'no-leak' | 'insufficient-data';

export interface LeakTrend {
  verdict: LeakVerdict;
  /** Theil–Sen slope of the trend segment in bytes per minute; null without enough data. */
  bytesPerMinute: number | null;
  /** When the steady growth began (a time of the input), for a leak; else null. */
  since: number | null;
  /** Mann–Kendall z of the trend segment; null without enough data. */
  z: number | null;
  /** Points and span of the window analysed. */
  points: number;
  spanMs: number;
  /** Why, in one line a person can read. */
  reason: string;
}

function median(values: Float64Array | number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Theil–Sen: the median pairwise slope and the median intercept at t = 0. */
export function theilSen(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
): { slope: number; intercept: number } {
  const n = ts.length;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = ts[j]! - ts[i]!;
      if (dt !== 0) slopes.push((vs[j]! - vs[i]!) / dt);
    }
  }
  if (slopes.length === 0) return { slope: 0, intercept: n > 0 ? median(Array.from(vs)) : 0 };
  const slope = median(slopes);
  const intercept = median(Array.from({ length: n }, (_, i) => vs[i]! - slope * ts[i]!));
  return { slope, intercept };
}

/** Mann–Kendall trend test: z > 0 means later values tend to be larger. Ties corrected. */
export function mannKendallZ(vs: ArrayLike<number>): number {
  const n = vs.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(vs[j]! - vs[i]!);
  const ties = new Map<number, number>();
  for (let i = 0; i < n; i++) ties.set(vs[i]!, (ties.get(vs[i]!) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (variance <= 0 || s === 0) return 0;
  return (s - Math.sign(s)) / Math.sqrt(variance);
}

/** At most `max` points: each a bucket's first time and median value. */
function reduce(
  points: readonly TrendPoint[],
  max: number,
): { ts: Float64Array; vs: Float64Array } {
  const buckets = Math.min(points.length, max);
  const ts = new Float64Array(buckets);
  const vs = new Float64Array(buckets);
  const origin = points[0]?.time ?? 0;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * points.length) / buckets);
    const to = Math.floor(((b + 1) * points.length) / buckets);
    ts[b] = points[from]!.time - origin;
    vs[b] = median(points.slice(from, to).map((p) => p.value));
  }
  return { ts, vs };
}

function absoluteResidual(
  ts: Float64Array,
  vs: Float64Array,
  from: number,
  to: number,
  line: { slope: number; intercept: number },
): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += Math.abs(vs[i]! - (line.intercept + line.slope * ts[i]!));
  return sum;
}

/**
 * Where the growth starts: the split that best explains the window as "flat, then a line"
 * (least absolute residual), with the line covering at least the second half of the window.
 */
function findOnset(ts: Float64Array, vs: Float64Array): number {
  const m = ts.length;
  const steps = 16;
  let best = 0;
  let bestCost = Infinity;
  for (let k = 0; k <= steps / 2; k++) {
    const c = Math.floor((k * m) / steps);
    const line = theilSen(ts.subarray(c), vs.subarray(c));
    const level = c > 0 ? median(vs.subarray(0, c)) : 0;
    const cost =
      absoluteResidual(ts, vs, 0, c, { slope: 0, intercept: level }) +
      absoluteResidual(ts, vs, c, m, line);
    // A later split must be clearly better: noise should not move the onset.
    if (cost < bestCost * 0.98) {
      bestCost = cost;
      best = c;
    }
  }
  return best;
}

const perMinute = (bytesPerMs: number): number => bytesPerMs * 60_000;

/** The trend of the last `windowMs` of a series (points in time order). */
export function detectLeak(
  series: readonly TrendPoint[],
  options: Partial<LeakOptions> = {},
): LeakTrend {
  const o = { ...DEFAULT_LEAK_OPTIONS, ...options };
  const last = series.at(-1);
  const windowed = last ? series.filter((p) => p.time >= last.time - o.windowMs) : [];
  const points = windowed.length;
  const spanMs = points > 1 ? windowed[points - 1]!.time - windowed[0]!.time : 0;
  if (points < o.minPoints || spanMs < o.minSpanMs) {
    return {
      verdict: 'insufficient-data',
      bytesPerMinute: null,
      since: null,
      z: null,
      points,
      spanMs,
      reason: `not enough samples for a trend yet (${points} over ${(spanMs / 1000).toFixed(0)} s; needs ${o.minPoints} over ${o.minSpanMs / 1000} s)`,
    };
  }
  const { ts, vs } = reduce(windowed, o.maxPoints);
  const onset = findOnset(ts, vs);
  const segT = ts.subarray(onset);
  const segV = vs.subarray(onset);
  const { slope } = theilSen(segT, segV);
  const z = mannKendallZ(segV);
  const segSpan = segT[segT.length - 1]! - segT[0]!;
  const growth = slope * segSpan;
  const needed = Math.max(o.minGrowthBytes, o.minGrowthFraction * median(segV));
  const half = segT.length >> 1;
  const early = theilSen(segT.subarray(0, half), segV.subarray(0, half)).slope;
  const late = theilSen(segT.subarray(half), segV.subarray(half)).slope;
  const steady = early >= 0.25 * slope && late >= 0.25 * slope;
  const base = { bytesPerMinute: perMinute(slope), z, points, spanMs };
  const rate = formatBytesPerMinute(perMinute(slope));
  if (slope > 0 && z > o.zCritical && growth >= needed && steady) {
    return {
      ...base,
      verdict: 'leak',
      since: windowed[0]!.time + segT[0]!,
      reason: `private bytes grow steadily at ${rate} (Mann–Kendall z = ${z.toFixed(1)})`,
    };
  }
  const why =
    z <= o.zCritical
      ? `no significant upward trend (z = ${z.toFixed(1)})`
      : growth < needed
        ? `growth too small to matter (${rate})`
        : slope <= 0
          ? 'not growing'
          : 'growth is not steady (it stopped or came in one burst)';
  return { ...base, verdict: 'no-leak', since: null, reason: `no leak: ${why}` };
}

/** The verdict as one line, with `since` in the caller's time format. */
export function describeTrend(trend: LeakTrend, formatTime: (time: number) => string): string {
  if (trend.verdict !== 'leak' || trend.since === null) return trend.reason;
  return `possible leak: ${trend.reason.replace(/ \(Mann/, ` since ${formatTime(trend.since)} (Mann`)}`;
}
