/**
 * A guard against regressions of honesty in the tests themselves: no `.only` left in (it would
 * skip everything else), no skip without a reason a reader (or the totals) can see, no todo
 * counted as a test. Tests without an assertion fail through vitest's requireAssertions
 * (vitest.config.ts); this scans what the config cannot: every test file, Playwright's and the
 * Wine suite's included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TEST_FILE = /\.(test|spec|wine)\.tsx?$/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return TEST_FILE.test(entry.name) ? [path] : [];
  });
}

/** What is wrong with one test file's text, one line each: `line N: why`. */
export function honestyProblems(text: string): string[] {
  const lines = text.split('\n');
  const problems: string[] = [];
  lines.forEach((line, i) => {
    const at = `line ${i + 1}`;
    const code = line.replace(/\/\/.*$/, '');
    if (/\b(it|test|describe|suite)(\.\w+)*\.only\b/.test(code) || /\bonly:\s*true\b/.test(code)) {
      problems.push(`${at}: .only leaves every other test out`);
    }
    if (
      /\b(it|test|describe|suite)(\.\w+)*\.todo\b/.test(code) ||
      /\btodo:\s*(true|['"`])/.test(code)
    ) {
      problems.push(`${at}: a todo is not a test`);
    }
    if (/\bskip:\s*true\b/.test(code))
      problems.push(`${at}: skip: true gives no reason; give it as the skip's string`);
    // Vitest's .skip takes no reason: a comment just above must give it. Playwright's
    // test.skip(condition, 'reason') carries its own.
    if (/\b(it|test|describe|suite)(\.\w+)*\.skip\(/.test(code)) {
      // Playwright's reason: a second argument that is not the test's function.
      const reasoned = /\.skip\(.*?,\s*(?!\(|async\b|function\b|\{)\S/.test(code);
      const commented = /^\s*\/\//.test(lines[i - 1] ?? '');
      if (!reasoned && !commented)
        problems.push(
          `${at}: a skip without a reason (a comment above it, or Playwright's reason argument)`,
        );
    }
    if (/\.(runIf|skipIf)\(\s*(true|false)\s*\)/.test(code))
      problems.push(`${at}: a runIf or skipIf on a constant decides nothing`);
  });
  return problems;
}

describe('the honesty guard', () => {
  it('finds .only, todos, skips without a reason and constant conditions', () => {
    const bad = [
      "it.only('a', () => {});",
      "describe.concurrent.only('b', () => {});",
      "it.todo('c');",
      "it.skip('d', () => {});",
      "test('e', { skip: true }, () => {});",
      "describe.runIf(true)('f', () => {});",
    ];
    expect(honestyProblems(bad.join('\n'))).toEqual([
      'line 1: .only leaves every other test out',
      'line 2: .only leaves every other test out',
      'line 3: a todo is not a test',
      "line 4: a skip without a reason (a comment above it, or Playwright's reason argument)",
      "line 5: skip: true gives no reason; give it as the skip's string",
      'line 6: a runIf or skipIf on a constant decides nothing',
    ]);
  });

  it('lets skips with their reason pass', () => {
    const good = [
      "test.skip(process.platform !== 'linux', 'the live engine makes Linux calls');",
      "test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');",
      '// Needs a kernel with userfaultfd.',
      "it.skip('g', () => {});",
      "test('h', { skip: wine && 'Windows only: Wine refuses it' }, () => {});",
      "describe.runIf(process.platform === 'linux')('i', () => {});",
    ];
    expect(honestyProblems(good.join('\n'))).toEqual([]);
  });

  it('finds nothing wrong in any test file of the repository', () => {
    const files = [
      ...testFiles(join(ROOT, 'src')),
      ...testFiles(join(ROOT, 'test')),
      ...testFiles(join(ROOT, 'e2e')),
    ];
    expect(files.length).toBeGreaterThan(50);
    const found = files
      .filter((f) => !f.endsWith('honesty.test.ts'))
      .flatMap((f) =>
        honestyProblems(readFileSync(f, 'utf8')).map((p) => `${relative(ROOT, f)} ${p}`),
      );
    expect(found).toEqual([]);
  });
});
