/**
 * Opening a core file: a 2 GiB core of a 60,000-mapping process (written sparse from the kernel's
 * layout: headers, notes and program headers as the kernel writes them, the memory holes) opens to
 * a snapshot vs `readelf -l` listing its program headers (goal: at most 2x), interleaved. And the
 * bytes read from the file per mapping, which must not grow with the file's size (memory bounded
 * by the mapping count: the memory itself is never read).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DumpFile, openDumpFile } from '../src/core/dumps/dumpFile';
import { snapshotFromDumpFile } from '../src/core/dumps/openDump';
import { regionCount } from '../src/shared/snapshotColumns';
import { coreLayout, type CoreParts } from '../test/support/dumpBuilders';
import { type Bench, type BenchFigure, fromStats, interleaved, referenceOf } from './harness';
import { BENCH_NAMES } from './names';

const MAPPINGS = 60_000;
const FILE_BYTES = 2 * 1024 ** 3;
const PF_R = 4;
const PF_W = 2;
const PF_X = 1;

/** A process like the 60,000-mapping helper: libraries, anonymous memory and guard pages. */
function manyMappings(): CoreParts {
  const segments: CoreParts['segments'] = [];
  const files: NonNullable<CoreParts['files']> = [];
  let address = 0x7f0000000000n;
  for (let i = 0; i < MAPPINGS; i++) {
    // Per four mappings: a library's code (not dumped) and first page (its ELF header, dumped),
    // 128 KiB of anonymous memory (dumped whole: the 2 GiB) and a guard page.
    const kind = i % 4;
    const size = kind === 2 ? 0x20000n : kind === 3 ? 0x1000n : 0x8000n;
    const flags = [PF_R | PF_X, PF_R, PF_R | PF_W, 0][kind]!;
    segments.push({ address, size, flags, captured: [0, 4096, 0x20000, 0][kind]! });
    if (kind < 2)
      files.push({
        start: address,
        end: address + size,
        pageOffset: BigInt(kind * 8),
        path: `/usr/lib/x86_64-linux-gnu/libbench${i >> 2}.so.1`,
      });
    address += size;
  }
  return {
    pid: 4321,
    command: 'manymaps',
    segments,
    files,
    threads: [{ tid: 4321, sp: 0x7ffd00001000n }],
    auxv: [[6, 4096n]],
  };
}

/** The core written sparse: its headers and notes, then a hole to 2 GiB. */
export function writeBenchCore(path: string): void {
  const { head, size } = coreLayout(manyMappings());
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head, 0, head.length, 0);
    ftruncateSync(fd, Math.max(size, FILE_BYTES));
  } finally {
    closeSync(fd);
  }
}

/** Counts the bytes the parser reads. */
function counting(file: DumpFile): DumpFile & { bytesRead: number } {
  const counted = Object.assign(file, { bytesRead: 0 });
  const read = file.read.bind(file);
  const readAvailable = file.readAvailable.bind(file);
  counted.read = (offset, length, what) => (
    (counted.bytesRead += length),
    read(offset, length, what)
  );
  counted.readAvailable = (offset, length) => {
    const got = readAvailable(offset, length);
    counted.bytesRead += got.length;
    return got;
  };
  return counted;
}

export const dumpsBench: Bench = {
  name: BENCH_NAMES.dumps,
  skipReason: () =>
    spawnSync('readelf', ['--version'], { stdio: 'ignore' }).error
      ? 'readelf is not installed (binutils)'
      : null,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-bench-core-'));
    const path = join(dir, 'core');
    try {
      writeBenchCore(path);
      const open = (): unknown => {
        const file = openDumpFile(path);
        try {
          return regionCount(snapshotFromDumpFile(file));
        } finally {
          file.close();
        }
      };
      const readelf = (): void => {
        const r = spawnSync('readelf', ['-lW', path], {
          stdio: ['ignore', 'ignore', 'pipe'],
          maxBuffer: 1 << 30,
        });
        if (r.status !== 0) throw new Error(`readelf failed: ${r.stderr}`);
      };
      // The first open in this process, JIT cold: a figure of its own, never mixed into the warm ones.
      const coldStart = performance.now();
      open();
      const coldMs = performance.now() - coldStart;
      const { a, b } = await interleaved({ a: open, b: readelf }, { runs: 7, warmup: 6 });
      const figures: BenchFigure[] = [
        fromStats('core file to snapshot', a, 'ms', {
          reference: referenceOf('readelf -l', b, 'ms'),
          ratio: a.median / b.median,
          goal: { of: 'ratio', op: '<=', limit: 2 },
        }),
      ];
      figures.push({
        name: 'core file to snapshot, first open in a fresh process (cold)',
        value: coldMs,
        unit: 'ms',
        noReference:
          'one cold run (the code not yet compiled by the JIT); the warm figure above has the goal',
      });
      const file = counting(openDumpFile(path));
      try {
        snapshotFromDumpFile(file);
      } finally {
        file.close();
      }
      figures.push({
        name: 'bytes read from the core per mapping',
        value: file.bytesRead / MAPPINGS,
        unit: 'B',
        noReference: `a count, not a time: ${(file.bytesRead / 1e6).toFixed(1)} MB read of a ${(FILE_BYTES / 1024 ** 3).toFixed(0)} GiB file`,
        goal: { of: 'value', op: '<', limit: 512 },
      });
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
