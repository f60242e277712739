/**
 * Opening a dump or core file the UI was given (a file dialog or a drop), where only the page has
 * the file: the service parses it, and asks for the byte ranges it needs; the page reads just
 * those ranges (File.slice) and asks again with them. A dump of many gigabytes is never uploaded
 * whole: only its headers, directory, streams or notes, and the few structures read in its
 * memory (a PEB, TEBs), typically a few hundred kilobytes (docs/dumps.md).
 */
import type { Snapshot } from './model';

/** Raw bytes one request may carry: 10 MiB, under the browser host's 16 MiB body cap as base64. */
export const MAX_DUMP_PIECE_BYTES = 10 * 1024 * 1024;
/** Rounds of asking before giving up: a sound file needs about five (header, directory, streams, PEB, heaps). */
export const MAX_DUMP_ROUNDS = 16;
/** The first bytes that tell a dump from a JSON snapshot. */
export const DUMP_MAGIC_BYTES = 32;

export interface DumpPiece {
  offset: number;
  /** The bytes at `offset`, base64. */
  data: string;
}

export interface ByteRange {
  offset: number;
  length: number;
}

export type DumpReadResult = { snapshot: Snapshot } | { need: ByteRange[] };

/** A Windows minidump ("MDMP") or an ELF core file (ET_CORE), by its first bytes. */
export function looksLikeDump(head: Uint8Array): boolean {
  const minidump = head[0] === 0x4d && head[1] === 0x44 && head[2] === 0x4d && head[3] === 0x50;
  const core =
    head.length >= 18 &&
    head[0] === 0x7f &&
    head[1] === 0x45 &&
    head[2] === 0x4c &&
    head[3] === 0x46 &&
    head[16] === 4 &&
    head[17] === 0;
  return minidump || core;
}

/**
 * A dump the page holds, for its contents (hex view, strings, search, statistics): the service
 * keeps its captured-memory table and asks the page, through the `files.hold` stream, for the
 * byte ranges each read needs; the page answers with `files.feed`, the token proving it holds
 * the file. Nothing is uploaded whole (docs/dumps.md).
 */
export type HoldEvent =
  | { need: { token: string; request: number; ranges: ByteRange[] } }
  /** The dump is open: the contents calls take `file` to read it. */
  | { held: { file: number } };

/** Dumps held at once per service: opening one more closes the oldest. */
export const MAX_HELD_DUMPS = 8;
