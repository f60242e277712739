import { VmscopeError } from '../../shared/errors';
import type { MemoryChunk, MemoryHole } from '../../shared/memoryContents';
import type { DumpFile } from './dumpFile';

/** A captured range of memory and where its bytes are in the file. */
export interface CapturedRange {
  address: bigint;
  size: number;
  fileOffset: number;
}

/** The most bytes one read returns, as for live reads. */
export const MAX_DUMP_READ = 16 * 1024 * 1024;

/**
 * The bytes a dump or core file captured, read on demand with positioned reads: the shape of
 * Source.readMemory, so the contents features (hex view, strings, search) work on dumps. Bytes
 * the file does not hold are holes with the reason `not-captured`, never zeros.
 */
export class DumpContents {
  /** Sorted by address, none empty. */
  readonly ranges: readonly CapturedRange[];

  constructor(
    private readonly file: DumpFile,
    ranges: readonly CapturedRange[],
  ) {
    // Sorted, empty ones dropped; where ranges overlap the first one in address order wins.
    this.ranges = ranges
      .filter((r) => r.size > 0)
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  /** Index of the first range ending above `address`. */
  private firstEndingAbove(address: bigint): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid]!;
      if (r.address + BigInt(r.size) <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** `file`: where the bytes are read, the file given at construction unless another copy is. */
  read(address: bigint, size: number, file: DumpFile = this.file): MemoryChunk {
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_DUMP_READ)
      throw new VmscopeError(
        'invalid-input',
        `A read is 0 to ${MAX_DUMP_READ} bytes, not ${size}.`,
      );
    if (address < 0n || address + BigInt(size) > 1n << 64n)
      throw new VmscopeError('invalid-input', 'The range lies outside the 64-bit address space.');
    const bytes = new Uint8Array(size);
    const holes: MemoryHole[] = [];
    const end = address + BigInt(size);
    let cursor = address;
    const hole = (to: bigint): void => {
      if (to <= cursor) return;
      holes.push({
        offset: Number(cursor - address),
        size: Number(to - cursor),
        reason: 'not-captured',
      });
      cursor = to;
    };
    for (let i = this.firstEndingAbove(address); i < this.ranges.length && cursor < end; i++) {
      const r = this.ranges[i]!;
      const rEnd = r.address + BigInt(r.size);
      if (rEnd <= cursor) continue;
      if (r.address >= end) break;
      hole(r.address);
      const to = rEnd < end ? rEnd : end;
      const length = Number(to - cursor);
      const got = file.readAvailable(r.fileOffset + Number(cursor - r.address), length);
      bytes.set(got, Number(cursor - address));
      cursor += BigInt(got.length);
      // A cut-off file: what should follow is not in it.
      hole(to);
    }
    hole(end);
    return { address: `0x${address.toString(16)}`, bytes, holes };
  }

  /** The bytes of a whole range, or null where any of it was not captured (PEB and TEB reads). */
  readWhole(address: bigint, size: number): Buffer | null {
    if (size > MAX_DUMP_READ || address <= 0n) return null;
    const chunk = this.read(address, size);
    return chunk.holes.length === 0 ? Buffer.from(chunk.bytes.buffer, 0, size) : null;
  }
}
