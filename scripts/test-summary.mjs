// Adds up the runners' own result files into the one closing line CI reads:
//   tests: N passed, N failed, N skipped
// Every runner's own failure signals count, not only its failed tests: a file that failed to load
// or whose beforeAll threw (vitest calls its tests skipped), an error outside any test (vitest
// says only `success: false`), Playwright's top-level `errors` (a spec that failed to import has
// all-zero stats), a runner that wrote no result file, and a runner that exited non-zero with
// nothing else to show for it. Each runner's line names its exit code and what went wrong, and
// every failed test by file and name with the first line of its error: CI shows only the end of
// the output, and a failure that happens once must be findable from that end alone.
//
// Usage: node scripts/test-summary.mjs [--dir test-results] [--exit vitest=N] [--exit e2e=N] [--exit windows=N]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The runners `npm test` runs, and the result file each writes. */
export const RUNNERS = [
  { name: 'vitest', file: 'vitest-results.json', count: countVitest },
  { name: 'e2e', file: 'e2e-results.json', count: countPlaywright },
  { name: 'windows', file: 'windows-summary.json', count: countWindows },
];

const short = (text) => String(text).split('\n')[0].slice(0, 200);
// ANSI colour codes in Playwright's error messages would garble the CI log's last lines.
// eslint-disable-next-line no-control-regex
const plain = (text) => String(text).replace(/\u001b\[[0-9;]*m/g, '');
/** The first line of an error worth reading (Playwright's start with an empty line). */
const firstLine = (text) =>
  plain(text)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0)
    ?.slice(0, 200) ?? '';
const fileName = (path) => String(path).split(/[\\/]/).slice(-2).join('/');

/** Vitest's JSON reporter output. */
function countVitest(r) {
  let passed = r.numPassedTests;
  let failed = r.numFailedTests;
  let skipped = r.numPendingTests + r.numTodoTests;
  const problems = [];
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status !== 'failed') continue;
      const why = firstLine((t.failureMessages ?? [])[0] ?? '');
      problems.push(
        `failed: ${fileName(file.name)} › ${t.fullName ?? t.title}${why ? `: ${why}` : ''}`,
      );
    }
    // A file-level error: the file did not import, or a hook outside any test threw. Its tests
    // did not run, whatever vitest calls them; each counts as failed (the file as one if empty).
    if (file.status !== 'failed' || !file.message) continue;
    const tests = file.assertionResults ?? [];
    const notRun = tests.filter(
      (t) => t.status === 'skipped' || t.status === 'pending' || t.status === 'todo',
    ).length;
    const failedInFile = tests.filter((t) => t.status === 'failed').length;
    skipped -= notRun;
    failed += notRun + (failedInFile === 0 && notRun === 0 ? 1 : 0);
    problems.push(`${fileName(file.name)}: ${short(file.message)}`);
  }
  // success is false for an unhandled error too, which no count above shows.
  if (r.success === false && failed === 0) {
    failed += 1;
    problems.push('the run failed outside any test (an unhandled error; see its output)');
  }
  return { passed, failed, skipped, problems };
}

/** Every test of a Playwright suite tree whose outcome was not the expected one, with why. */
function unexpectedTests(suites, titles = []) {
  const out = [];
  for (const suite of suites ?? []) {
    const path =
      suite.title && !suite.file?.endsWith(suite.title) ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const last = (test.results ?? []).at(-1);
        const why = firstLine(last?.errors?.[0]?.message ?? last?.error?.message ?? '');
        const name = [...path, spec.title].join(' › ');
        out.push(`failed: ${spec.file}:${spec.line} › ${name}${why ? `: ${why}` : ''}`);
      }
    }
    out.push(...unexpectedTests(suite.suites, path));
  }
  return out;
}

/** Playwright's JSON reporter output. */
function countPlaywright(r) {
  const s = r.stats;
  const errors = r.errors ?? [];
  return {
    passed: s.expected + s.flaky,
    failed: s.unexpected + errors.length,
    skipped: s.skipped,
    problems: [
      ...unexpectedTests(r.suites),
      ...errors.map(
        (e) => `error outside any test: ${short(e.message ?? e.value ?? JSON.stringify(e))}`,
      ),
      ...(s.flaky > 0 ? [`${s.flaky} flaky (passed only on a retry)`] : []),
    ],
  };
}

/** scripts/test-windows.sh's summary of Node's TAP report under Wine. */
function countWindows(r) {
  const skips = r.skips ?? [];
  return {
    passed: r.passed,
    failed: r.failed,
    skipped: r.skipped,
    problems: (r.failures ?? []).map((f) => `failed: ${f.name}`),
    notes: skips.map((s) => `skipped: ${s.name}: ${s.reason}`),
  };
}

/**
 * The totals and the lines to print, from each runner's result (null when its file is missing)
 * and exit code (undefined when not given).
 */
export function summarize(results, exitCodes = {}) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const lines = [];
  for (const { name, file, count } of RUNNERS) {
    const result = results[name];
    const code = exitCodes[name];
    const exit = code === undefined ? '' : ` (exit ${code})`;
    let c;
    if (result === null || result === undefined) {
      c = { passed: 0, failed: 1, skipped: 0, problems: [`no ${file}: the runner did not finish`] };
    } else {
      try {
        c = count(result);
      } catch (err) {
        c = {
          passed: 0,
          failed: 1,
          skipped: 0,
          problems: [`${file} is not what the runner writes: ${err.message}`],
        };
      }
    }
    if (code !== undefined && code !== 0 && c.failed === 0) {
      c.failed = 1;
      c.problems.push(`exited ${code} with no failure in its results`);
    }
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    lines.push(`${name}${exit}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
    for (const p of c.problems) lines.push(`  ${p}`);
    for (const n of c.notes ?? []) lines.push(`  ${n}`);
  }
  lines.push(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return { ...total, lines };
}

function readResult(path) {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Half-written: counted as a runner that did not finish.
    return null;
  }
}

function main(argv) {
  let dir = 'test-results';
  const exitCodes = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir') dir = argv[++i];
    else if (argv[i] === '--exit') {
      const [name, code] = argv[++i].split('=');
      exitCodes[name] = Number(code);
    } else throw new Error(`test-summary: unknown argument ${argv[i]}`);
  }
  const results = Object.fromEntries(
    RUNNERS.map(({ name, file }) => [name, readResult(join(dir, file))]),
  );
  const { failed, lines } = summarize(results, exitCodes);
  console.log(`\n${lines.join('\n')}`);
  process.exit(failed > 0 ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
