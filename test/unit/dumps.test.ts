import { describe, expect, it } from 'vitest';
import { DumpContents } from '../../src/core/dumps/dumpContents';
import { dumpFileFromBytes } from '../../src/core/dumps/dumpFile';
import { capturedRanges, readElfCore } from '../../src/core/dumps/elfCore';
import { snapshotFromDumpPieces } from '../../src/core/dumps/dumpPieces';
import { NO_VIEW_NAME } from '../../src/core/dumps/minidumpSnapshot';
import { dumpKindOf, snapshotFromDumpFile } from '../../src/core/dumps/openDump';
import { VmscopeError } from '../../src/shared/errors';
import type { Snapshot } from '../../src/shared/model';
import { validateSnapshot } from '../../src/shared/snapshotValidate';
import { parseSnapshotJson, snapshotToJson } from '../../src/shared/snapshotJson';
import { buildCore, buildMinidump, type BuiltMemoryInfo } from '../support/dumpBuilders';

const open = (name: string, bytes: Uint8Array): Snapshot =>
  snapshotFromDumpFile(dumpFileFromBytes(name, bytes));

const MEM_COMMIT = 0x1000;
const MEM_RESERVE = 0x2000;
const MEM_FREE = 0x10000;
const MEM_PRIVATE = 0x20000;
const MEM_MAPPED = 0x40000;
const MEM_IMAGE = 0x1000000;
const RW = 0x04;
const RX = 0x20;

function mbi(
  base: bigint,
  size: bigint,
  state: number,
  type: number,
  protect: number,
  allocationBase = base,
): BuiltMemoryInfo {
  return {
    base,
    allocationBase,
    allocationProtect: protect,
    size,
    state,
    protect: state === MEM_RESERVE ? 0 : protect,
    type,
  };
}

/** A small process: an exe image, a stack (reserve + committed top), a mapped view, free space between. */
function process64(): Parameters<typeof buildMinidump>[0] {
  const teb = 0x7ff000n;
  const stackBase = 0x100000n;
  const tebBytes = Buffer.alloc(0x1480);
  tebBytes.writeBigUInt64LE(stackBase + 0x100000n, 0x08); // StackBase
  tebBytes.writeBigUInt64LE(stackBase + 0xf0000n, 0x10); // StackLimit
  tebBytes.writeBigUInt64LE(stackBase, 0x1478); // DeallocationStack
  return {
    pid: 4242,
    timeDateStamp: 1_800_000_000,
    memoryInfo: [
      mbi(0x10000n, 0xf0000n, MEM_FREE, 0, 1, 0n),
      mbi(stackBase, 0xf0000n, MEM_RESERVE, MEM_PRIVATE, RW),
      mbi(stackBase + 0xf0000n, 0x10000n, MEM_COMMIT, MEM_PRIVATE, RW, stackBase),
      mbi(0x200000n, 0x20000n, MEM_COMMIT, MEM_MAPPED, 0x02),
      mbi(0x220000n, 0x400000n - 0x220000n, MEM_FREE, 0, 1, 0n),
      mbi(0x400000n, 0x1000n, MEM_COMMIT, MEM_IMAGE, 0x02),
      mbi(0x401000n, 0x3000n, MEM_COMMIT, MEM_IMAGE, RX, 0x400000n),
      mbi(0x404000n, 0x7ff000n - 0x404000n, MEM_FREE, 0, 1, 0n),
      mbi(teb, 0x2000n, MEM_COMMIT, MEM_PRIVATE, RW),
    ],
    modules: [{ base: 0x400000n, size: 0x4000, path: 'C:\\app\\demo.exe' }],
    threads: [{ id: 77, teb, stack: stackBase + 0xff000n, stackBytes: 0x1000 }],
    threadInfo: true,
    memory: [
      { address: teb, bytes: tebBytes },
      { address: stackBase + 0xff000n, bytes: Buffer.alloc(0x1000, 0xab) },
    ],
    vmCounters: { workingSetSize: 123 * 4096, privateUsage: 456 * 4096, pageFaultCount: 789 },
  };
}

