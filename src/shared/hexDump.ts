/**
 * The xxd-like text of memory: per line an address (16 hex digits), 16 bytes in pairs, and their
 * ASCII. Bytes under a hole print as `??` with a blank in the ASCII column: unreadable is not zero.
 */
import type { MemoryHole } from './memoryContents';

export const BYTES_PER_LINE = 16;

/** A mask of the bytes under holes (1 = hole), or null when there is none. */
export function holeMask(length: number, holes: readonly MemoryHole[]): Uint8Array | null {
  if (holes.length === 0) return null;
  const mask = new Uint8Array(length);
  for (const h of holes) mask.fill(1, h.offset, Math.min(length, h.offset + h.size));
  return mask;
}

export function asciiOf(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}

/** One line of the dump: `bytes[from, from + 16)` at `address`. */
export function hexDumpLine(
  address: bigint,
  bytes: Uint8Array,
  from: number,
  mask: Uint8Array | null,
): string {
  let hex = '';
  let ascii = '';
  for (let i = 0; i < BYTES_PER_LINE; i++) {
    const at = from + i;
    if (i > 0 && i % 2 === 0) hex += ' ';
    if (at >= bytes.length) {
      hex += '  ';
      continue;
    }
    if (mask?.[at]) {
      hex += '??';
      ascii += ' ';
    } else {
      hex += bytes[at]!.toString(16).padStart(2, '0');
      ascii += asciiOf(bytes[at]!);
    }
  }
  return `${address.toString(16).padStart(16, '0')}: ${hex}  ${ascii}`;
}

/** Every line of a dump of `bytes` read at `address`. */
export function hexDumpLines(
  address: bigint,
  bytes: Uint8Array,
  holes: readonly MemoryHole[],
): string[] {
  const mask = holeMask(bytes.length, holes);
  const lines: string[] = [];
  for (let from = 0; from < bytes.length; from += BYTES_PER_LINE)
    lines.push(hexDumpLine(address + BigInt(from), bytes, from, mask));
  return lines;
}
