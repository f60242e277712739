/**
 * Repeated runs of one bench (`npm run bench [name] -- --runs N`): each figure's median over the
 * N runs, so the goals can be checked on medians of several whole runs rather than on one run
 * taken on a busy machine. Figures are matched across runs by name; a figure measured in some
 * runs and not in others counts only the runs that measured it.
 */
import { type BenchFigure, type Stats, goalMet, statsOf } from './harness';

/** `--runs N` among the arguments (1 when absent), and the first argument that is not a flag. */
export function benchArguments(args: readonly string[]): { filter?: string; runs: number } {
  let runs = 1;
  let filter: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--runs' || arg.startsWith('--runs=')) {
      const text = arg === '--runs' ? args[++i] : arg.slice('--runs='.length);
      runs = Number(text);
      if (!Number.isInteger(runs) || runs < 1)
        throw new Error(`--runs wants a whole number of runs, at least 1 (got ${text})`);
    } else if (!arg.startsWith('--') && filter === undefined) filter = arg;
  }
  return filter === undefined ? { runs } : { filter, runs };
}

/** One figure over several runs: the median of its values, references and ratios. */
export interface RepeatedFigure extends BenchFigure {
  /** The figure's value and ratio in each run, in run order. */
  perRun: { value: number; ratio?: number }[];
  ratioStats?: Stats;
}

/** The figures of several runs of one bench, each as its median over the runs that measured it. */
export function medianFigures(runs: readonly BenchFigure[][]): RepeatedFigure[] {
  // A figure is its name and its reference's: one bench may measure one thing against two.
  const id = (f: BenchFigure): string => `${f.name}\u0000${f.reference?.name ?? ''}`;
  const byId = new Map<string, BenchFigure[]>();
  for (const figures of runs)
    for (const f of figures) {
      if (f.notMeasured) continue;
      const list = byId.get(id(f)) ?? [];
      list.push(f);
      byId.set(id(f), list);
    }
  const out: RepeatedFigure[] = [];
  // In the order of the first run (then any figure that appeared later).
  const ids = [...new Set(runs.flat().map(id))];
  for (const key of ids) {
    const list = byId.get(key);
    if (!list) {
      out.push({ ...runs.flat().find((f) => id(f) === key)!, perRun: [] });
      continue;
    }
    const name = list[0]!.name;
    const first = list[0]!;
    const value = statsOf(list.map((f) => f.value));
    const ratios = list.map((f) => f.ratio).filter((r): r is number => r !== undefined);
    const refs = list.map((f) => f.reference?.value).filter((v): v is number => v !== undefined);
    const figure: RepeatedFigure = {
      name,
      unit: first.unit,
      value: value.median,
      stats: value,
      perRun: list.map((f) =>
        f.ratio === undefined ? { value: f.value } : { value: f.value, ratio: f.ratio },
      ),
      ...(first.goal ? { goal: first.goal } : {}),
      ...(first.ratioMeans ? { ratioMeans: first.ratioMeans } : {}),
      ...(first.noReference ? { noReference: first.noReference } : {}),
    };
    if (first.reference && refs.length > 0) {
      const stats = statsOf(refs);
      figure.reference = {
        name: first.reference.name,
        value: stats.median,
        unit: first.reference.unit,
        stats,
      };
    }
    if (ratios.length > 0) {
      figure.ratioStats = statsOf(ratios);
      figure.ratio = figure.ratioStats.median;
    }
    // A goal the bench checked itself (a string) is met in the median run only if met in most runs.
    if (typeof first.goal === 'string')
      figure.met = list.filter((f) => goalMet(f)).length * 2 > list.length;
    out.push(figure);
  }
  return out;
}

const fixed = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

/** The lines printed for one figure over several runs. */
export function describeRepeated(f: RepeatedFigure): string[] {
  if (f.perRun.length === 0) return [`  ${f.name}: not measured in any run`];
  const lines = [
    `  ${f.name}: median of ${f.perRun.length} runs ${fixed(f.value)} ${f.unit} (runs: ${f.perRun.map((r) => fixed(r.value)).join(', ')})`,
  ];
  if (f.reference)
    lines.push(
      `    vs ${f.reference.name}: median ${fixed(f.reference.value)} ${f.reference.unit}`,
    );
  if (f.ratioStats)
    lines.push(
      `    ratio: median ${f.ratioStats.median.toFixed(3)} (runs: ${f.perRun
        .map((r) => r.ratio?.toFixed(3) ?? '-')
        .join(', ')})${f.ratioMeans ? ` (${f.ratioMeans})` : ''}`,
    );
  if (typeof f.goal === 'string')
    lines.push(
      `    goal (checked by the bench itself): ${f.goal}: ${f.met ? 'met' : 'NOT met'} in most runs`,
    );
  else if (f.goal) {
    const unit = f.goal.of === 'value' ? ` ${f.unit}` : '';
    lines.push(
      `    goal: median ${f.goal.of} ${f.goal.op} ${f.goal.limit}${unit}: ${goalMet(f) ? 'met' : 'NOT met'}`,
    );
  }
  return lines;
}