/**
 * A 32-bit process's environment as the documented 32-bit layouts place it (TEB32: StackBase 0x04,
 * StackLimit 0x08, ProcessEnvironmentBlock 0x30, DeallocationStack 0xe0c; PEB32: ProcessParameters
 * 0x10, ProcessHeap 0x18, NumberOfHeaps 0x88, ProcessHeaps 0x90; RTL_USER_PROCESS_PARAMETERS32:
 * CommandLine 0x40, a UNICODE_STRING32): its TEB32 at `teb32`, its PEB32 and a heap list.
 */
function environment32(teb32: bigint, peb32: bigint) {
  const stack = 0x100000n;
  const heaps = [0x300000n, 0x400000n];
  const tebBytes = Buffer.alloc(0x1000);
  tebBytes.writeUInt32LE(Number(stack + 0x100000n), 0x04);
  tebBytes.writeUInt32LE(Number(stack + 0xf0000n), 0x08);
  tebBytes.writeUInt32LE(Number(peb32), 0x30);
  tebBytes.writeUInt32LE(Number(stack), 0xe0c);
  const pebBytes = Buffer.alloc(0x1000);
  const parameters = peb32 + 0x200n;
  const text = Buffer.from('demo32.exe --flag', 'utf16le');
  pebBytes.writeUInt32LE(Number(parameters), 0x10);
  pebBytes.writeUInt32LE(Number(heaps[0]), 0x18);
  pebBytes.writeUInt32LE(heaps.length, 0x88);
  pebBytes.writeUInt32LE(Number(peb32 + 0x100n), 0x90);
  heaps.forEach((h, i) => pebBytes.writeUInt32LE(Number(h), 0x100 + i * 4));
  pebBytes.writeUInt16LE(text.length, 0x200 + 0x40);
  pebBytes.writeUInt16LE(text.length, 0x200 + 0x42);
  pebBytes.writeUInt32LE(Number(peb32 + 0x400n), 0x200 + 0x44);
  text.copy(pebBytes, 0x400);
  return {
    stack,
    heaps,
    walk: [
      mbi(stack, 0xf0000n, MEM_RESERVE, MEM_PRIVATE, RW),
      mbi(stack + 0xf0000n, 0x10000n, MEM_COMMIT, MEM_PRIVATE, RW, stack),
      mbi(heaps[0]!, 0x10000n, MEM_COMMIT, MEM_PRIVATE, RW),
      mbi(heaps[1]!, 0x10000n, MEM_COMMIT, MEM_PRIVATE, RW),
    ],
    memory: [
      { address: teb32, bytes: tebBytes },
      { address: peb32, bytes: pebBytes },
    ],
  };
}

