/**
 * Property-based fuzzing of the dump and core parsers (issue 21, point 5): valid files built from
 * the documented layouts, then truncated, bit-flipped, and with directory entries, program headers
 * and note sizes pointing anywhere. The property: opening either yields a sound snapshot (one that
 * validateSnapshot accepts, whose captured bytes read back) or a `malformed-file` VmscopeError,
 * never another exception, a read past the end, or a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DumpContents } from '../../src/core/dumps/dumpContents';
import { type DumpFile, dumpFileFromBytes } from '../../src/core/dumps/dumpFile';
import { capturedRanges, readElfCore } from '../../src/core/dumps/elfCore';
import { readMinidump } from '../../src/core/dumps/minidump';
import { snapshotFromDumpFile } from '../../src/core/dumps/openDump';
import { VmscopeError } from '../../src/shared/errors';
import { validateSnapshot } from '../../src/shared/snapshotValidate';
import { buildCore, buildMinidump } from '../support/dumpBuilders';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Every read checked against the file: a read past the end fails the property outright. */
function strictFile(bytes: Uint8Array): DumpFile {
  const file = dumpFileFromBytes('fuzzed', bytes);
  const readAvailable = file.readAvailable.bind(file);
  return Object.assign(file, {
    readAvailable(offset: number, length: number) {
      const got = readAvailable(offset, length);
      expect(offset + got.length).toBeLessThanOrEqual(bytes.length);
      return got;
    },
  });
}

/** Opens the bytes; true for a sound snapshot, false for a malformed-file refusal; throws otherwise. */
function opens(bytes: Uint8Array): boolean {
  const file = strictFile(bytes);
  try {
    const snapshot = validateSnapshot(snapshotFromDumpFile(file, {}));
    const ranges =
      snapshot.origin?.kind === 'core'
        ? capturedRanges(readElfCore(file))
        : readMinidump(file).memory;
    const contents = new DumpContents(file, ranges);
    for (const r of ranges.slice(0, 8)) contents.read(r.address, Math.min(r.size, 4096));
    return true;
  } catch (err) {
    if (err instanceof VmscopeError && err.code === 'malformed-file') return false;
    throw err;
  }
}

function minidump(): Buffer {
  const teb = 0x7ff000n;
  const tebBytes = Buffer.alloc(0x1480);
  tebBytes.writeBigUInt64LE(0x1f0000n, 0x10);
  return buildMinidump({
    pid: 7,
    memoryInfo: [
      {
        base: 0x100000n,
        allocationBase: 0x100000n,
        allocationProtect: 4,
        size: 0xf0000n,
        state: 0x2000,
        protect: 0,
        type: 0x20000,
      },
      {
        base: 0x1f0000n,
        allocationBase: 0x100000n,
        allocationProtect: 4,
        size: 0x10000n,
        state: 0x1000,
        protect: 4,
        type: 0x20000,
      },
      {
        base: 0x400000n,
        allocationBase: 0x400000n,
        allocationProtect: 2,
        size: 0x4000n,
        state: 0x1000,
        protect: 2,
        type: 0x1000000,
      },
      {
        base: teb,
        allocationBase: teb,
        allocationProtect: 4,
        size: 0x2000n,
        state: 0x1000,
        protect: 4,
        type: 0x20000,
      },
    ],
    modules: [{ base: 0x400000n, size: 0x4000, path: 'C:\\x.exe' }],
    threads: [{ id: 1, teb, stack: 0x1ff000n, stackBytes: 0x1000 }],
    threadInfo: true,
    memory: [
      { address: teb, bytes: tebBytes },
      { address: 0x1ff000n, bytes: Buffer.alloc(0x1000, 3) },
    ],
    vmCounters: { workingSetSize: 4096, privateUsage: 8192, pageFaultCount: 3 },
  });
}

function core(): Buffer {
  return buildCore({
    pid: 5,
    command: 'prog',
    segments: [
      { address: 0x400000n, size: 0x1000n, flags: 5, bytes: Buffer.from('\x7fELF....') },
      { address: 0x600000n, size: 0x21000n, flags: 6, bytes: Buffer.alloc(64, 1) },
      { address: 0x7ffd0000n, size: 0x21000n, flags: 6 },
    ],
    files: [{ start: 0x400000n, end: 0x401000n, pageOffset: 0n, path: '/bin/prog' }],
    threads: [{ tid: 5, sp: 0x7ffd1000n }],
    auxv: [
      [3, 0x400040n],
      [31, 0x7ffd1000n],
    ],
  });
}

const mutations = (size: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(size) }),
    fc.record({
      kind: fc.constant('flip' as const),
      bits: fc.array(fc.nat(size * 8 - 1), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      kind: fc.constant('poke' as const),
      at: fc.nat(size - 4),
      value: fc.oneof(fc.constant(0xffffffff), fc.constant(0), fc.nat(size * 2), fc.nat()),
    }),
  );

type Mutation = ReturnType<typeof mutations> extends fc.Arbitrary<infer T> ? T : never;

/** Positions wrap to the bytes at hand (an earlier mutation may have cut them short). */
function mutate(bytes: Buffer, m: Mutation): Buffer {
  if (m.kind === 'truncate') return bytes.subarray(0, Math.min(m.at, bytes.length));
  const out = Buffer.from(bytes);
  if (m.kind === 'flip') {
    for (const bit of m.bits) if (out.length > 0) out[(bit >> 3) % out.length]! ^= 1 << (bit & 7);
  } else if (out.length >= 4) out.writeUInt32LE(m.value >>> 0, m.at % (out.length - 3));
  return out;
}

describe('the dump parsers, fuzzed', () => {
  it('the unmutated files open', () => {
    expect(opens(minidump())).toBe(true);
    expect(opens(core())).toBe(true);
  });

  for (const [name, build] of [
    ['minidump', minidump],
    ['core', core],
  ] as const) {
    it(`a ${name} truncated, bit-flipped or poked anywhere opens soundly or is refused as malformed`, () => {
      const valid = build();
      fc.assert(
        fc.property(fc.array(mutations(valid.length), { minLength: 1, maxLength: 3 }), (ms) => {
          let bytes = valid;
          for (const m of ms) bytes = mutate(bytes, m);
          opens(bytes);
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 21) },
      );
    });
  }

  it('minidump directory entries pointing anywhere are refused or read within the file', () => {
    const valid = minidump();
    const directory = valid.readUInt32LE(12);
    const count = valid.readUInt32LE(8);
    fc.assert(
      fc.property(fc.nat(count - 1), fc.nat(), fc.nat(), (entry, size, rva) => {
        const bytes = Buffer.from(valid);
        bytes.writeUInt32LE(size >>> 0, directory + entry * 12 + 4);
        bytes.writeUInt32LE(rva >>> 0, directory + entry * 12 + 8);
        opens(bytes);
      }),
      { numRuns: RUNS, seed: 22 },
    );
  });

  it('core program headers and notes pointing anywhere are refused or read within the file', () => {
    const valid = core();
    const phnum = valid.readUInt16LE(56);
    fc.assert(
      fc.property(
        fc.nat(phnum - 1),
        fc.constantFrom(8, 16, 32, 40),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (ph, field, value) => {
          const bytes = Buffer.from(valid);
          bytes.writeBigUInt64LE(value, 64 + ph * 56 + field);
          opens(bytes);
        },
      ),
      { numRuns: RUNS, seed: 23 },
    );
  });
});
