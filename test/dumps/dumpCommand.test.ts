import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFromDumpPath } from '../../src/core/dumps/openDump';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { compileHelper } from '../helpers/compile';
import { runCli } from '../support/cli';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';
import type { RegionsReport } from '../linux/regionsHelper';

afterAll(stopAllChildren);
const dir = mkdtempSync(join(tmpdir(), 'vmscope-dump-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('vmscope dump on Linux', () => {
  it("writes a core (through gcore) that reopens with the live process's regions", async () => {
    const data = join(dir, 'data.bin');
    writeFileSync(data, Buffer.alloc(5 * 4096, 7));
    const child = spawnChild(compileHelper('regions'), [data, compileHelper('zombie')]);
    const report = JSON.parse(await firstLine(child)) as RegionsReport;
    const live = await createLinuxSource().snapshot(child.pid!, { includeFree: false });
    const out = join(dir, 'helper.core');
    const run = await runCli(['dump', '--pid', String(child.pid), '--out', out], {
      timeoutMs: 120_000,
    });
    expect(run.stderr).toMatch(new RegExp(`wrote a core file of process ${child.pid} to .*bytes`));
    expect(run.code).toBe(0);
    const core = snapshotFromDumpPath(out, { includeFree: false });
    expect(core.origin?.kind).toBe('core');
    expect(core.process.pid).toBe(child.pid);
    // As the gcore test (coreFile.test.ts): every mapping gcore keeps is there, the same.
    const byBase = new Map(core.regions.map((r) => [r.base, r]));
    for (const r of live.regions) {
      if (r.details?.startsWith('[vvar') || r.linux?.vmFlags.includes('dd')) continue;
      const c = byBase.get(r.base);
      expect(c, `${r.base} ${r.path ?? r.details ?? ''}`).toBeDefined();
      expect(c!.size).toBe(r.size);
      expect(c!.type).toBe(r.type);
      expect(c!.path).toBe(r.path);
    }
    expect(byBase.get(report.shared)?.kind).toBe('shareable');
    for (const t of report.threads)
      expect(core.regions.some((r) => r.threadId === t.tid && r.kind === 'stack')).toBe(true);
  }, 150_000);

  it('exits 1 for a process that is gone, 2 for a minidump asked on Linux', async () => {
    const out = join(dir, 'none.core');
    const gone = await runCli(['dump', '--pid', '2147483646', '--out', out]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/There is no process 2147483646/);
    expect(existsSync(out)).toBe(false);
    const wrong = await runCli([
      'dump',
      '--pid',
      String(process.pid),
      '--out',
      out,
      '--format',
      'minidump',
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/writes a core file, not a minidump/);
    const usage = await runCli(['dump', '--out', out]);
    expect(usage.code).toBe(2);
  });
});
