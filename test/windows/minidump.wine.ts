/**
 * Minidumps written by the real dbghelp (MiniDumpWriteDump through koffi, under Wine) of another
 * process with known allocations, opened as snapshots and compared with the live Windows source's
 * snapshot of the same process taken while it is suspended. Run by scripts/test-windows.sh.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { LibraryHandle } from 'koffi';
import { DumpContents } from '../../src/core/dumps/dumpContents';
import { openDumpFile } from '../../src/core/dumps/dumpFile';
import { readMinidump } from '../../src/core/dumps/minidump';
import { snapshotFromDumpPath } from '../../src/core/dumps/openDump';
import { createWindowsSource } from '../../src/core/sources/windows/windowsSource';
import { walkAddressSpace } from '../../src/core/sources/windows/addressSpace';
import { win32 } from '../../src/core/sources/windows/bindings';
import { withProcess } from '../../src/core/sources/windows/processHandle';
import type { MemoryBasicInfo } from '../../src/core/win32/memoryBasicInfo';
import { dumpFileFromBytes } from '../../src/core/dumps/dumpFile';
import { snapshotFromDumpFile } from '../../src/core/dumps/openDump';
import type { Region, Snapshot } from '../../src/shared/model';
import { buildMinidump } from '../support/dumpBuilders';
import { NO_VIEW_NAME } from '../../src/core/dumps/minidumpSnapshot';
import { startIdleProcess } from './testProcess';

const require = createRequire(import.meta.url);
const koffi = require('koffi') as { load(path: string): LibraryHandle };
const kernel32 = koffi.load('kernel32.dll');
const ntdll = koffi.load('ntdll.dll');
const dbghelp = koffi.load('dbghelp.dll');
const OpenProcess = kernel32.func('void *OpenProcess(uint32_t access, int inherit, uint32_t pid)');
const CloseHandle = kernel32.func('int CloseHandle(void *handle)');
const CreateFileW = kernel32.func(
  'void *CreateFileW(str16 name, uint32_t access, uint32_t share, void *security, uint32_t disposition, uint32_t flags, void *template)',
);
const NtSuspendProcess = ntdll.func('int32_t NtSuspendProcess(void *process)');
const NtResumeProcess = ntdll.func('int32_t NtResumeProcess(void *process)');
const MiniDumpWriteDump = dbghelp.func(
  'int MiniDumpWriteDump(void *process, uint32_t pid, void *file, uint32_t type, void *exception, void *user, void *callback)',
);

const PROCESS_ALL_ACCESS = 0x1fffff;
const GENERIC_WRITE = 0x40000000;
const CREATE_ALWAYS = 2;
const FILE_ATTRIBUTE_NORMAL = 0x80;
const MiniDumpWithFullMemory = 0x2;
const MiniDumpWithProcessThreadData = 0x100;
const MiniDumpWithFullMemoryInfo = 0x800;
const MiniDumpWithThreadInfo = 0x1000;
const MARKER = 'vmscope-minidump-marker-7f3a';

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** The known allocations: a 1 MiB reservation with its first 64 KiB committed and marked. */
interface Known {
  reserve: string;
  committed: number;
}

/** Allocates and marks the known memory, says where, and idles until killed. */
function childScript(knownFile: string): string {
  const koffiPath = require.resolve('koffi');
  return `const k = require(${JSON.stringify(koffiPath)}).load('kernel32.dll');
const VA = k.func('uintptr_t VirtualAlloc(uintptr_t a, uintptr_t s, uint32_t t, uint32_t p)');
const RtlMove = k.func('void RtlMoveMemory(uintptr_t d, const char *s, uintptr_t n)');
const base = BigInt(VA(0n, 1048576, 0x2000, 0x04));
VA(base, 65536, 0x1000, 0x04);
RtlMove(base + 4096n, ${JSON.stringify(MARKER)}, ${MARKER.length});
globalThis.keep = base;
setInterval(() => {}, 1000);
require('fs').writeFileSync(${JSON.stringify(knownFile)}, JSON.stringify({ reserve: '0x' + base.toString(16), committed: 65536 }))`;
}

function writeDump(pid: number, path: string, type: number): void {
  const process = OpenProcess(PROCESS_ALL_ACCESS, 0, pid);
  assert.ok(process, `OpenProcess(${pid})`);
  const file = CreateFileW(
    path,
    GENERIC_WRITE,
    0,
    null,
    CREATE_ALWAYS,
    FILE_ATTRIBUTE_NORMAL,
    null,
  );
  try {
    assert.ok(MiniDumpWriteDump(process, pid, file, type, null, null, null), 'MiniDumpWriteDump');
  } finally {
    CloseHandle(file);
    CloseHandle(process);
  }
}

const shape = (r: Region) => ({
  base: r.base,
  size: r.size,
  allocationBase: r.allocationBase,
  state: r.state,
  protect: r.protect,
  allocationProtect: r.allocationProtect,
  type: r.type,
  kind: r.kind,
  details: r.details,
  threadId: r.threadId,
});

