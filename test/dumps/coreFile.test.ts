import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFromDumpPath } from '../../src/core/dumps/openDump';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import type { Region, Snapshot } from '../../src/shared/model';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';
import type { RegionsReport } from '../linux/regionsHelper';

afterAll(stopAllChildren);

const run = promisify(execFile);
const source = createLinuxSource();
const dir = mkdtempSync(join(tmpdir(), 'vmscope-cores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The regions helper, started in `cwd` with core dumps allowed (ulimit -c is per process). */
async function startHelper(
  cwd: string,
): Promise<{ pid: number; report: RegionsReport; exited: Promise<unknown> }> {
  const data = join(dir, 'data.bin');
  writeFileSync(data, Buffer.alloc(5 * 4096, 7));
  const child = spawnChild('sh', [
    '-c',
    'ulimit -c unlimited; cd "$1"; shift; exec "$@"',
    'sh',
    cwd,
    compileHelper('regions'),
    data,
    compileHelper('zombie'),
  ]);
  const report = JSON.parse(await firstLine(child)) as RegionsReport;
  return { pid: child.pid!, report, exited: once(child, 'exit') };
}

/** What both snapshots must agree on, region by region. */
const shape = (r: Region) => ({
  base: r.base,
  size: r.size,
  allocationBase: r.allocationBase,
  state: r.state,
  protect: r.protect,
  allocationProtect: r.allocationProtect,
  type: r.type,
  kind: r.kind,
  path: r.path,
  details: r.details,
  threadId: r.threadId,
});

const kernelWritesCoreFiles = ((): boolean => {
  try {
    return !readFileSync('/proc/sys/kernel/core_pattern', 'latin1').startsWith('|');
  } catch {
    return false;
  }
})();

describe('Linux core files', () => {
  it.skipIf(!kernelWritesCoreFiles)(
    "a kernel core's regions are the live smaps snapshot's, kinds, stacks and allocations included",
    async () => {
      const cwd = mkdtempSync(join(dir, 'kernel-'));
      const helper = await startHelper(cwd);
      const live = await source.snapshot(helper.pid);
      process.kill(helper.pid, 'SIGABRT');
      await helper.exited;
      const name = readdirSync(cwd).find((f) => f.startsWith('core'));
      expect(name, 'the kernel wrote a core file').toBeDefined();
      const core = snapshotFromDumpPath(join(cwd, name!));

      expect(core.regions.map(shape)).toEqual(live.regions.map(shape));
      expect(core.process.pid).toBe(helper.pid);
      expect(core.process.name).toBe(live.process.name);
      expect(core.process.path).toBe(live.process.path);
      expect(core.counters.virtualSize).toBe(
        live.regions
          .filter((r) => r.state !== 'free' && BigInt(r.base) < 1n << 47n)
          .reduce((s, r) => s + r.size, 0),
      );
      // What the helper made, found by what it is.
      const at = (hex: string) => core.regions.find((r) => r.base === hex)!;
      expect(at(helper.report.reserve).state).toBe('reserved');
      expect(at(helper.report.shared).kind).toBe('shareable');
      expect(at(helper.report.file).kind).toBe('mappedFile');
      expect(at(helper.report.elf).kind).toBe('image');
      for (const t of helper.report.threads) {
        const stack = core.regions.filter((r) => r.threadId === t.tid);
        expect(stack.length, `stack of thread ${t.tid}`).toBeGreaterThan(0);
        expect(stack.every((r) => r.kind === 'stack')).toBe(true);
      }
      expectUnknownWorkingSet(core);
      expect(core.origin?.captured).toEqual(
        expect.arrayContaining(['PT_LOAD', 'NT_PRSTATUS', 'NT_PRPSINFO', 'NT_AUXV', 'NT_FILE']),
      );
    },
  );

  it("a gcore core matches smaps taken while gcore held the helper, but for gcore's own omissions", async () => {
    const helper = await startHelper(dir);
    const live = await source.snapshot(helper.pid, { includeFree: false });
    const out = join(dir, 'gcore');
    await run('gcore', ['-o', out, String(helper.pid)], { timeout: 60_000 });
    const core = snapshotFromDumpPath(`${out}.${helper.pid}`, { includeFree: false });
    process.kill(helper.pid, 'SIGKILL');

    const byBase = new Map(core.regions.map((r) => [r.base, r]));
    for (const r of live.regions) {
      // gdb writes no [vvar] (the kernel refuses to let it be read) and honours MADV_DONTDUMP.
      if (r.details?.startsWith('[vvar') || r.linux?.vmFlags.includes('dd')) continue;
      const c = byBase.get(r.base);
      expect(c, `${r.base} ${r.path ?? r.details ?? ''}`).toBeDefined();
      expect(c!.size).toBe(r.size);
      expect(c!.type).toBe(r.type);
      expect(c!.path).toBe(r.path);
      // gdb writes PROT_NONE mappings as readable, so their guard pages do not join a stack.
      if (r.state !== 'reserved' && r.details !== '[vsyscall]') {
        expect(c!.kind, `${r.base} ${r.path ?? r.details ?? ''}`).toBe(r.kind);
        // File mappings gdb did not dump are in NT_FILE only, without their protection.
        if (r.path === null) expect(c!.protect).toBe(r.protect);
      }
    }
    expect(core.regions.length).toBe(byBase.size);
    expect(core.process.pid).toBe(helper.pid);
    expectUnknownWorkingSet(core);
  });
});

function expectUnknownWorkingSet(s: Snapshot): void {
  expect(s.workingSetUnknown).toMatch(/not .*resident/);
  expect(s.counters.workingSetSize).toBeNull();
}
