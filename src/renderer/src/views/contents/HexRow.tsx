import { memo } from 'react';
import type { Block } from './hexCache';
import { i18next } from '../../i18n';

export const ROW = 16;
export const ROW_HEIGHT = 18;

const HEX = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));
const ASCII = Array.from({ length: 256 }, (_, n) =>
  n >= 0x20 && n < 0x7f ? String.fromCharCode(n) : '.',
);

export interface HexRowProps {
  /** The row's first byte, as an offset in the region (the data-offset of its cells). */
  rowOffset: number;
  /** Its address: 16 hex digits. */
  addressText: string;
  /** The block holding the row (a row never straddles two: rows and blocks are 16-aligned). */
  block: Block | undefined;
  /** Where the row starts in the block. */
  at: number;
  /** Bytes of the row inside the region (16, or fewer on its last row). */
  length: number;
  /** The selected bytes of this row, as row indexes [from, to), or null. */
  selFrom: number;
  selTo: number;
  top: number;
}

/**
 * One row of the hex view, memoized: while scrolling only the rows that come on screen render,
 * and each does plain array lookups (no 64-bit arithmetic per byte).
 */
export const HexRow = memo(function HexRow({
  rowOffset,
  addressText,
  block,
  at,
  length,
  selFrom,
  selTo,
  top,
}: HexRowProps) {
  const ready = block?.status === 'ready' ? block : null;
  const hexCells: React.ReactNode[] = [];
  const asciiCells: React.ReactNode[] = [];
  let asciiText = '';
  let plain = selFrom >= selTo;
  for (let i = 0; i < length; i++) {
    const hole = ready !== null && ready.mask[at + i] === 1;
    const value = ready?.bytes[at + i];
    const selected = i >= selFrom && i < selTo;
    const className = `${hole ? 'hole' : ''}${selected ? ' selected' : ''}`;
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
        {ready === null || value === undefined ? '··' : hole ? '??' : HEX[value]}
      </span>,
    );
    if (hole) plain = false;
    asciiText += ready === null || value === undefined || hole ? ' ' : ASCII[value];
    asciiCells.push(
      <span key={i} data-offset={rowOffset + i} className={className}>
        {ready === null || value === undefined || hole ? ' ' : ASCII[value]}
      </span>,
    );
  }
  return (
    <div
      className="hex-row"
      role="row"
      style={{
        position: 'absolute',
        top: 0,
        transform: `translateY(${top}px)`,
        height: ROW_HEIGHT,
      }}
    >
      {/* Three grid cells a row (address, bytes, text), so a screen reader reads a line at a time. */}
      <span className="hex-address" role="rowheader">
        {addressText}
      </span>
      <span className="hex-bytes" role="gridcell">
        {hexCells}
      </span>
      {/* A row without holes or selection draws its ASCII as one text: half the elements to lay out. */}
      <span className="hex-ascii" role="gridcell">
        {plain ? <span data-offset={rowOffset}>{asciiText}</span> : asciiCells}
      </span>
    </div>
  );
});
