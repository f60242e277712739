/**
 * The text of one hex row: its bytes as hex pairs and as ASCII, from the block that holds them,
 * and the byte under a character of that text (a click on a row drawn as plain text).
 */
import type { Block } from './hexCache';

/** Bytes a row: 16, or 8 in the details pane's narrow preview. */
export const ROW = 16;
export const COMPACT_ROW = 8;
export const ROW_HEIGHT = 18;

const HEX = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));
const ASCII = Array.from({ length: 256 }, (_, n) =>
  n >= 0x20 && n < 0x7f ? String.fromCharCode(n) : '.',
);

/** What goes between byte i and byte i + 1 of a row of `perRow` in the hex column: a space, two in the middle. */
export const gapAfter = (i: number, perRow: number): string => (i === perRow / 2 - 1 ? '  ' : ' ');

/** Where byte i of a row of `perRow` starts in its hex text. */
export const hexStart = (i: number, perRow: number): number => 3 * i + (i < perRow / 2 ? 0 : 1);

/**
 * The byte under a character of a row's text (a click on a row drawn as plain text): in the hex
 * column byte i takes characters 3i to 3i + 1 (and one more from the middle on, for the middle
 * gap); in the ASCII column byte i is character i. A click on a gap counts for the byte before it.
 */
export function byteAtChar(
  column: 'hex' | 'ascii',
  char: number,
  length: number,
  perRow: number = ROW,
): number {
  const middle = 3 * (perRow / 2);
  const byte = column === 'ascii' ? char : Math.floor((char < middle ? char : char - 1) / 3);
  return Math.max(0, Math.min(byte, length - 1));
}

export interface RowText {
  /** "56 4d 53 …  …": `··` for a byte not read yet, `??` for a hole. */
  hex: string;
  /** One character a byte: a dot for a control byte, a blank for a hole or a byte not read yet. */
  ascii: string;
  /** Whether any byte of the row is a hole. */
  holes: boolean;
}

/** The text of `length` bytes of a row starting at `at` in `block` (undefined or loading: not read yet). */
export function rowText(
  block: Block | undefined,
  at: number,
  length: number,
  perRow: number,
): RowText {
  const ready = block?.status === 'ready' ? block : null;
  let hex = '';
  let ascii = '';
  let holes = false;
  for (let i = 0; i < length; i++) {
    const value = ready?.bytes[at + i];
    const hole = ready !== null && ready.mask[at + i] === 1;
    if (hole) holes = true;
    hex += value === undefined ? '··' : hole ? '??' : HEX[value];
    if (i < length - 1) hex += gapAfter(i, perRow);
    ascii += value === undefined || hole ? ' ' : ASCII[value];
  }
  return { hex, ascii, holes };
}