describe('32-bit minidumps: stacks and heaps from the 32-bit TEB and PEB', () => {
  it('an x86 dump reads its TEB32 and PEB32', () => {
    const teb = 0x7ffde000n;
    const peb = 0x7ffdf000n;
    const env = environment32(teb, peb);
    const s = validateSnapshot(
      open(
        'x86.dmp',
        buildMinidump({
          pid: 3232,
          architecture: 0,
          memoryInfo: [...env.walk, mbi(teb, 0x2000n, MEM_COMMIT, MEM_PRIVATE, RW)],
          modules: [{ base: 0x400000n, size: 0x4000, path: 'C:\\app\\demo32.exe' }],
          threads: [{ id: 21, teb, stack: env.stack + 0xff000n, stackBytes: 0 }],
          memory: env.memory,
        }),
      ),
    );
    const at = (base: bigint) => s.regions.find((r) => r.base === `0x${base.toString(16)}`)!;
    expect(s.host.arch).toBe('ia32');
    expect(at(env.stack)).toMatchObject({
      kind: 'stack',
      threadId: 21,
      details: 'Stack of thread 21',
    });
    expect(at(env.stack + 0xf0000n)).toMatchObject({ kind: 'stack', threadId: 21 });
    expect(at(env.heaps[0]!)).toMatchObject({ kind: 'heap', details: 'Process heap' });
    expect(at(env.heaps[1]!)).toMatchObject({ kind: 'heap', details: 'Heap 1' });
    expect(at(teb).details).toContain('TEB of thread 21');
    expect(s.process.commandLine).toBe('demo32.exe --flag');
    expect(s.origin!.missing.some((m) => /PEB was not captured/.test(m))).toBe(false);
  });

  it('a 64-bit dump of a WOW64 process reads the TEB32 0x2000 after each TEB64, and the PEB32', () => {
    const teb64 = 0x7ffd0000n;
    const teb32 = teb64 + 0x2000n;
    const peb32 = 0x7ffdf000n;
    const env = environment32(teb32, peb32);
    const s = validateSnapshot(
      open(
        'wow64.dmp',
        buildMinidump({
          pid: 6464,
          memoryInfo: [...env.walk, mbi(teb64, 0x3000n, MEM_COMMIT, MEM_PRIVATE, RW)],
          modules: [
            { base: 0x400000n, size: 0x4000, path: 'C:\\app\\demo32.exe' },
            { base: 0x7ff800000000n, size: 0x40000, path: 'C:\\Windows\\System32\\wow64.dll' },
          ],
          threads: [{ id: 22, teb: teb64, stack: env.stack + 0xff000n, stackBytes: 0 }],
          // The TEB64 itself is not captured: the 32-bit half alone names the stack and heaps.
          memory: env.memory,
        }),
      ),
    );
    const at = (base: bigint) => s.regions.find((r) => r.base === `0x${base.toString(16)}`)!;
    expect(at(env.stack)).toMatchObject({
      kind: 'stack',
      threadId: 22,
      details: '32-bit Stack of thread 22',
    });
    expect(at(env.heaps[0]!)).toMatchObject({ kind: 'heap', details: '32-bit Process heap' });
    expect(at(env.heaps[1]!)).toMatchObject({ kind: 'heap', details: '32-bit Heap 1' });
  });
});

describe('minidumps built from the documented layout', () => {
  it('open as snapshots: the walk, images by module, stacks by TEB, counters, origin', () => {
    const s = validateSnapshot(open('demo.dmp', buildMinidump(process64())));
    expect(s.source).toBe('windows');
    expect(s.process).toMatchObject({ pid: 4242, name: 'demo.exe', path: 'C:\\app\\demo.exe' });
    expect(s.takenAt).toBe(new Date(1_800_000_000_000).toISOString());
    const at = (base: string) => s.regions.find((r) => r.base === base)!;
    expect(at('0x100000')).toMatchObject({
      state: 'reserved',
      kind: 'stack',
      threadId: 77,
      details: 'Stack of thread 77',
    });
    expect(at('0x1f0000')).toMatchObject({
      state: 'committed',
      kind: 'stack',
      allocationBase: '0x100000',
    });
    expect(at('0x400000')).toMatchObject({ kind: 'image', path: 'C:\\app\\demo.exe' });
    expect(at('0x401000')).toMatchObject({ kind: 'image', protect: 'PAGE_EXECUTE_READ' });
    expect(at('0x200000')).toMatchObject({ kind: 'mappedFile', details: NO_VIEW_NAME });
    expect(at('0x7ff000').details).toBe('TEB of thread 77');
    // A free range that ends off a 64 KiB boundary leaves an unusable piece, as VMMap shows it.
    expect(s.regions.some((r) => r.kind === 'unusable')).toBe(true);
    expect(s.counters).toMatchObject({
      workingSetSize: 123 * 4096,
      privateUsage: 456 * 4096,
      pageFaultCount: 789,
    });
    expect(s.workingSetUnknown).toBeDefined();
    expect(s.origin).toMatchObject({ kind: 'minidump', file: 'demo.dmp' });
    expect(s.origin!.captured).toEqual(
      expect.arrayContaining([
        'MemoryInfoListStream',
        'ThreadInfoListStream',
        'ProcessVmCountersStream',
      ]),
    );
    // The JSON format carries the origin and reads back.
    expect(parseSnapshotJson(snapshotToJson(s)).origin).toEqual(s.origin);
  });

  it('without MemoryInfoListStream open from modules and captured memory, saying what is missing', () => {
    const parts = process64();
    delete parts.memoryInfo;
    const s = validateSnapshot(open('partial.dmp', buildMinidump({ ...parts, memory32: true })));
    expect(s.origin!.missing[0]).toMatch(/^MemoryInfoListStream/);
    expect(s.regions.find((r) => r.base === '0x400000')).toMatchObject({
      kind: 'image',
      size: 0x4000,
      protect: null,
    });
    expect(s.regions.find((r) => r.base === '0x1ff000')).toMatchObject({
      state: 'committed',
      type: 'private',
    });
    expect(s.regions.every((r) => r.state !== 'free')).toBe(true);
  });

  it('refuse a bad signature, and a directory entry past the end, naming the structure and offset', () => {
    const good = buildMinidump(process64());
    expect(dumpKindOf(good)).toBe('minidump');
    const bad = Buffer.from(good);
    bad.writeUInt32LE(0xffff, 4);
    expect(() => open('bad.dmp', bad)).toThrow(/MINIDUMP_HEADER at offset 0x4/);
    const far = Buffer.from(good);
    const directory = far.readUInt32LE(12);
    far.writeUInt32LE(0xfffffff0, directory + 8);
    expect(() => open('far.dmp', far)).toThrow(VmscopeError);
    expect(() => open('far.dmp', far)).toThrow(
      /directory entry 0\) at offset 0x[0-9a-f]+ points past the end/,
    );
  });
});

