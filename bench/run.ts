import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { benches } from './index';
import { type BenchFigure, describeFigure, goalMet } from './harness';

/** `npm run bench [name-filter]`: runs every benchmark and prints its figures and ratios. */

// Garbage is collected between variants (harness.ts): without --expose-gc, run again with it.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  const again = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(again.status ?? 1);
}

const filter = process.argv[2];
const results: Record<string, Array<BenchFigure & { met?: boolean }> | { skipped: string }> = {};
for (const bench of benches) {
  if (filter && !bench.name.includes(filter)) continue;
  const skip = bench.skipReason();
  if (skip) {
    console.log(`\n${bench.name}: not measured (${skip})`);
    results[bench.name] = { skipped: skip };
    continue;
  }
  console.log(`\n${bench.name}`);
  const figures = await bench.run();
  results[bench.name] = figures.map((f) => ({ ...f, met: goalMet(f) }));
  for (const f of figures) for (const line of describeFigure(f)) console.log(line);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