describe('a minidump written by dbghelp', () => {
  let child: ChildProcess;
  let known: Known;
  let live: Snapshot;
  let walk: MemoryBasicInfo[];
  const dumpPath = here('./other.dmp');
  before(async () => {
    const knownFile = here(`./known-${process.pid}.json`);
    rmSync(knownFile, { force: true });
    child = await startIdleProcess(process.execPath, childScript(knownFile));
    known = JSON.parse(readFileSync(knownFile, 'utf8')) as Known;
    const handle = OpenProcess(PROCESS_ALL_ACCESS, 0, child.pid!);
    // Suspended: the live snapshot, its walk and the dump all see the same address space.
    assert.equal(NtSuspendProcess(handle), 0, 'NtSuspendProcess');
    try {
      const source = createWindowsSource();
      live = await source.snapshot(child.pid!);
      const api = win32();
      walk = withProcess(api, child.pid!, (p) =>
        walkAddressSpace(api, p, BigInt(source.layout().maxAddress)),
      ).regions;
      writeDump(
        child.pid!,
        dumpPath,
        MiniDumpWithFullMemory |
          MiniDumpWithFullMemoryInfo |
          MiniDumpWithThreadInfo |
          MiniDumpWithProcessThreadData,
      );
    } finally {
      NtResumeProcess(handle);
      CloseHandle(handle);
    }
  });
  after(() => child.kill());

  test('lists the streams Wine writes', () => {
    const file = openDumpFile(dumpPath);
    try {
      const dump = readMinidump(file);
      // Printed for docs/dumps.md: which streams Wine's dbghelp writes.
      console.log(`streams: ${dump.streams.join(', ')}`);
      assert.ok(dump.streams.includes('ThreadListStream'));
      assert.ok(dump.streams.includes('ModuleListStream'));
      assert.ok(dump.memory.length > 0, 'memory captured');
    } finally {
      file.close();
    }
  });

  test('opens from modules and captured memory where Wine writes no MemoryInfoListStream', () => {
    const snapshot = snapshotFromDumpPath(dumpPath);
    assert.equal(snapshot.origin?.kind, 'minidump');
    assert.equal(snapshot.source, 'windows');
    assert.equal(snapshot.process.pid, child.pid);
    assert.match(snapshot.process.name, /node\.exe$/i);
    assert.ok(!snapshot.origin!.captured.includes('MemoryInfoListStream'), 'Wine 8 omits it');
    assert.ok(snapshot.origin!.missing.some((m) => m.startsWith('MemoryInfoListStream')));
    const marked = snapshot.regions.find((r) => r.base === known.reserve);
    assert.ok(marked, 'the known allocation, from its captured bytes');
    assert.equal(marked.state, 'committed');
    assert.equal(marked.size, known.committed);
    assert.equal(marked.protect, null, 'protection unknown without MemoryInfoListStream');
    // Every image the live source saw is a module of the dump, and all captured memory was committed.
    const liveCommitted = (address: bigint) =>
      live.regions.some(
        (r) =>
          r.state === 'committed' &&
          BigInt(r.base) <= address &&
          address < BigInt(r.base) + BigInt(r.size),
      );
    for (const r of snapshot.regions)
      if (r.type === 'private') assert.ok(liveCommitted(BigInt(r.base)), `${r.base} was committed`);
    assert.ok(snapshot.regions.some((r) => r.kind === 'image' && /node\.exe$/i.test(r.path ?? '')));
    assert.ok(
      snapshot.regions.some((r) => r.kind === 'stack'),
      'stacks from the captured TEBs',
    );
    assert.equal(snapshot.workingSetUnknown !== undefined, true);
  });

  test('with the streams Wine omits added from the documented layout, its regions are the live source\u2019s', () => {
    const file = openDumpFile(dumpPath);
    let built: Buffer;
    try {
      const wine = readMinidump(file);
      built = buildMinidump({
        pid: child.pid!,
        memoryInfo: walk.map((m) => ({
          base: m.baseAddress,
          allocationBase: m.allocationBase,
          allocationProtect: m.allocationProtect,
          size: m.regionSize,
          state: m.state,
          protect: m.protect,
          type: m.type,
        })),
        modules: wine.modules,
        threads: wine.threads.map((t) => ({
          id: t.threadId,
          teb: t.teb,
          stack: t.stackStart,
          stackBytes: t.stackSize,
        })),
        threadInfo: true,
        memory: wine.memory.map((r) => ({
          address: r.address,
          bytes: file.readAvailable(r.fileOffset, r.size),
        })),
      });
    } finally {
      file.close();
    }
    const snapshot = snapshotFromDumpFile(dumpFileFromBytes('built.dmp', built));
    assert.ok(snapshot.origin!.captured.includes('MemoryInfoListStream'));
    assert.ok(snapshot.origin!.captured.includes('ThreadInfoListStream'));
    // A minidump names no mapped views: each is a mapped file whose name is not recorded.
    const unnamed = (r: Region) =>
      r.type === 'mapped' ? { ...shape(r), kind: 'mappedFile', details: null } : shape(r);
    for (const r of snapshot.regions.filter((r) => r.type === 'mapped'))
      assert.deepEqual([r.kind, r.details], ['mappedFile', NO_VIEW_NAME]);
    assert.deepEqual(
      snapshot.regions.map((r) =>
        r.type === 'mapped' ? { ...unnamed(r), details: null } : shape(r),
      ),
      live.regions.map(unnamed),
    );
    assert.ok(
      snapshot.regions.some((r) => r.kind === 'heap'),
      'heaps from the captured PEB',
    );
  });

  test('its captured bytes read back through DumpContents, with holes where nothing was captured', () => {
    const file = openDumpFile(dumpPath);
    try {
      const contents = new DumpContents(file, readMinidump(file).memory);
      const chunk = contents.read(BigInt(known.reserve) + 4096n, MARKER.length);
      assert.deepEqual(chunk.holes, []);
      assert.equal(Buffer.from(chunk.bytes).toString('latin1'), MARKER);
      // The reserved tail was never committed: nothing of it is in the dump.
      const tail = contents.read(BigInt(known.reserve) + 65536n, 4096);
      assert.deepEqual(tail.holes, [{ offset: 0, size: 4096, reason: 'not-captured' }]);
    } finally {
      file.close();
    }
  });
});
