import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finishLinuxSnapshot } from '../../src/core/sources/linux/linuxSnapshot';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { SmapsReader } from '../../src/core/sources/linux/smapsReader';
import { SmapsScanner } from '../../src/core/sources/linux/smapsScanner';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild, stopAllChildren, stopChild } from '../support/children';

afterAll(stopAllChildren);

const source = createLinuxSource();
const NOBODY = 65534;

describe.runIf(process.platform === 'linux')('Linux snapshot errors', () => {
  it('reports a pid that has exited (and been reaped) as process-exited', async () => {
    const child = spawnChild('sleep', ['300']);
    const pid = child.pid!;
    await stopChild(child);
    await expect(source.snapshot(pid)).rejects.toMatchObject({ code: 'process-exited' });
  });

  it('reports a zombie as process-exited, saying it is a zombie', async () => {
    const parent = spawnChild(compileHelper('zombie'), []);
    const zombie = Number(await firstLine(parent));
    await expect(source.snapshot(zombie)).rejects.toMatchObject({
      code: 'process-exited',
      message: expect.stringContaining('zombie'),
    });
  });

  it('reports a process that exits in the middle of the read as process-exited, not a short snapshot', async () => {
    // 20,000 mappings make ~15 MB of smaps: many chunks. Read one, then end the process.
    const child = spawnChild(compileHelper('manymaps'), ['20000']);
    expect(await firstLine(child)).toBe('ready 20000');
    const pid = child.pid!;
    const reader = SmapsReader.open(pid);
    const scanner = new SmapsScanner();
    expect(reader.scan(scanner, 1)).toBe(false);
    expect(scanner.mappings.length).toBeGreaterThan(0);
    await stopChild(child);
    await expect(
      finishLinuxSnapshot(pid, reader, scanner, source.layout(), {}),
    ).rejects.toMatchObject({
      code: 'process-exited',
    });
    expect(scanner.mappings.length).toBeLessThan(20000);
  });

  it('shows a kernel thread as a snapshot without regions that says why', async (ctx) => {
    const kthreadd = (await source.listProcesses()).find((p) => p.kernelThread);
    if (!kthreadd) ctx.skip(); // this pid namespace (a container) shows no kernel threads
    const snapshot = await source.snapshot(kthreadd!.pid);
    expect(snapshot.regions).toEqual([]);
    expect(snapshot.details).toMatch(/kernel thread/);
    expect(snapshot.process.name).toBe(kthreadd!.name);
  });

  it("reports another user's process as access-denied with advice", async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip(); // needs root to run the reader as another user
    const target = spawnChild('sleep', ['300']);
    const script = join(import.meta.dirname, 'snapshotAsUser.ts');
    const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
    expect(existsSync(tsx)).toBe(true);
    const output = execFileSync(
      'setpriv',
      [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', tsx, script, String(target.pid)],
      { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } },
    );
    const result = JSON.parse(output.trim().split('\n').pop()!) as {
      code: string;
      message: string;
    };
    expect(result.code).toBe('access-denied');
    expect(result.message).toMatch(/as that user or as root/);
    target.kill();
    await once(target, 'exit');
  });
});
