/**
 * Benchmarks print figures as ratios against a reference measured in the same run, so they
 * mean the same on a fast or a slow machine. Nothing here asserts a time: `npm run bench` prints
 * each goal with its measured ratio and whether it was met, and writes bench/results/latest.json.
 */
export interface BenchFigure {
  /** What was measured, e.g. "snapshot in-process vs cat smaps". */
  name: string;
  value: number;
  unit: string;
  /** The reference it is compared with, measured in the same run, if any. */
  reference?: { name: string; value: number; unit: string };
  /** value / reference.value (or as the bench defines it). */
  ratio?: number;
  /** The goal in words, e.g. "ratio <= 1.3". */
  goal?: string;
  met?: boolean;
}

export interface Bench {
  name: string;
  /** Why it might not run here (e.g. not Linux); null when it can. */
  skipReason(): string | null;
  run(): Promise<BenchFigure[]>;
}

/** Median wall time in ms of `runs` calls of fn after one warm-up. */
export async function medianMs(fn: () => unknown, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
