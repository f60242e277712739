import { VmscopeError } from '../../shared/errors';
import type { MemoryChunk } from '../../shared/memoryContents';
import type { ScanProgress } from '../../shared/memoryScan';
import type { Source } from '../sources/source';
import type { ScanTarget } from './scanTargets';

/** Bytes a scan reads at a time: big enough that a read's fixed cost vanishes, small enough to stop promptly. */
export const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

export interface ScanStep {
  target: ScanTarget;
  /**
   * The chunk read; its first `advance` bytes are new, the rest (the overlap) is read again next
   * time. Its bytes are overwritten by the next step: a consumer copies what it keeps.
   */
  chunk: MemoryChunk;
  /** The chunk's address as a number of bytes from the region's base. */
  offset: number;
  advance: number;
  /** The first chunk of a region (scanners that carry state across chunks reset here). */
  first: boolean;
  /** The last chunk of a region. */
  last: boolean;
  /**
   * On a region's last chunk: the next region read starts where this one ends, so the chunk's
   * overlap reaches into it and a match or a string may go on across the boundary.
   */
  joinsNext: boolean;
  /** On a region's first chunk: the region read before ends where this one starts. */
  joinsPrevious: boolean;
}

/** Whether a readMemory capability exists; the error says which sources have one. */
export function memoryReader(source: Source): NonNullable<Source['readMemory']> {
  if (!source.readMemory)
    throw new VmscopeError(
      'source-unavailable',
      `The ${source.id} source cannot read memory contents.`,
    );
  return source.readMemory.bind(source);
}

/**
 * Reads every target chunk by chunk, each chunk `overlap` bytes longer than its step so a pattern
 * that straddles two chunks is still found once. A region's last chunk reaches `overlap` bytes
 * into the next target when that one starts where it ends (two readable mappings side by side
 * are one stretch of memory to a program), never across a gap or an unread region. Stops between
 * chunks when `stopped()` says so.
 */
export async function* scanChunks(
  source: Source,
  pid: number,
  targets: readonly ScanTarget[],
  overlap: number,
  stopped: () => boolean,
  progress: ScanProgress,
  chunkBytes = SCAN_CHUNK_BYTES,
): AsyncGenerator<ScanStep> {
  const read = memoryReader(source);
  // One buffer lent to every read: each step is consumed before the next read.
  const buffer = new Uint8Array(Math.min(chunkBytes, maxSize(targets)) + overlap);
  let joinsPrevious = false;
  for (const [t, target] of targets.entries()) {
    const next = targets[t + 1];
    const joinsNext = next !== undefined && next.base === target.base + BigInt(target.size);
    for (let offset = 0; offset < target.size; offset += chunkBytes) {
      if (stopped()) return;
      const advance = Math.min(chunkBytes, target.size - offset);
      const last = offset + advance >= target.size;
      const beyond = last && joinsNext ? Math.min(overlap, next.size) : 0;
      const size = Math.min(advance + overlap, target.size - offset) + beyond;
      const chunk = await read(pid, target.base + BigInt(offset), size, buffer);
      progress.doneBytes += advance;
      yield {
        target,
        chunk,
        offset,
        advance,
        first: offset === 0,
        last,
        joinsNext: last && joinsNext,
        joinsPrevious: offset === 0 && joinsPrevious,
      };
    }
    joinsPrevious = joinsNext;
    progress.regionsDone++;
  }
}

function maxSize(targets: readonly ScanTarget[]): number {
  return targets.reduce((max, t) => Math.max(max, t.size), 0);
}

export function newProgress(targets: readonly ScanTarget[]): ScanProgress {
  return {
    doneBytes: 0,
    totalBytes: targets.reduce((sum, t) => sum + t.size, 0),
    regionsDone: 0,
    regionsTotal: targets.length,
  };
}

/** The readable stretches of a chunk, [from, to) byte offsets between its holes. */
export function readableSpans(chunk: MemoryChunk, length = chunk.bytes.length): [number, number][] {
  const spans: [number, number][] = [];
  let cursor = 0;
  for (const hole of chunk.holes) {
    if (hole.offset >= length) break;
    if (hole.offset > cursor) spans.push([cursor, hole.offset]);
    cursor = Math.max(cursor, hole.offset + hole.size);
  }
  if (cursor < length) spans.push([cursor, length]);
  return spans;
}
