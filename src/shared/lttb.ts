/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the first and last
 * point and, from each of `threshold - 2` equal buckets between them, the point that makes the
 * largest triangle with the point kept before it and the average of the next bucket. Peaks and
 * dips survive, which an every-nth-point cut would drop. Written here because no maintained
 * package fits (the `downsample` package on npm is unmaintained).
 */

/**
 * The indices LTTB keeps from (xs[i], ys[i]), in ascending order. xs must be ascending.
 * Returns every index when there are no more points than the threshold.
 */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): number[] {
  const n = Math.min(xs.length, ys.length);
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, i) => i);
  const kept: number[] = [0];
  const bucketSize = (n - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.min(Math.floor((bucket + 1) * bucketSize) + 1, n - 1);
    // The average of the next bucket (the last point for the final bucket).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      avgX += xs[i]!;
      avgY += ys[i]!;
    }
    const count = Math.max(1, nextEnd - nextStart);
    avgX /= count;
    avgY /= count;
    const ax = xs[a]!;
    const ay = ys[a]!;
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const area = Math.abs((ax - avgX) * (ys[i]! - ay) - (ax - xs[i]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    kept.push(best);
    a = best;
  }
  kept.push(n - 1);
  return kept;
}

/**
 * Downsamples rows that carry several series over one x: the union of the indices LTTB keeps for
 * each series, so every line keeps its own peaks. Missing values (null) count as 0 for choosing.
 */
export function downsampleRows<R>(rows: readonly R[], x: (row: R) => number, series: ((row: R) => number | null)[], threshold: number): R[] {
  if (rows.length <= threshold || series.length === 0) return rows.slice();
  // Plain loops: Float64Array.from with a map function is several times slower in V8.
  const n = rows.length;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = x(rows[i]!);
  const ys = new Float64Array(n);
  const keep = new Uint8Array(n);
  for (const value of series) {
    for (let i = 0; i < n; i++) ys[i] = value(rows[i]!) ?? 0;
    for (const i of lttbIndices(xs, ys, threshold)) keep[i] = 1;
  }
  const out: R[] = [];
  for (let i = 0; i < rows.length; i++) if (keep[i]) out.push(rows[i]!);
  return out;
}