function core64(): Parameters<typeof buildCore>[0] {
  const elf = Buffer.alloc(4096);
  elf.writeUInt32LE(0x464c457f, 0);
  return {
    pid: 999,
    command: 'a-very-long-program-name',
    arguments: '/opt/a-very-long-program-name --flag',
    segments: [
      { address: 0x400000n, size: 0x1000n, flags: 4, bytes: elf },
      { address: 0x401000n, size: 0x2000n, flags: 5 },
      { address: 0x2000000n, size: 0x21000n, flags: 6, bytes: Buffer.alloc(16, 1) },
      { address: 0x7f0000000000n, size: 0x1000n, flags: 4, bytes: elf },
      { address: 0x7f0000010000n, size: 0x1000n, flags: 0 },
      { address: 0x7f0000011000n, size: 0x8000n, flags: 6 },
      { address: 0x7ffd00000000n, size: 0x21000n, flags: 6, bytes: Buffer.alloc(0x21000, 2) },
      { address: 0x7ffd00100000n, size: 0x4000n, flags: 4 },
      { address: 0x7ffd00104000n, size: 0x2000n, flags: 5 },
    ],
    files: [
      { start: 0x400000n, end: 0x401000n, pageOffset: 0n, path: '/opt/a-very-long-program-name' },
      { start: 0x401000n, end: 0x403000n, pageOffset: 1n, path: '/opt/a-very-long-program-name' },
      { start: 0x7f0000000000n, end: 0x7f0000001000n, pageOffset: 0n, path: '/usr/lib/plugin.so' },
    ],
    threads: [
      { tid: 999, sp: 0x7ffd00020000n },
      { tid: 1000, sp: 0x7f0000018000n },
    ],
    auxv: [
      [3, 0x400040n], // AT_PHDR
      [6, 4096n], // AT_PAGESZ
      [31, 0x7ffd00020f00n], // AT_EXECFN
      [33, 0x7ffd00104000n], // AT_SYSINFO_EHDR
    ],
  };
}

