/**
 * A snapshot's code stays compiled across full GCs between snapshots (src/shared/keptShapes.ts):
 * V8 throws away optimized code once a hidden class it checks for is collected ("reason: weak
 * objects" in --trace-deopt), and every object a snapshot makes is garbage once it is read. Checked
 * in a child Node that traces V8's optimizations: snapshots of a process with many mappings, some
 * with every Region built, some left as columns, three full GCs after each (more than the two V8
 * keeps a class for without objects).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';

afterAll(stopAllChildren);

const source = new URL('../../src/core/sources/linux/linuxSource.ts', import.meta.url).href;
const columns = new URL('../../src/shared/snapshotColumns.ts', import.meta.url).href;

// A file, not -e with --input-type=module: the read-ahead thread's eval code would inherit that.
const script = `
import { createLinuxSource } from '${source}';
const source = createLinuxSource();
for (let k = 0; k < 5; k++) {
  // One snapshot whose regions stay columns (as CSV output reads them), one with every Region.
  await source.snapshot(Number(process.env.PID));
  gc(); gc(); gc();
  const snapshot = await source.snapshot(Number(process.env.PID));
  let pss = 0;
  for (const r of snapshot.regions) pss += r.linux?.pss ?? 0;
  console.log('--- snapshot ' + k + ' ' + snapshot.regions.length + ' ' + (pss >= 0));
  gc(); gc(); gc();
}
`;

// Columns made before a snapshot, as the kept ones are, and a snapshot's own: one hidden class.
const sameColumns = `
import { createLinuxSource } from '${source}';
import { lazyRegionColumns, regionColumnsOf } from '${columns}';
const before = lazyRegionColumns(1, [], () => []);
const snapshot = await createLinuxSource().snapshot(Number(process.env.PID));
const after = regionColumnsOf(snapshot);
// Natives syntax through eval: the file itself goes through tsx, whose parser has none.
console.log(JSON.stringify(eval('%HaveSameMap(before, after)')));
`;

/** Runs `code` as a module in a child Node with `flags`; its exit status and output. */
function runChild(
  code: string,
  flags: string[],
  pid: number,
): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vmscope-kept-'));
  const file = join(dir, 'child.mts');
  writeFileSync(file, code);
  try {
    return spawnSync(process.execPath, [...flags, '--import', 'tsx', file], {
      encoding: 'utf8',
      timeout: 110_000,
      maxBuffer: 64 << 20,
      env: { ...process.env, PID: String(pid) },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The per-mapping and per-region functions of a Linux snapshot. */
const HOT = new Set([
  'feed',
  'header',
  'field',
  'intern',
  'same',
  'startOf',
  'endOf',
  'isHigh',
  'keysOfBlock',
  'classesOfBlock',
  'executableOfBlock',
  'startsOfBlock',
  'gapsOfBlock',
  'writeMappingRows',
  'markVarying',
  'scatterFields',
  'build',
  'buildBlock',
  'write',
  'words',
  'value',
]);

/** Names of the hot functions whose code `lines` show thrown away because a class was collected. */
function weakObjectDeopts(lines: string[]): string[] {
  return lines
    .filter((l) => l.includes('reason: weak objects'))
    .map((l) => /<SharedFunctionInfo (\w+)>/.exec(l)?.[1] ?? '')
    .filter((name) => HOT.has(name));
}

describe.runIf(process.platform === 'linux')('a Linux snapshot after full GCs', () => {
  it('keeps its hot loops compiled', { timeout: 120_000 }, async () => {
    const child = spawnChild(compileHelper('manymaps'), ['20000']);
    expect(await firstLine(child)).toBe('ready 20000');
    const run = runChild(script, ['--expose-gc', '--trace-opt', '--trace-deopt'], child.pid!);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const marks = lines.flatMap((l, i) => (l.startsWith('--- snapshot') ? [i] : []));
    expect(marks).toHaveLength(5);
    expect(lines[marks[4]!]).toMatch(/^--- snapshot 4 2\d{4} true$/);
    // Not vacuous: the region loops were optimized during the first two snapshots.
    const optimized = (name: string): boolean =>
      lines
        .slice(0, marks[1])
        .some((l) => l.startsWith('[completed optimizing') && l.includes(`<JSFunction ${name} `));
    expect(['feed', 'buildBlock', 'build'].filter((name) => !optimized(name))).toEqual([]);
    // Whatever the first snapshots settle, none of the later GCs throws their code away.
    expect(weakObjectDeopts(lines.slice(marks[1]))).toEqual([]);
  });

  it(
    'gives its region columns the hidden class of columns made before it',
    { timeout: 60_000 },
    async () => {
      // A region count summed from a Float64Array was a heap number, which turned `count` into a
      // double field: every snapshot's columns then had a class of their own, collected with them.
      const child = spawnChild(compileHelper('manymaps'), ['2000']);
      expect(await firstLine(child)).toBe('ready 2000');
      const run = runChild(sameColumns, ['--allow-natives-syntax'], child.pid!);
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toBe(true);
    },
  );
});
