import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SnapshotDiff } from '../src/shared/snapshotDiff';
import { compileHelper } from './helpers/compile';
import { runCli } from './support/cli';
import { lineReader, spawnChild, stopAllChildren } from './support/children';

afterAll(stopAllChildren);
const dir = mkdtempSync(join(tmpdir(), 'vmscope-diff-'));

describe.runIf(process.platform === 'linux')('vmscope diff on two real snapshots', () => {
  it('shows what a process mapped and touched between them', async () => {
    // 4 MiB chunks, 8 of them, once told to start; held long enough to snapshot.
    // Through spawnChild, so afterAll ends it: a child left holding the worker's stderr pipe kept
    // vitest's main process from exiting ("close timed out after 10000ms").
    const child = spawnChild(process.execPath, [
      resolve('test/sampler/allocator.mjs'),
      '4',
      '50',
      '8',
      '60000',
      'on-signal',
    ]);
    const nextLine = lineReader(child);
    expect(await nextLine()).toBe('ready');
    const before = join(dir, 'before.json');
    const after = join(dir, 'after.json');
    expect((await runCli(['snapshot', '--pid', String(child.pid), '--out', before])).code).toBe(0);
    child.kill('SIGUSR2');
    expect(await nextLine()).toBe('done 8');
    expect((await runCli(['snapshot', '--pid', String(child.pid), '--out', after])).code).toBe(0);

    const json = await runCli(['diff', before, after, '--format', 'json']);
    expect(json.code).toBe(0);
    const diff = JSON.parse(json.stdout) as SnapshotDiff;
    expect(diff.before.pid).toBe(child.pid);
    const total = diff.kinds.find((k) => k.kind === 'total')!;
    // 32 MiB allocated and touched: the working set grew by about that much.
    expect(total.wsTotal).toBeGreaterThan(28 * 1024 * 1024);
    expect(diff.changes.length).toBeGreaterThan(0);
    expect(diff.changes[0]!.impact).toBeGreaterThanOrEqual(diff.changes.at(-1)!.impact);

    const text = await runCli(['diff', before, after]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^before: node \(\d+\) linux/m);
    expect(text.stdout).toMatch(/^total\s.*\+\d/m);
  }, 60_000);

  it('reports a mapping the kernel merged into its neighbour as one region that grew by its size', async () => {
    const MiB = 1024 * 1024;
    const child = spawnChild(compileHelper('growmap'), []);
    const nextLine = lineReader(child);
    const upper = /^ready (0x[0-9a-f]+)$/.exec(await nextLine())![1]!;
    const before = join(dir, 'grow-before.json');
    const after = join(dir, 'grow-after.json');
    expect((await runCli(['snapshot', '--pid', String(child.pid), '--out', before])).code).toBe(0);
    child.kill('SIGUSR1');
    const lower = /^grown (0x[0-9a-f]+)$/.exec(await nextLine())![1]!;
    expect((await runCli(['snapshot', '--pid', String(child.pid), '--out', after])).code).toBe(0);

    const json = await runCli(['diff', before, after, '--format', 'json']);
    expect(json.code).toBe(0);
    const diff = JSON.parse(json.stdout) as SnapshotDiff;
    const grown = diff.changes.find((c) => c.base === lower)!;
    expect(grown).toMatchObject({
      change: 'changed',
      category: 'grew',
      sizeDelta: 20 * MiB,
      beforeSpan: { base: upper, size: 44 * MiB },
      afterSpan: { base: lower, size: 64 * MiB },
    });
    // Every page of the new 20 MiB was written: the working set grew by that much.
    expect(grown.workingSetDelta).toBe(20 * MiB);
    // Not also read as the old region removed and a new one added.
    expect(diff.changes.filter((c) => c.base === upper || c.base === lower)).toHaveLength(1);

    const text = await runCli(['diff', before, after]);
    expect(text.stdout).toMatch(
      new RegExp(`^grew\\s+${lower}\\s.*\\s64\\.0 MiB\\s+\\+20\\.0 MiB\\s`, 'm'),
    );
  }, 60_000);

  it('refuses a malformed file with the reason and where', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'vmscope-snapshot', version: 1, regions: 'no' }));
    const run = await runCli(['diff', bad, bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.json: Not a vmscope-snapshot v1\/v2 document: \w+/);
    const missing = await runCli(['diff', join(dir, 'nope.json'), bad]);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.json: no such file/);
  });
});
