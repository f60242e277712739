import { mkdirSync, writeFileSync } from 'node:fs';
import { benches } from './index';
import type { BenchFigure } from './harness';

/** `npm run bench [name-filter]`: runs every benchmark and prints its figures and ratios. */
const filter = process.argv[2];
const results: Record<string, BenchFigure[] | { skipped: string }> = {};
for (const bench of benches) {
  if (filter && !bench.name.includes(filter)) continue;
  const skip = bench.skipReason();
  if (skip) {
    console.log(`\n${bench.name}: skipped (${skip})`);
    results[bench.name] = { skipped: skip };
    continue;
  }
  console.log(`\n${bench.name}`);
  const figures = await bench.run();
  results[bench.name] = figures;
  for (const f of figures) {
    const ref = f.reference ? `  vs ${f.reference.name} ${f.reference.value.toFixed(2)} ${f.reference.unit}` : '';
    const ratio = f.ratio !== undefined ? `  ratio ${f.ratio.toFixed(3)}` : '';
    const goal = f.goal ? `  goal ${f.goal}: ${f.met ? 'met' : 'NOT met'}` : '';
    console.log(`  ${f.name}: ${f.value.toFixed(2)} ${f.unit}${ref}${ratio}${goal}`);
  }
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
