/**
 * `vmscope snapshot` writes its JSON to stdout a megabyte at a time from one reused buffer
 * (src/cli/commands/snapshot.ts): the built command's document must still be exactly the text
 * JSON.stringify writes of it, whole and in order, and a reader that closes the pipe early
 * (`| head`) must end it quietly.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { regionCount } from '../../src/shared/snapshotColumns';
import { compileHelper } from '../helpers/compile';
import { CLI, assertBuilt, runCli } from '../support/cli';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';

afterAll(stopAllChildren);

/** The document is the text JSON.stringify writes of what it parses to, and one line. */
function expectCanonical(stdout: string): { regions: unknown[] } {
  const parsed = JSON.parse(stdout) as { regions: unknown[] };
  expect(stdout).toBe(`${JSON.stringify(parsed)}\n`);
  return parsed;
}

describe.runIf(process.platform === 'linux')('vmscope snapshot on stdout', () => {
  let pid: number;

  beforeAll(async () => {
    // 3,000 mappings: a document of a few megabytes, so several chunks share the buffer.
    const child = spawnChild(compileHelper('manymaps'), ['3000']);
    expect(await firstLine(child)).toMatch(/^ready/);
    pid = child.pid!;
  });

  it('is the whole JSON document, byte for byte, across chunks', async () => {
    const run = await runCli(['snapshot', '--pid', String(pid)], { timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(Buffer.byteLength(run.stdout)).toBeGreaterThan(2 << 20);
    const { regions } = expectCanonical(run.stdout);
    const inProcess = await createLinuxSource().snapshot(pid);
    expect(regions.length).toBe(regionCount(inProcess));
  });

  it('is the whole JSON document for the simulator', async () => {
    const list = await runCli(['ps', '--source', 'simulated', '--json']);
    const [first] = JSON.parse(list.stdout) as { pid: number }[];
    const run = await runCli(['snapshot', '--source', 'simulated', '--pid', String(first!.pid)]);
    expect(run.code).toBe(0);
    expect(expectCanonical(run.stdout).regions.length).toBeGreaterThan(0);
  });

  it('ends quietly with status 0 when the reader closes the pipe early', async () => {
    assertBuilt();
    const cli = spawn(process.execPath, [CLI, 'snapshot', '--pid', String(pid)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    cli.stderr.on('data', (c) => (stderr += String(c)));
    // Like `| head -c`: read the first bytes, then close our end while the command still writes.
    cli.stdout.once('data', () => cli.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => cli.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
