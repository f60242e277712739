import { memo } from 'react';
import type { Block } from './hexCache';
import { i18next } from '../../i18n';

/** Bytes a row: 16, or 8 in the details pane's narrow preview. */
export const ROW = 16;
export const COMPACT_ROW = 8;
export const ROW_HEIGHT = 18;

const HEX = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));
const ASCII = Array.from({ length: 256 }, (_, n) =>
  n >= 0x20 && n < 0x7f ? String.fromCharCode(n) : '.',
);

/** What goes between byte i and byte i + 1 of a row of `perRow` in the hex column: a space, two in the middle. */
const gapAfter = (i: number, perRow: number): string => (i === perRow / 2 - 1 ? '  ' : ' ');

/** Where byte i of a row of `perRow` starts in its hex text. */
const hexStart = (i: number, perRow: number): number => 3 * i + (i < perRow / 2 ? 0 : 1);

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

export interface HexRowProps {
  /** The row's first byte, as an offset in the region (the data-offset of its cells). */
  rowOffset: number;
  /** Its address: 16 hex digits. */
  addressText: string;
  /** The block holding the row (a row never straddles two: rows and blocks are 16-aligned). */
  block: Block | undefined;
  /** Where the row starts in the block. */
  at: number;
  /** Bytes a row (ROW or COMPACT_ROW). */
  perRow: number;
  /** Bytes of the row inside the region (perRow, or fewer on its last row). */
  length: number;
  /** The selected bytes of this row, as row indexes [from, to); from >= to when none. */
  selFrom: number;
  selTo: number;
  top: number;
}

/**
 * One row of the hex view, memoized. A row without holes or selection (nearly all of them) is
 * three texts, so scrolling a screenful creates a few elements, not a hundred: a span per byte
 * cost most of a frame in layout, paint and garbage. A row with a hole or a selected byte draws
 * its bytes one span each, with the same characters, so it lines up with its neighbours.
 */
export const HexRow = memo(function HexRow({
  rowOffset,
  addressText,
  block,
  at,
  perRow,
  length,
  selFrom,
  selTo,
  top,
}: HexRowProps) {
  const ready = block?.status === 'ready' ? block : null;
  let hexText = '';
  let asciiText = '';
  let plain = selFrom >= selTo;
  for (let i = 0; i < length; i++) {
    const value = ready?.bytes[at + i];
    const hole = ready !== null && ready.mask[at + i] === 1;
    if (hole) plain = false;
    hexText += ready === null || value === undefined ? '··' : hole ? '??' : HEX[value];
    if (i < length - 1) hexText += gapAfter(i, perRow);
    asciiText += ready === null || value === undefined || hole ? ' ' : ASCII[value];
  }
  let hex: React.ReactNode = hexText;
  let ascii: React.ReactNode = asciiText;
  if (!plain) {
    const hexCells: React.ReactNode[] = [];
    const asciiCells: React.ReactNode[] = [];
    for (let i = 0; i < length; i++) {
      const hole = ready !== null && ready.mask[at + i] === 1;
      const selected = i >= selFrom && i < selTo;
      const className = `${hole ? 'hole' : ''}${selected ? ' selected' : ''}` || undefined;
      const reason = hole
        ? ready.holes.find((h) => at + i >= h.offset && at + i < h.offset + h.size)?.reason
        : null;
      hexCells.push(
        <span
          key={i}
          data-offset={rowOffset + i}
          className={className}
          title={
            hole
              ? i18next.t('contents.hex.notReadable', { reason: reason ?? 'unreadable' })
              : undefined
          }
        >
          {hexText.slice(hexStart(i, perRow), hexStart(i, perRow) + 2)}
        </span>,
      );
      if (i < length - 1) hexCells.push(gapAfter(i, perRow));
      asciiCells.push(
        <span key={i} data-offset={rowOffset + i} className={className}>
          {asciiText[i]}
        </span>,
      );
    }
    hex = hexCells;
    ascii = asciiCells;
  }
  return (
    <div
      className="hex-row"
      role="row"
      style={{ transform: `translateY(${top}px)` }}
      data-row-offset={rowOffset}
      data-length={length}
      data-per-row={perRow}
    >
      {/* Three grid cells a row (address, bytes, text), so a screen reader reads a line at a time. */}
      <span className="hex-address" role="rowheader">
        {addressText}
      </span>
      <span className="hex-bytes" role="gridcell" data-column="hex">
        {hex}
      </span>
      <span className="hex-ascii" role="gridcell" data-column="ascii">
        {ascii}
      </span>
    </div>
  );
});
