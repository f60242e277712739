/**
 * A hex view of a range of a live process's memory (a region), like System Informer's: per row a
 * 64-bit address, 16 bytes in hex and their ASCII. Rows are virtualized (@tanstack/react-virtual)
 * within a window of WINDOW_BYTES, and the window moves (buttons, go to address), so any region
 * size scrolls without the DOM's height limits. Bytes are read 64 KiB at a time as their rows come
 * on screen and kept until Read again; unreadable bytes are drawn as holes (`??`) with their reason.
 * Click a byte and shift-click another to select; copy the selection as hex or as text.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatAddress, parseUserAddress } from '../../../../shared/address';
import type { SourceId } from '../../../../shared/model';
import { client } from '../../client';
import './contents.css';
import { BLOCK, type Block, type ByteCell, blockOf, selectionText } from './hexCache';
import { COMPACT_ROW, HexRow, ROW, ROW_HEIGHT, byteAtChar } from './HexRow';
import { i18next } from '../../i18n';

/** Bytes one virtualized window holds: 8 MiB is 524,288 rows, well inside a browser's height limit. */
export const WINDOW_BYTES = 8 * 1024 * 1024;
/** The most a selection copies. */
const MAX_COPY = 1024 * 1024;
/**
 * Rows are keyed by their index modulo this (more than a screenful), not by index, so a row that
 * scrolls off gives its elements to the one that comes on: React changes three texts instead of
 * building a row.
 */
const ROW_SLOTS = 256;

/** The byte (offset in the region) a mouse event points at, or null. */
function offsetAt(e: React.MouseEvent): number | null {
  const target = e.target as HTMLElement;
  const cell = target.closest<HTMLElement>('[data-offset]');
  if (cell) return Number(cell.dataset['offset']);
  // A plain row is text: find the character under the pointer (the font is monospace).
  const column = target.closest<HTMLElement>('[data-column]');
  const row = target.closest<HTMLElement>('[data-row-offset]');
  const text = column?.textContent ?? '';
  if (!column || !row || text.length === 0) return null;
  const box = column.getBoundingClientRect();
  const char = Math.floor(((e.clientX - box.left) / box.width) * text.length);
  const length = Number(row.dataset['length']);
  const kind = column.dataset['column'] === 'ascii' ? 'ascii' : 'hex';
  const perRow = Number(row.dataset['perRow']);
  return Number(row.dataset['rowOffset']) + byteAtChar(kind, char, length, perRow);
}

export interface HexViewProps {
  pid: number;
  source?: SourceId;
  /** An opened dump file (its `files.opened` index): read its captured bytes. */
  file?: number;
  /** The range shown: a region's base and size. */
  base: bigint;
  size: number;
  /** A few rows without the toolbar (the details pane's preview). */
  compact?: boolean;
  /** Scroll to and select this byte (a search or strings result). */
  showAddress?: bigint | null;
}

