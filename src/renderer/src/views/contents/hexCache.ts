/**
 * The bytes a hex view has read, by 64 KiB block of the process's address space: a block is read
 * with one region.read the first time a row of it is on screen, and kept until a refresh.
 */
import type { MemoryRead } from '../../../../shared/api';
import type { HoleReason, MemoryHole } from '../../../../shared/memoryContents';

export const BLOCK = 64 * 1024;

export type Block =
  | { status: 'loading' }
  | { status: 'ready'; bytes: Uint8Array; mask: Uint8Array; holes: MemoryHole[] }
  | { status: 'error'; message: string };

/** A read with its holes also as a per-byte mask (1 = hole), for drawing. */
export function blockOf(read: MemoryRead): Block {
  const mask = new Uint8Array(read.bytes.length);
  for (const h of read.holes) mask.fill(1, h.offset, h.offset + h.size);
  return { status: 'ready', bytes: read.bytes, mask, holes: read.holes };
}

/** One byte as a copy takes it: its value, or the reason it could not be read; null while loading. */
export type ByteCell = { value: number } | { hole: HoleReason } | null;

/** Selected bytes as hex pairs ("?? " for a hole) or as text (a dot for a hole or a control byte). */
export function selectionText(cells: ByteCell[], as: 'hex' | 'text'): string {
  if (as === 'hex')
    return cells
      .map((c) => (c && 'value' in c ? c.value.toString(16).padStart(2, '0') : '??'))
      .join(' ');
  return cells
    .map((c) =>
      c && 'value' in c && c.value >= 0x20 && c.value < 0x7f ? String.fromCharCode(c.value) : '.',
    )
    .join('');
}
