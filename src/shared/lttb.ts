/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013), with buckets of a fixed time
 * width on the clock's grid instead of a fixed count. LTTB keeps the first and last point and,
 * from each bucket, the point that makes the largest triangle with the point kept before it and
 * the average of the next bucket, so peaks and dips survive, which an every-nth-point cut drops.
 *
 * Fixed-width buckets make it incremental: a new sample changes only the last two buckets, so
 * an update of a live series redoes those and keeps the rest (an hour at 10 Hz is 36,000
 * points; the redone tail is a few dozen). Written here because no maintained package fits
 * (`downsample` on npm is unmaintained, and none is incremental).
 */

/** The bucket width for drawing `spanMs` across `pixels`: a power of two, one bucket per 1-2 px. */
export function bucketMsFor(spanMs: number, pixels: number): number {
  const exact = spanMs / Math.max(1, pixels);
  return exact <= 1 ? 1 : 2 ** Math.ceil(Math.log2(exact));
}

/**
 * One series' LTTB, kept between calls. Rows whose value is null are skipped (the line bridges
 * them). Rows may grow at the end between calls (the same array, appended to): then only the
 * tail is redone. Any other change (another array, another start) starts over.
 */
export class TimeBucketLttb<R> {
  private rows: readonly R[] | null = null;
  private from = 0;
  private to = 0;
  private firstX = Number.NaN;
  /** Per non-empty bucket: the index of its first valid row. */
  private starts: number[] = [];
  /** Per bucket: the index kept from it, or -1 (a bucket holding only the first or last point). */
  private kept: number[] = [];
  /** The valid row after each bucket's last one, or -1: where the next bucket starts. */
  private ends: number[] = [];
  private first = -1;
  private last = -1;
  /** Each row's x and y by row index, read once (NaN for a null y): the choice loops read these. */
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);

  constructor(
    private readonly x: (row: R) => number,
    private readonly y: (row: R) => number | null,
    readonly bucketMs: number,
  ) {}

  /** Indices of rows[from..to) to draw, ascending. */
  indices(rows: readonly R[], from: number, to: number): number[] {
    const grown =
      rows === this.rows &&
      from === this.from &&
      to >= this.to &&
      to > from &&
      this.x(rows[from]!) === this.firstX;
    // The last bucket gains rows and the one before it averaged the last: both are redone.
    const redo = grown && this.starts.length > 2 ? this.starts.length - 2 : 0;
    if (redo === 0) this.restart(rows, from);
    this.scan(rows, redo, to);
    this.to = to;
    const out: number[] = [];
    if (this.first < 0) return out;
    out.push(this.first);
    for (const k of this.kept) if (k >= 0) out.push(k);
    if (this.last !== this.first) out.push(this.last);
    return out;
  }

  private restart(rows: readonly R[], from: number): void {
    this.rows = rows;
    this.from = from;
    this.firstX = from < rows.length ? this.x(rows[from]!) : Number.NaN;
    this.starts = [];
    this.kept = [];
    this.ends = [];
    this.first = -1;
  }

  /** Rebuilds the buckets from bucket `redo` on, up to row `to`, and chooses their points. */
  private scan(rows: readonly R[], redo: number, to: number): void {
    const { x, y, bucketMs } = this;
    const begin = redo > 0 ? this.starts[redo]! : this.from;
    this.starts.length = redo;
    this.kept.length = redo;
    this.ends.length = redo;
    if (this.xs.length < to) {
      const size = Math.max(to, this.xs.length * 2);
      const [xs, ys] = [new Float64Array(size), new Float64Array(size)];
      xs.set(this.xs);
      ys.set(this.ys);
      [this.xs, this.ys] = [xs, ys];
    }
    const { xs, ys } = this;
    let bucket = Number.NaN;
    let last = redo > 0 ? this.last : -1;
    for (let i = begin; i < to; i++) {
      const value = y(rows[i]!);
      ys[i] = value ?? Number.NaN;
      if (value === null) continue;
      xs[i] = x(rows[i]!);
      const b = Math.floor(xs[i]! / bucketMs);
      if (b !== bucket) {
        if (this.starts.length > 0) this.ends[this.starts.length - 1] = i;
        this.starts.push(i);
        bucket = b;
      }
      last = i;
    }
    if (this.starts.length === 0) {
      this.first = -1;
      return;
    }
    this.ends[this.starts.length - 1] = -1;
    this.first = this.starts[0]!;
    this.last = last;
    for (let b = redo; b < this.starts.length; b++) this.kept[b] = this.choose(b);
  }

  /** The point of bucket b with the largest triangle between the previous choice and the next bucket. */
  private choose(b: number): number {
    const { xs, ys } = this;
    const end = this.ends[b]! < 0 ? this.last + 1 : this.ends[b]!;
    let anchor = this.first;
    for (let k = b - 1; k >= 0 && anchor === this.first; k--)
      if (this.kept[k]! >= 0) anchor = this.kept[k]!;
    // The average of the next bucket, or the last point after the final bucket.
    let avgX = xs[this.last]!;
    let avgY = ys[this.last]!;
    if (b + 1 < this.starts.length) {
      const nextEnd = this.ends[b + 1]! < 0 ? this.last + 1 : this.ends[b + 1]!;
      let count = 0;
      avgX = 0;
      avgY = 0;
      for (let i = this.starts[b + 1]!; i < nextEnd; i++) {
        if (Number.isNaN(ys[i]!)) continue;
        avgX += xs[i]!;
        avgY += ys[i]!;
        count++;
      }
      avgX /= count;
      avgY /= count;
    }
    const ax = xs[anchor]!;
    const ay = ys[anchor]!;
    let best = -1;
    let bestArea = -1;
    for (let i = this.starts[b]!; i < end; i++) {
      if (i === this.first || i === this.last || Number.isNaN(ys[i]!)) continue;
      const area = Math.abs((ax - avgX) * (ys[i]! - ay) - (ax - xs[i]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    return best;
  }
}
