import type { ScanStep } from './chunkScan';
import { readableSpans } from './chunkScan';

/**
 * Offsets (from the chunk's start) where `pattern` begins among the chunk's first `advance` bytes,
 * wholly inside readable bytes: a hole is never part of a match.
 */
export function findInChunk(step: ScanStep, pattern: Uint8Array): number[] {
  const { bytes } = step.chunk;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const needle = Buffer.from(pattern.buffer, pattern.byteOffset, pattern.byteLength);
  const found: number[] = [];
  for (const [from, to] of readableSpans(step.chunk)) {
    const span = buf.subarray(from, to);
    for (let at = span.indexOf(needle); at >= 0; at = span.indexOf(needle, at + 1)) {
      if (from + at >= step.advance) break;
      found.push(from + at);
    }
  }
  return found;
}