describe('ELF cores built from the kernel layout', () => {
  it('open as snapshots with the Linux rules: images, heap, stacks, vDSO and vvar by the auxiliary vector', () => {
    const s = validateSnapshot(open('core', buildCore(core64())));
    expect(s.source).toBe('linux');
    expect(s.process).toMatchObject({
      pid: 999,
      name: 'a-very-long-program-name',
      path: '/opt/a-very-long-program-name',
      commandLine: '/opt/a-very-long-program-name --flag',
    });
    const at = (base: string) => s.regions.find((r) => r.base === base)!;
    expect(at('0x400000')).toMatchObject({ kind: 'image', allocationBase: '0x400000' });
    expect(at('0x401000')).toMatchObject({
      kind: 'image',
      allocationBase: '0x400000',
      protect: 'PAGE_EXECUTE_READ',
    });
    expect(at('0x2000000')).toMatchObject({ kind: 'heap', details: 'brk heap' });
    // Mapped read-only, never executable, but its captured first page is an ELF header.
    expect(at('0x7f0000000000')).toMatchObject({ kind: 'image', path: '/usr/lib/plugin.so' });
    // The guard page and the stack above it are one allocation: thread 1000's stack.
    expect(at('0x7f0000010000')).toMatchObject({
      state: 'reserved',
      kind: 'stack',
      threadId: 1000,
    });
    expect(at('0x7f0000011000')).toMatchObject({
      kind: 'stack',
      threadId: 1000,
      allocationBase: '0x7f0000010000',
    });
    expect(at('0x7ffd00000000')).toMatchObject({ kind: 'stack', threadId: 999 });
    expect(at('0x7ffd00100000').details).toBe('[vvar]');
    expect(at('0x7ffd00104000').details).toBe('[vdso]');
    expect(s.counters.workingSetSize).toBeNull();
    expect(s.origin!.captured).toEqual([
      'PT_LOAD',
      'NT_PRSTATUS',
      'NT_PRPSINFO',
      'NT_AUXV',
      'NT_FILE',
    ]);
  });

  it('a core cut off mid-memory still opens, saying how much is missing; one cut in its headers does not', () => {
    const whole = buildCore(core64());
    const cut = whole.subarray(0, whole.length - 0x10000);
    const s = open('cut-core', cut);
    expect(s.origin!.missing.some((m) => /cut off/.test(m))).toBe(true);
    expect(() => open('cut-core', whole.subarray(0, 200))).toThrow(
      /program header table at offset 0x40 needs/,
    );
  });

  it('captured bytes read back with not-captured holes around and between segments', () => {
    const bytes = buildCore(core64());
    const file = dumpFileFromBytes('core', bytes);
    const core = readElfCore(file);
    const contents = new DumpContents(file, capturedRanges(core));
    const chunk = contents.read(0x2000000n - 8n, 32);
    expect(chunk.address).toBe('0x1fffff8');
    expect(chunk.holes).toEqual([
      { offset: 0, size: 8, reason: 'not-captured' },
      { offset: 24, size: 8, reason: 'not-captured' },
    ]);
    expect([...chunk.bytes.subarray(8, 24)]).toEqual(new Array(16).fill(1));
    expect([...chunk.bytes.subarray(0, 8)]).toEqual(new Array(8).fill(0));
    expect(() => contents.read(0n, 17 * 1024 * 1024)).toThrow(VmscopeError);
  });
});

describe('opening a dump from the pieces the service asks for (the page holds the file)', () => {
  for (const [name, bytes] of [
    ['minidump', buildMinidump(process64())],
    ['core', buildCore(core64())],
  ] as const) {
    it(`a ${name} opens in a few rounds from a fraction of its bytes, as the whole file would`, () => {
      const pieces: { offset: number; data: string }[] = [];
      let sent = 0;
      for (let round = 1; round <= 8; round++) {
        const answer = snapshotFromDumpPieces(name, bytes.length, pieces);
        if ('snapshot' in answer) {
          const whole = open(name, bytes);
          expect(answer.snapshot.regions).toEqual(whole.regions);
          // Neither file knows when it was written, so each says now: the rest must be equal.
          expect({ ...answer.snapshot, durationMs: 0, takenAt: '' }).toMatchObject({
            ...whole,
            durationMs: 0,
            takenAt: '',
          });
          expect(sent).toBeLessThan(bytes.length);
          return;
        }
        for (const r of answer.need) {
          const piece = bytes.subarray(r.offset, r.offset + r.length);
          sent += piece.length;
          pieces.push({ offset: r.offset, data: Buffer.from(piece).toString('base64') });
        }
      }
      throw new Error('did not open within 8 rounds');
    });
  }

  it('a malformed dump is refused once nothing more is missing', () => {
    const bad = Buffer.from(buildMinidump(process64()));
    bad.writeUInt32LE(0xffff, 4);
    const first = snapshotFromDumpPieces('bad', bad.length, []);
    expect('need' in first).toBe(true);
    const head = { offset: 0, data: bad.subarray(0, 32).toString('base64') };
    expect(() => snapshotFromDumpPieces('bad', bad.length, [head])).toThrow(/MINIDUMP_HEADER/);
  });
});
