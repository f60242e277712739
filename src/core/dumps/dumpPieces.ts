import { VmscopeError } from '../../shared/errors';
import {
  type ByteRange,
  type DumpPiece,
  type DumpReadResult,
  MAX_DUMP_PIECE_BYTES,
} from '../../shared/dumpPieces';
import { validateSnapshot } from '../../shared/snapshotValidate';
import { type DumpFile, malformed } from './dumpFile';
import { snapshotFromDumpFile } from './openDump';

/**
 * A file of which only some pieces are here. A read of bytes that are not is answered with zeros
 * and remembered, so one pass of the parser learns every range it needs at this depth (a wrong
 * guess from the zeros is discarded: that pass's result only counts when nothing was missing).
 */
export class PiecesFile implements DumpFile {
  readonly modified = null;
  readonly missing: ByteRange[] = [];

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly pieces: readonly FilePiece[],
  ) {}

  private fill(offset: number, length: number): Buffer {
    const out = Buffer.alloc(length);
    let covered = 0;
    for (const p of this.pieces) {
      const from = Math.max(offset, p.offset);
      const to = Math.min(offset + length, p.offset + p.bytes.length);
      if (to <= from) continue;
      p.bytes.copy(out, from - offset, from - p.offset, to - p.offset);
      covered += to - from;
    }
    if (covered < length) this.missing.push({ offset, length });
    return out;
  }

  read(offset: number, length: number, what: string): Buffer {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0)
      malformed(this.name, what, Math.max(0, offset || 0), 'has an impossible offset or size');
    if (offset > this.size || length > this.size - offset)
      malformed(
        this.name,
        what,
        offset,
        `needs ${length} bytes but the file ends at 0x${this.size.toString(16)}`,
      );
    return this.fill(offset, length);
  }

  readAvailable(offset: number, length: number): Buffer {
    if (offset >= this.size || length <= 0) return Buffer.alloc(0);
    return this.fill(offset, Math.min(length, this.size - offset));
  }

  close(): void {}
}

export interface FilePiece {
  offset: number;
  bytes: Buffer;
}

/** Refuses pieces past MAX_DUMP_PIECE_BYTES in all (`what`: what they are for). */
export function withinPieceCap<P extends FilePiece[]>(name: string, pieces: P, what: string): P {
  const total = pieces.reduce((sum, p) => sum + p.bytes.length, 0);
  if (total > MAX_DUMP_PIECE_BYTES)
    throw new VmscopeError(
      'limit-exceeded',
      `${name} needs more than ${MAX_DUMP_PIECE_BYTES / 1024 / 1024} MiB of ${what} to open in the page; open it with \`vmscope serve --open FILE\` or \`vmscope snapshot --dump FILE\`.`,
    );
  return pieces;
}

/** The pieces as bytes, within the cap. */
export function decodePieces(
  name: string,
  pieces: readonly DumpPiece[],
  what: string,
): FilePiece[] {
  const decoded = pieces.map((p) => ({ offset: p.offset, bytes: Buffer.from(p.data, 'base64') }));
  return withinPieceCap(name, decoded, what);
}

/**
 * Runs `use` over a file of which only `pieces` are here: its result when it read nothing else,
 * or the ranges it still needs (merged, in file order).
 */
export function withPieces<T>(
  name: string,
  size: number,
  pieces: readonly FilePiece[],
  use: (file: DumpFile) => T,
): { value: T } | { need: ByteRange[] } {
  const file = new PiecesFile(name, size, pieces);
  let result: { value: T } | null = null;
  let failure: Error | null = null;
  try {
    result = { value: use(file) };
  } catch (err) {
    // A parse that ran out of the pieces sent so far fails too: it is only final once none is missing.
    failure = err instanceof Error ? err : new Error(String(err));
  }
  if (file.missing.length > 0) return { need: mergeRanges(file.missing) };
  if (failure !== null) throw failure;
  return result!;
}

/**
 * One round of opening a dump from pieces: the snapshot, when the pieces held everything the
 * parser read, or the ranges still needed.
 */
export function snapshotFromDumpPieces(
  name: string,
  size: number,
  pieces: DumpPiece[],
): DumpReadResult {
  const got = withPieces(name, size, decodePieces(name, pieces, 'headers'), (file) =>
    validateSnapshot(snapshotFromDumpFile(file)),
  );
  return 'value' in got ? { snapshot: got.value } : got;
}

function mergeRanges(ranges: ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
  const merged: ByteRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.offset <= last.offset + last.length) {
      last.length = Math.max(last.length, r.offset + r.length - last.offset);
    } else merged.push({ ...r });
  }
  return merged;
}
