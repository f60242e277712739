/**
 * Benchmarks print figures as ratios against a reference measured in the same run, so they
 * mean the same on a fast or a slow machine. Nothing here asserts a time: `npm run bench` prints
 * each figure as the median and spread of its runs, each goal as it is checked, and writes
 * bench/results/latest.json.
 *
 * The rules every bench follows (issue 23): warm-up runs are discarded; variants compared with
 * each other run interleaved (A B A B ...), with a garbage collection before each run so one
 * variant's garbage is not collected in another's time (`npm run bench` runs with --expose-gc);
 * a cold run (a first load) is its own figure, never mixed into warm ones; a figure without a
 * same-run reference says why it has none; a prerequisite that is missing makes a figure "not
 * measured", with the reason, never a figure that silently disappears.
 */

/** The median of a figure's runs and their spread. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/**
 * A goal, checked exactly as it is printed: `value < 16.7` prints "value < 16.7 ms" and is met
 * only when the median is below 16.7.
 */
export interface Goal {
  /** Which number the goal is about: the figure's value, or its ratio to the reference. */
  of: 'value' | 'ratio';
  op: '<' | '<=' | '>=';
  limit: number;
}

export interface BenchFigure {
  /** What was measured, e.g. "snapshot in-process vs cat smaps". */
  name: string;
  value: number;
  unit: string;
  /** The spread of the runs behind `value` (a median), when there were several. */
  stats?: Stats;
  /** The reference it is compared with, measured in the same run. */
  reference?: { name: string; value: number; unit: string; stats?: Stats };
  /** Why there is no same-run reference, when there is none. */
  noReference?: string;
  /** value / reference.value, or as the bench defines it (then `ratioMeans` says how). */
  ratio?: number;
  ratioMeans?: string;
  /** A Goal; a string goal (with `met` set by the bench) is the older form, printed as such. */
  goal?: Goal | string;
  met?: boolean;
  /** Set instead of a value when the figure could not be measured here, with the reason. */
  notMeasured?: string;
}

export interface Bench {
  name: string;
  /** Why it might not run here (e.g. not Linux); null when it can. */
  skipReason(): string | null;
  run(): Promise<BenchFigure[]>;
}

/** A collection, where the bench runs with --expose-gc (bench/run.ts makes sure it does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function statsOf(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN,
    min: sorted[0]!,
    max: sorted.at(-1)!,
    runs: sorted.length,
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timeOnce(fn: () => unknown): Promise<number> {
  collectGarbage();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Wall times in ms of several functions, run interleaved `runs` times after `warmup` discarded
 * rounds, a garbage collection before each run.
 */
export async function interleaved<K extends string>(
  variants: Record<K, () => unknown>,
  { runs, warmup = 1 }: { runs: number; warmup?: number },
): Promise<Record<K, Stats>> {
  const names = Object.keys(variants) as K[];
  const times = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + runs; round++) {
    for (const name of names) {
      const ms = await timeOnce(variants[name]);
      if (round >= warmup) times[name].push(ms);
    }
  }
  return Object.fromEntries(names.map((k) => [k, statsOf(times[k])])) as Record<K, Stats>;
}

/** Wall time in ms of one function alone, `runs` times after `warmup` discarded runs. */
export async function timed(fn: () => unknown, runs: number, warmup = 1): Promise<Stats> {
  return (await interleaved({ fn }, { runs, warmup })).fn;
}

/** Median wall time in ms of `runs` calls of fn after one discarded warm-up. */
export async function medianMs(fn: () => unknown, runs = 5): Promise<number> {
  return (await timed(fn, runs)).median;
}

/** A figure from stats, its value their median. */
export function fromStats(
  name: string,
  stats: Stats,
  unit: string,
  rest: Partial<BenchFigure> = {},
): BenchFigure {
  return { name, value: stats.median, unit, stats, ...rest };
}

/** A same-run reference from stats. */
export function referenceOf(
  name: string,
  stats: Stats,
  unit: string,
): NonNullable<BenchFigure['reference']> {
  return { name, value: stats.median, unit, stats };
}

/** Whether a goal is met, computed from the same numbers it prints. */
export function goalMet(f: BenchFigure): boolean | undefined {
  if (!f.goal || f.notMeasured) return undefined;
  if (typeof f.goal === 'string') return f.met ?? false;
  const x = f.goal.of === 'value' ? f.value : f.ratio;
  if (x === undefined || !Number.isFinite(x)) return false;
  return f.goal.op === '<'
    ? x < f.goal.limit
    : f.goal.op === '<='
      ? x <= f.goal.limit
      : x >= f.goal.limit;
}

const number = (x: number): string =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);

function spread(s: Stats | undefined, unit: string): string {
  return s && s.runs > 1
    ? ` (median of ${s.runs}, spread ${number(s.min)}-${number(s.max)} ${unit})`
    : '';
}

/** The lines `npm run bench` prints for one figure. */
export function describeFigure(f: BenchFigure): string[] {
  if (f.notMeasured) return [`  ${f.name}: not measured (${f.notMeasured})`];
  const lines = [`  ${f.name}: ${number(f.value)} ${f.unit}${spread(f.stats, f.unit)}`];
  if (f.reference) {
    const r = f.reference;
    lines.push(`    vs ${r.name}: ${number(r.value)} ${r.unit}${spread(r.stats, r.unit)}`);
  } else lines.push(`    no same-run reference: ${f.noReference ?? 'none given'}`);
  if (f.ratio !== undefined)
    lines.push(`    ratio ${f.ratio.toFixed(3)}${f.ratioMeans ? ` (${f.ratioMeans})` : ''}`);
  if (typeof f.goal === 'string')
    lines.push(
      `    goal (checked by the bench itself): ${f.goal}: ${goalMet(f) ? 'met' : 'NOT met'}`,
    );
  else if (f.goal) {
    const unit = f.goal.of === 'value' ? ` ${f.unit}` : '';
    lines.push(
      `    goal: ${f.goal.of} ${f.goal.op} ${f.goal.limit}${unit}: ${goalMet(f) ? 'met' : 'NOT met'}`,
    );
  }
  return lines;
}
