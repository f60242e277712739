import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { benches } from './index';
import { type BenchFigure, describeFigure, goalMet } from './harness';
import { type RepeatedFigure, benchArguments, describeRepeated, medianFigures } from './repeat';

/**
 * `npm run bench [name-filter] [-- --runs N]`: runs every benchmark (or those whose name contains
 * the filter) and prints its figures and ratios. With --runs N each bench runs N times over and
 * its figures are printed as the median of the N runs, each goal checked on that median.
 */

// Garbage is collected between variants (harness.ts): without --expose-gc, run again with it.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  const again = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(again.status ?? 1);
}

const { filter, runs } = benchArguments(process.argv.slice(2));
type Result = Array<BenchFigure & { met?: boolean }> | { skipped: string };
const results: Record<string, Result | { runs: Result[]; median: RepeatedFigure[] }> = {};
for (const entry of benches) {
  if (filter && !entry.name.includes(filter)) continue;
  const bench = await entry.load();
  if (bench.name !== entry.name)
    throw new Error(`bench/index.ts names "${entry.name}" but loads "${bench.name}"`);
  const skip = bench.skipReason();
  if (skip) {
    console.log(`\n${bench.name}: not measured (${skip})`);
    results[bench.name] = { skipped: skip };
    continue;
  }
  const all: BenchFigure[][] = [];
  for (let run = 1; run <= runs; run++) {
    console.log(`\n${bench.name}${runs > 1 ? ` (run ${run} of ${runs})` : ''}`);
    const figures = await bench.run();
    all.push(figures.map((f) => ({ ...f, met: goalMet(f) })));
    for (const f of figures) for (const line of describeFigure(f)) console.log(line);
  }
  if (runs === 1) {
    results[bench.name] = all[0]!;
    continue;
  }
  const median = medianFigures(all);
  console.log(`\n${bench.name}: medians of ${runs} runs`);
  for (const f of median) for (const line of describeRepeated(f)) console.log(line);
  results[bench.name] = { runs: all, median };
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