export function HexView({
  pid,
  source,
  file,
  base,
  size,
  compact = false,
  showAddress = null,
}: HexViewProps) {
  const { t } = useTranslation();
  const [blocks, setBlocks] = useState<Map<bigint, Block>>(() => new Map());
  const [windowStart, setWindowStart] = useState(0);
  const [selection, setSelection] = useState<{ anchor: number; focus: number } | null>(null);
  const [goTo, setGoTo] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const loading = useRef(new Set<bigint>());
  const windowBytes = Math.min(WINDOW_BYTES, size - windowStart);
  // The preview is narrow: 8 bytes a row, and each row's offset from the base instead of its address.
  const perRow = compact ? COMPACT_ROW : ROW;
  const rows = Math.ceil(windowBytes / perRow);

  useEffect(() => {
    // Another range, another process: start afresh.
    setBlocks(new Map());
    loading.current.clear();
    setWindowStart(0);
    setSelection(null);
  }, [pid, source, file, base, size]);

  const virtualizer = useVirtualizer({
    count: compact ? Math.min(rows, 16) : rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const slots = Math.max(ROW_SLOTS, items.length);
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  const load = useCallback(
    (block: bigint): void => {
      if (loading.current.has(block)) return;
      loading.current.add(block);
      const start = block * BigInt(BLOCK);
      const from = start > base ? start : base;
      const end = base + BigInt(size);
      const stop = start + BigInt(BLOCK) < end ? start + BigInt(BLOCK) : end;
      const pad = Number(from - start);
      void client
        .call('region.read', {
          pid,
          source,
          file,
          address: formatAddress(from),
          size: Number(stop - from),
        })
        .then(
          (read) => {
            // Keep the block's bytes at their place in the block (a region may start mid-block).
            const bytes = new Uint8Array(pad + read.bytes.length);
            bytes.set(read.bytes, pad);
            const holes = read.holes.map((h) => ({ ...h, offset: h.offset + pad }));
            return blockOf({ ...read, bytes, holes });
          },
          (err: unknown): Block => ({ status: 'error', message: (err as Error).message }),
        )
        .then((b) => setBlocks((old) => new Map(old).set(block, b)));
    },
    [pid, source, file, base, size],
  );

  useEffect(() => {
    const from = (base + BigInt(windowStart + first * perRow)) / BigInt(BLOCK);
    const to =
      (base + BigInt(windowStart + Math.min(windowBytes, (last + 1) * perRow) - 1)) / BigInt(BLOCK);
    for (let b = from; b <= to; b++) if (!blocks.has(b)) load(b);
  }, [first, last, perRow, windowStart, windowBytes, base, blocks, load]);

  const refresh = (): void => {
    loading.current.clear();
    setBlocks(new Map());
  };

  const showOffset = (offset: number): void => {
    const start = Math.floor(offset / WINDOW_BYTES) * WINDOW_BYTES;
    setWindowStart(start);
    setSelection({ anchor: offset, focus: offset });
    requestAnimationFrame(() =>
      virtualizer.scrollToIndex(Math.floor((offset - start) / perRow), { align: 'center' }),
    );
  };

  useEffect(() => {
    if (showAddress !== null && showAddress >= base && showAddress < base + BigInt(size))
      showOffset(Number(showAddress - base));
    // showOffset is new each render; the address and range are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [showAddress, base, size]);

  const onGoTo = (e: React.FormEvent): void => {
    e.preventDefault();
    const address = parseUserAddress(goTo);
    if (address === null || address < base || address >= base + BigInt(size)) {
      setMessage(
        i18next.t('contents.hex.notInRegion', {
          address: goTo,
          from: formatAddress(base),
          to: formatAddress(base + BigInt(size)),
        }),
      );
      return;
    }
    setMessage(null);
    showOffset(Number(address - base));
  };

  const copy = async (as: 'hex' | 'text'): Promise<void> => {
    if (!selection) return;
    const from = Math.min(selection.anchor, selection.focus);
    const to = Math.min(Math.max(selection.anchor, selection.focus) + 1, from + MAX_COPY);
    const read = await client.call('region.read', {
      pid,
      source,
      file,
      address: formatAddress(base + BigInt(from)),
      size: to - from,
    });
    const block = blockOf(read);
    const cells: ByteCell[] = [];
    for (let i = 0; i < to - from; i++)
      cells.push(
        block.status === 'ready' && block.mask[i]
          ? { hole: 'unreadable' }
          : { value: read.bytes[i]! },
      );
    const text = selectionText(cells, as);
    try {
      await navigator.clipboard.writeText(text);
      setMessage(i18next.t(`contents.hex.copied.${as}`, { count: to - from }));
    } catch (err) {
      // Refused (no permission, the window not focused): say so rather than claim a copy.
      setMessage(t('hexCopy.failed', { reason: (err as Error).message }));
    }
  };

  /** The selected bytes of a row as row indexes [from, to); [0, 0) when none. */
  const rowSelection = (rowOffset: number, length: number): [number, number] => {
    if (!selection) return [0, 0];
    const from = Math.max(Math.min(selection.anchor, selection.focus) - rowOffset, 0);
    const to = Math.min(Math.max(selection.anchor, selection.focus) + 1 - rowOffset, length);
    return from < to ? [from, to] : [0, 0];
  };

  const onByte = (e: React.MouseEvent): void => {
    const offset = offsetAt(e);
    if (offset === null) return;
    setSelection((old) =>
      e.shiftKey && old ? { ...old, focus: offset } : { anchor: offset, focus: offset },
    );
  };

  const errorBlock = [...blocks.values()].find((b) => b.status === 'error');

  return (
    <div
      className={`hex-view${compact ? ' compact' : ''}`}
      aria-label={i18next.t('contents.hex.label')}
    >
      {!compact && (
        <div className="hex-toolbar">
          <form onSubmit={onGoTo}>
            <input
              aria-label={i18next.t('contents.hex.goTo')}
              placeholder={i18next.t('contents.hex.goToPlaceholder')}
              value={goTo}
              onChange={(e) => setGoTo(e.target.value)}
            />
            <button type="submit">{i18next.t('contents.hex.go')}</button>
          </form>
          <button type="button" onClick={refresh} title={i18next.t('contents.hex.readAgainTitle')}>
            {i18next.t('contents.hex.readAgain')}
          </button>
          <button type="button" disabled={!selection} onClick={() => void copy('hex')}>
            {i18next.t('contents.hex.copyHex')}
          </button>
          <button type="button" disabled={!selection} onClick={() => void copy('text')}>
            {i18next.t('contents.hex.copyText')}
          </button>
          {size > WINDOW_BYTES && (
            <span className="hex-window">
              <button
                type="button"
                disabled={windowStart === 0}
                onClick={() => setWindowStart(windowStart - WINDOW_BYTES)}
              >
                ◀ {i18next.t('contents.hex.previous')}
              </button>
              <button
                type="button"
                disabled={windowStart + WINDOW_BYTES >= size}
                onClick={() => setWindowStart(windowStart + WINDOW_BYTES)}
              >
                {i18next.t('contents.hex.next')} ▶
              </button>
            </span>
          )}
          {selection && (
            <span className="dim" aria-label={i18next.t('contents.hex.selection')}>
              {formatAddress(base + BigInt(Math.min(selection.anchor, selection.focus)))} ·{' '}
              {i18next.t('contents.hex.bytes', {
                count: Math.abs(selection.focus - selection.anchor) + 1,
              })}
            </span>
          )}
          {message && <span role="status">{message}</span>}
        </div>
      )}
      {errorBlock?.status === 'error' && (
        <div role="alert" lang="en">
          {errorBlock.message}
        </div>
      )}
      <div
        className="hex-scroll"
        ref={scrollRef}
        onMouseDown={onByte}
        role="grid"
        aria-rowcount={rows}
        aria-label={i18next.t('contents.hex.grid')}
        // A tab stop: the bytes scroll, and the keyboard must be able to scroll them.
        tabIndex={0}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const rowOffset = windowStart + item.index * perRow;
            const address = base + BigInt(rowOffset);
            const block = blocks.get(address / BigInt(BLOCK));
            const length = Math.min(perRow, size - rowOffset);
            const sel = rowSelection(rowOffset, length);
            return (
              <HexRow
                key={item.index % slots}
                rowOffset={rowOffset}
                addressText={
                  compact
                    ? `+${rowOffset.toString(16).padStart(2, '0')}`
                    : address.toString(16).padStart(16, '0')
                }
                block={block}
                at={Number(address % BigInt(BLOCK))}
                perRow={perRow}
                length={length}
                selFrom={sel[0]}
                selTo={sel[1]}
                top={item.start}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
