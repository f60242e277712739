// Adds up the runners' own result files into the one closing line CI reads.
import { existsSync, readFileSync } from 'node:fs';

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
let passed = 0;
let failed = 0;
let skipped = 0;
const parts = [];

const vitest = read('test-results/vitest-results.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
  parts.push(`vitest ${vitest.numPassedTests}/${vitest.numTotalTests}`);
} else failed += 1;

const e2e = read('test-results/e2e-results.json');
if (e2e) {
  const s = e2e.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  parts.push(`e2e ${s.expected + s.flaky}/${s.expected + s.flaky + s.unexpected + s.skipped}`);
} else failed += 1;

const windows = read('test-results/windows-summary.json');
if (windows) {
  passed += windows.passed;
  failed += windows.failed;
  skipped += windows.skipped;
  parts.push(`windows ${windows.passed}/${windows.passed + windows.failed + windows.skipped}`);
}

console.log(`\n(${parts.join(', ')})`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
