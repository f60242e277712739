import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { summarize } from '../../scripts/test-summary.mjs';

interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  lines: string[];
}
const summary = summarize as (
  results: Record<string, unknown>,
  exitCodes?: Record<string, number>,
) => Summary;

// The shapes below are what vitest 4's and Playwright's JSON reporters wrote for each case
// (trimmed to the fields the script reads).
const vitestFile = (name: string, status: string, message: string, tests: string[]) => ({
  name: `/repo/test/${name}`,
  status,
  message,
  assertionResults: tests.map((s, i) => ({ title: `t${i}`, status: s })),
});
const cleanVitest = {
  numPassedTests: 3,
  numFailedTests: 0,
  numPendingTests: 1,
  numTodoTests: 0,
  success: true,
  testResults: [vitestFile('ok.test.ts', 'passed', '', ['passed', 'passed', 'passed', 'skipped'])],
};
const cleanE2e = { stats: { expected: 5, unexpected: 0, flaky: 0, skipped: 0 }, errors: [] };
const cleanWindows = { passed: 7, failed: 0, skipped: 0 };
const clean = { vitest: cleanVitest, e2e: cleanE2e, windows: cleanWindows };

describe('scripts/test-summary.mjs', () => {
  it('adds up clean runs, with each runner’s exit code', () => {
    const s = summary(clean, { vitest: 0, e2e: 0, windows: 0 });
    expect(s.lines).toEqual([
      'vitest (exit 0): 3 passed, 0 failed, 1 skipped',
      'e2e (exit 0): 5 passed, 0 failed, 0 skipped',
      'windows (exit 0): 7 passed, 0 failed, 0 skipped',
      'tests: 15 passed, 0 failed, 1 skipped',
    ]);
  });

  it('counts the tests of a file whose beforeAll threw as failed, not skipped', () => {
    const vitest = {
      ...cleanVitest,
      numPendingTests: 3,
      success: false,
      testResults: [
        ...cleanVitest.testResults,
        vitestFile('setup.test.ts', 'failed', 'setup broke', ['skipped', 'skipped']),
      ],
    };
    const s = summary({ ...clean, vitest }, { vitest: 1 });
    expect(s).toMatchObject({ passed: 15, failed: 2, skipped: 1 });
    expect(s.lines).toContain('  test/setup.test.ts: setup broke');
  });

  it('counts a file that failed to import', () => {
    const vitest = {
      ...cleanVitest,
      success: false,
      testResults: [
        ...cleanVitest.testResults,
        vitestFile('broken.test.ts', 'failed', "Cannot find module './nope'", []),
      ],
    };
    const s = summary({ ...clean, vitest });
    expect(s.failed).toBe(1);
    expect(s.lines.at(-1)).toBe('tests: 15 passed, 1 failed, 1 skipped');
  });

  it('counts an unhandled error, which vitest shows only as success: false', () => {
    const s = summary({ ...clean, vitest: { ...cleanVitest, success: false } }, { vitest: 1 });
    expect(s.failed).toBe(1);
    expect(s.lines.join('\n')).toMatch(/outside any test/);
  });

  it('counts Playwright’s errors outside any test (a spec that failed to import)', () => {
    const e2e = {
      stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0 },
      errors: [{ message: 'Error: Cannot find module x\n  at …' }],
    };
    const s = summary({ ...clean, e2e }, { e2e: 1 });
    expect(s.failed).toBe(1);
    expect(s.lines).toContain('  error outside any test: Error: Cannot find module x');
  });

  it('names every failed test with the first line of its error, for each runner', () => {
    const vitest = {
      ...cleanVitest,
      numFailedTests: 1,
      success: false,
      testResults: [
        {
          name: '/repo/test/unit/a.test.ts',
          status: 'failed',
          message: '',
          assertionResults: [
            {
              title: 'adds',
              fullName: 'sums adds',
              status: 'failed',
              failureMessages: ['AssertionError: expected 3 to be 4\n    at …'],
            },
            { title: 'keeps', fullName: 'sums keeps', status: 'passed', failureMessages: [] },
          ],
        },
      ],
    };
    // Playwright nests describe blocks as suites under the file's suite; the error starts with
    // an empty line and carries colour codes.
    const e2e = {
      stats: { expected: 1, unexpected: 1, flaky: 0, skipped: 0 },
      errors: [],
      suites: [
        {
          title: 'library.spec.ts',
          file: 'library.spec.ts',
          specs: [],
          suites: [
            {
              title: 'the library',
              file: 'library.spec.ts',
              specs: [
                {
                  title: 'lists',
                  file: 'library.spec.ts',
                  line: 12,
                  tests: [{ status: 'expected', results: [] }],
                },
                {
                  title: 'autosaves',
                  file: 'library.spec.ts',
                  line: 40,
                  tests: [
                    {
                      status: 'unexpected',
                      results: [
                        {
                          status: 'failed',
                          errors: [{ message: '\n\u001b[31mError: timed out\u001b[39m\n  at x' }],
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const windows = { passed: 1, failed: 1, skipped: 0, failures: [{ name: 'reads memory' }] };
    const s = summary({ vitest, e2e, windows });
    expect(s.failed).toBe(3);
    expect(s.lines).toContain(
      '  failed: unit/a.test.ts › sums adds: AssertionError: expected 3 to be 4',
    );
    expect(s.lines).toContain(
      '  failed: library.spec.ts:40 › the library › autosaves: Error: timed out',
    );
    expect(s.lines).toContain('  failed: reads memory');
    expect(s.lines.join('\n')).not.toMatch(/lists|keeps/);
  });

  it('counts a runner that wrote no result file', () => {
    for (const missing of ['vitest', 'e2e', 'windows'] as const) {
      const s = summary({ ...clean, [missing]: null });
      expect(s.failed, missing).toBe(1);
      expect(s.lines.join('\n')).toMatch(/did not finish/);
    }
  });

  it('counts a runner that exited non-zero with no failure in its results', () => {
    const s = summary(clean, { windows: 3 });
    expect(s.failed).toBe(1);
    expect(s.lines).toContain('  exited 3 with no failure in its results');
  });

  it('shows the reasons of the Windows skips', () => {
    const windows = {
      passed: 6,
      failed: 0,
      skipped: 1,
      skips: [{ name: 'reads another process', reason: 'Windows only: Wine refuses it' }],
    };
    const s = summary({ ...clean, windows });
    expect(s.skipped).toBe(2);
    expect(s.lines).toContain('  skipped: reads another process: Windows only: Wine refuses it');
  });

  it('exits 1 from the command line when a result file is missing, with the totals last', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-summary-'));
    writeFileSync(join(dir, 'vitest-results.json'), JSON.stringify(cleanVitest));
    writeFileSync(join(dir, 'e2e-results.json'), JSON.stringify(cleanE2e));
    const run = spawnSync(
      process.execPath,
      ['scripts/test-summary.mjs', '--dir', dir, '--exit', 'vitest=0'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('tests: 8 passed, 1 failed, 1 skipped');
    expect(lines).toContain('vitest (exit 0): 3 passed, 0 failed, 1 skipped');
    expect(lines).toContain('  no windows-summary.json: the runner did not finish');
  });
});
