/**
 * `vmscope dump --pid N --out FILE` on Windows: the bundled CLI calls MiniDumpWriteDump (dbghelp,
 * through koffi) on a second Wine process with a known marked allocation; the minidump reopens
 * with that process's regions and its captured bytes. Run by scripts/test-windows.sh.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { openDumpMemory } from '../../src/core/dumps/dumpMemory';
import { snapshotFromDumpPath } from '../../src/core/dumps/openDump';
import { createWindowsSource } from '../../src/core/sources/windows/windowsSource';
import { BUNDLED_CLI, runBundledCli, startIdleProcess } from './testProcess';

const require = createRequire(import.meta.url);
const MARKER = 'vmscope-dump-command-marker-51c2';
const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** Reserves 1 MiB, commits and marks its first 64 KiB, says where, and idles until killed. */
function childScript(knownFile: string): string {
  return `const k = require(${JSON.stringify(require.resolve('koffi'))}).load('kernel32.dll');
const VA = k.func('uintptr_t VirtualAlloc(uintptr_t a, uintptr_t s, uint32_t t, uint32_t p)');
const RtlMove = k.func('void RtlMoveMemory(uintptr_t d, const char *s, uintptr_t n)');
const base = BigInt(VA(0n, 1048576, 0x2000, 0x04));
VA(base, 65536, 0x1000, 0x04);
RtlMove(base + 4096n, ${JSON.stringify(MARKER)}, ${MARKER.length});
globalThis.keep = base;
setInterval(() => {}, 1000);
require('fs').writeFileSync(${JSON.stringify(knownFile)}, '0x' + base.toString(16))`;
}

/** The bundled CLI's exit code and output (one file: under Wine, pipes between programs fail). */
async function cliExit(args: string[], name: string): Promise<{ code: unknown; output: string }> {
  const outFile = here(`./cli-${name}.out`);
  const fd = openSync(outFile, 'w');
  try {
    const child = spawn(process.execPath, [BUNDLED_CLI, ...args], { stdio: ['ignore', fd, fd] });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    return { code, output: readFileSync(outFile, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

describe('vmscope dump on Windows (MiniDumpWriteDump under Wine)', () => {
  let child: ChildProcess;
  let reserve: string;
  const dumpPath = here('./dump-command.dmp');
  before(async () => {
    const knownFile = here(`./dump-known-${process.pid}.txt`);
    rmSync(knownFile, { force: true });
    rmSync(dumpPath, { force: true });
    child = await startIdleProcess(process.execPath, childScript(knownFile));
    reserve = readFileSync(knownFile, 'utf8');
  });
  after(() => child.kill());

  test('writes a minidump that reopens with the process, its images and its known allocation', async () => {
    const said = await runBundledCli(
      ['dump', '--pid', String(child.pid), '--out', dumpPath],
      'dump-command',
    );
    assert.match(said, new RegExp(`wrote a minidump of process ${child.pid}`));
    const live = await createWindowsSource().snapshot(child.pid!);
    const dump = snapshotFromDumpPath(dumpPath);
    assert.equal(dump.origin?.kind, 'minidump');
    assert.equal(dump.process.pid, child.pid);
    assert.match(dump.process.name, /node\.exe$/i);
    // Wine's dbghelp writes no MemoryInfoListStream: the allocation is found by its captured bytes.
    const marked = dump.regions.find((r) => r.base === reserve);
    assert.ok(marked, 'the known allocation');
    assert.equal(marked.state, 'committed');
    assert.equal(marked.size, 65536);
    // Every image the dump lists is one the live source sees at the same base.
    const liveImages = new Set(
      live.regions.filter((r) => r.type === 'image').map((r) => r.allocationBase),
    );
    const dumpImages = dump.regions.filter((r) => r.type === 'image');
    assert.ok(dumpImages.length > 0);
    for (const r of dumpImages)
      assert.ok(liveImages.has(r.allocationBase), `${r.base} ${r.path ?? ''}`);
    const memory = openDumpMemory(dumpPath);
    try {
      const chunk = await memory.readMemory(child.pid!, BigInt(reserve) + 4096n, MARKER.length);
      assert.deepEqual(chunk.holes, []);
      assert.equal(Buffer.from(chunk.bytes).toString('latin1'), MARKER);
    } finally {
      memory.close();
    }
  });

  test('exits 1 for a process that is gone, 2 for a core asked on Windows', async () => {
    const out = here('./dump-none.dmp');
    const gone = await cliExit(['dump', '--pid', '2147483646', '--out', out], 'dump-gone');
    assert.equal(gone.code, 1, gone.output);
    assert.match(gone.output, /no process 2147483646/);
    assert.equal(existsSync(out), false);
    const wrong = await cliExit(
      ['dump', '--pid', String(child.pid), '--out', out, '--format', 'core'],
      'dump-wrong',
    );
    assert.equal(wrong.code, 2, wrong.output);
    assert.match(wrong.output, /writes a minidump file, not a core/);
  });
});
