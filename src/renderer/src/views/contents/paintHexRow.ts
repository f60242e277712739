/**
 * Draws one row of the hex view into an element of the view's fixed pool, directly in the DOM:
 * scrolling changes a few texts, with no React render. A row without holes or selection (nearly
 * all of them) is three texts (address, bytes, characters); a row with a hole or a selected byte
 * draws its bytes one span each, with the same characters, so it lines up with its neighbours.
 */
import { i18next } from '../../i18n';
import type { Block } from './hexCache';
import { gapAfter, hexStart, rowText } from './hexRowText';

/** What a pool row shows; a row is drawn again only when one of these changed. */
export interface HexRowState {
  /** The row's first byte, as an offset in the region (the data-offset of its cells). */
  rowOffset: number;
  /** Its position among the rows of the window, from 0. */
  index: number;
  addressText: string;
  /** The block holding the row (a row never straddles two: rows and blocks are 16-aligned). */
  block: Block | undefined;
  /** Where the row starts in the block. */
  at: number;
  perRow: number;
  /** Bytes of the row inside the region (perRow, or fewer on its last row). */
  length: number;
  /** The selected bytes of this row, as row indexes [from, to); from >= to when none. */
  selFrom: number;
  selTo: number;
}

const same = (a: HexRowState, b: HexRowState): boolean =>
  a.rowOffset === b.rowOffset &&
  a.index === b.index &&
  a.addressText === b.addressText &&
  a.block === b.block &&
  a.at === b.at &&
  a.perRow === b.perRow &&
  a.length === b.length &&
  a.selFrom === b.selFrom &&
  a.selTo === b.selTo;

/** A cell's text, changing its one text node rather than replacing it when it can. */
function setText(cell: HTMLElement, text: string): void {
  const only = cell.firstChild;
  if (only !== null && only === cell.lastChild && only.nodeType === Node.TEXT_NODE) {
    if ((only as Text).data !== text) (only as Text).data = text;
  } else cell.textContent = text;
}

/** The bytes of a row with a hole or a selection, one span each. */
function drawCells(hexCell: HTMLElement, asciiCell: HTMLElement, row: HexRowState): void {
  const { block, at, perRow, length, rowOffset, selFrom, selTo } = row;
  const text = rowText(block, at, length, perRow);
  const ready = block?.status === 'ready' ? block : null;
  const hexCells: Array<Node | string> = [];
  const asciiCells: Node[] = [];
  for (let i = 0; i < length; i++) {
    const hole = ready !== null && ready.mask[at + i] === 1;
    const selected = i >= selFrom && i < selTo;
    const className = `${hole ? 'hole' : ''}${selected ? ' selected' : ''}`.trim();
    const hexSpan = document.createElement('span');
    const asciiSpan = document.createElement('span');
    for (const span of [hexSpan, asciiSpan]) {
      span.dataset['offset'] = String(rowOffset + i);
      if (className) span.className = className;
    }
    if (hole) {
      const reason = ready.holes.find((h) => at + i >= h.offset && at + i < h.offset + h.size);
      hexSpan.title = i18next.t('contents.hex.notReadable', {
        reason: reason?.reason ?? 'unreadable',
      });
    }
    hexSpan.textContent = text.hex.slice(hexStart(i, perRow), hexStart(i, perRow) + 2);
    asciiSpan.textContent = text.ascii[i]!;
    hexCells.push(hexSpan);
    if (i < length - 1) hexCells.push(gapAfter(i, perRow));
    asciiCells.push(asciiSpan);
  }
  hexCell.replaceChildren(...hexCells);
  asciiCell.replaceChildren(...asciiCells);
}

/**
 * Draws `row` into `element` (a row of three cells: address, bytes, characters) unless `drawn`,
 * what it shows now, is the same. Returns what it shows after.
 */
export function paintHexRow(
  element: HTMLElement,
  row: HexRowState,
  drawn: HexRowState | undefined,
): HexRowState {
  if (drawn && same(row, drawn)) return drawn;
  const [address, hex, ascii] = element.children as unknown as [
    HTMLElement,
    HTMLElement,
    HTMLElement,
  ];
  element.dataset['rowOffset'] = String(row.rowOffset);
  element.dataset['length'] = String(row.length);
  element.dataset['perRow'] = String(row.perRow);
  element.ariaRowIndex = String(row.index + 1);
  setText(address, row.addressText);
  const text = rowText(row.block, row.at, row.length, row.perRow);
  if (text.holes || row.selFrom < row.selTo) drawCells(hex, ascii, row);
  else {
    setText(hex, text.hex);
    setText(ascii, text.ascii);
  }
  return row;
}
