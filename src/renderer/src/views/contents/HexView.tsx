/**
 * A hex view of a range of a live process's memory (a region), like System Informer's: per row a
 * 64-bit address, 16 bytes in hex and their ASCII. The rows on screen are a fixed pool of
 * elements that React renders once; scrolling draws into them directly (paintHexRow), so a
 * scrolled frame changes a few texts and runs no React render. They scroll within a window of
 * WINDOW_BYTES, and the window moves (buttons, go to address), so any region size scrolls without
 * the DOM's height limits. Bytes are read 64 KiB at a time as their rows come on screen, one read
 * at a time (BlockLoader), and kept until Read again; unreadable bytes are drawn as holes (`??`)
 * with their reason. Click a byte and shift-click another to select; copy the selection as hex
 * or as text.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatAddress, parseUserAddress } from '../../../../shared/address';
import type { SourceId } from '../../../../shared/model';
import { client } from '../../client';
import './contents.css';
import { BlockLoader } from './blockLoader';
import { BLOCK, type Block, type ByteCell, blockOf, selectionText } from './hexCache';
import { COMPACT_ROW, ROW, ROW_HEIGHT, byteAtChar } from './hexRowText';
import { type HexRowState, paintHexRow } from './paintHexRow';
import { i18next } from '../../i18n';
import { useStableCallback } from '../../useStableCallback';

/** Bytes one window holds: 8 MiB is 524,288 rows, well inside a browser's height limit. */
export const WINDOW_BYTES = 8 * 1024 * 1024;
/** The most a selection copies. */
const MAX_COPY = 1024 * 1024;
/**
 * Rows drawn above and below the screen: the compositor may scroll a little ahead of the main
 * thread, and these are what it shows meanwhile. Every row is redrawn on a fast scroll, so few.
 */
const OVERSCAN = 1;
/** Rows of the details pane's preview. */
const COMPACT_ROWS = 16;

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

interface Selection {
  anchor: number;
  focus: number;
}

/** The selected bytes of a row as row indexes [from, to); [0, 0) when none. */
function rowSelection(
  selection: Selection | null,
  rowOffset: number,
  length: number,
): [number, number] {
  if (!selection) return [0, 0];
  const from = Math.max(Math.min(selection.anchor, selection.focus) - rowOffset, 0);
  const to = Math.min(Math.max(selection.anchor, selection.focus) + 1 - rowOffset, length);
  return from < to ? [from, to] : [0, 0];
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
  const [windowStart, setWindowStart] = useState(0);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [goTo, setGoTo] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Row elements in the pool: a screenful and the overscan, measured from the view's height. */
  const [slots, setSlots] = useState(compact ? COMPACT_ROWS : 0);
  /** A row to bring to the middle of the view once the window it is in is rendered. */
  const [centre, setCentre] = useState<{ index: number } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const poolRef = useRef<HTMLDivElement>(null);
  /** What each pool row shows now, so a paint changes only the rows that changed. */
  const drawn = useRef<Array<HexRowState | undefined>>([]);
  /** The first row of the last paint: which way the view scrolls, for the read-ahead. */
  const lastFirst = useRef(0);
  const windowBytes = Math.min(WINDOW_BYTES, size - windowStart);
  // The preview is narrow: 8 bytes a row, and each row's offset from the base instead of its address.
  const perRow = compact ? COMPACT_ROW : ROW;
  const rows = Math.ceil(windowBytes / perRow);
  const count = compact ? Math.min(rows, COMPACT_ROWS) : rows;
  /** Where the region starts in its 64 KiB block: blocks are numbered from the base's. */
  const baseInBlock = Number(base % BigInt(BLOCK));
  const lastBlock = Math.floor((baseInBlock + size - 1) / BLOCK);

  const showOffset = (offset: number): void => {
    const start = Math.floor(offset / WINDOW_BYTES) * WINDOW_BYTES;
    setWindowStart(start);
    setSelection({ anchor: offset, focus: offset });
    setCentre({ index: Math.floor((offset - start) / perRow) });
  };

  // Another range, another process: start afresh; a result to show: go there. (Adjusted while
  // rendering, as React advises for state that follows props.)
  const range = `${pid}/${source}/${file}/${base}/${size}`;
  const [seen, setSeen] = useState({ range, address: null as bigint | null });
  if (seen.range !== range || seen.address !== showAddress) {
    setSeen({ range, address: showAddress });
    if (seen.range !== range) {
      setWindowStart(0);
      setSelection(null);
      setError(null);
    }
    if (showAddress !== null && showAddress >= base && showAddress < base + BigInt(size))
      showOffset(Number(showAddress - base));
  }

  const readBlock = useStableCallback(async (block: number): Promise<Block> => {
    const start = base - BigInt(baseInBlock) + BigInt(block) * BigInt(BLOCK);
    const from = start > base ? start : base;
    const end = base + BigInt(size);
    const stop = start + BigInt(BLOCK) < end ? start + BigInt(BLOCK) : end;
    const pad = Number(from - start);
    try {
      const read = await client.call('region.read', {
        pid,
        source,
        file,
        address: formatAddress(from),
        size: Number(stop - from),
      });
      // Keep the block's bytes at their place in the block (a region may start mid-block).
      const bytes = new Uint8Array(pad + read.bytes.length);
      bytes.set(read.bytes, pad);
      const holes = read.holes.map((h) => ({ ...h, offset: h.offset + pad }));
      return blockOf({ ...read, bytes, holes });
    } catch (err) {
      return { status: 'error', message: (err as Error).message };
    }
  });

  const [loader] = useState(() => new BlockLoader(readBlock));

  /** Draws the rows on screen into the pool and asks for the blocks they need. */
  const paint = useStableCallback((): void => {
    const scroller = scrollRef.current;
    const pool = poolRef.current;
    if (!scroller || !pool) return;
    const elements = pool.children;
    const top = Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN;
    const first = Math.max(0, Math.min(top, count - elements.length));
    pool.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const wanted: number[] = [];
    for (let k = 0; k < elements.length; k++) {
      const element = elements[k] as HTMLElement;
      const index = first + k;
      const hide = index >= count;
      if (hide) {
        if (!element.hidden) {
          element.hidden = true;
          // No stale bytes left in a hidden row (for a find in the page, or a test's locator).
          for (const cell of element.children) cell.replaceChildren();
        }
        drawn.current[k] = undefined;
        continue;
      }
      if (element.hidden) element.hidden = false;
      const rowOffset = windowStart + index * perRow;
      const inBlocks = baseInBlock + rowOffset;
      const block = Math.floor(inBlocks / BLOCK);
      if (wanted.at(-1) !== block) wanted.push(block);
      const length = Math.min(perRow, size - rowOffset);
      const [selFrom, selTo] = rowSelection(selection, rowOffset, length);
      const before = drawn.current[k];
      const addressText =
        before?.rowOffset === rowOffset
          ? before.addressText
          : compact
            ? `+${rowOffset.toString(16).padStart(2, '0')}`
            : (base + BigInt(rowOffset)).toString(16).padStart(16, '0');
      drawn.current[k] = paintHexRow(
        element,
        {
          rowOffset,
          index,
          addressText,
          block: loader.get(block),
          at: inBlocks % BLOCK,
          perRow,
          length,
          selFrom,
          selTo,
        },
        before,
      );
    }
    // A block of read-ahead, the way the view scrolls.
    const ahead = first < lastFirst.current ? (wanted[0] ?? 0) - 1 : (wanted.at(-1) ?? -1) + 1;
    if (ahead >= 0 && ahead <= lastBlock) wanted.push(ahead);
    lastFirst.current = first;
    loader.want(wanted);
  });

  useLayoutEffect(
    () =>
      loader.listen((value) => {
        if (value.status === 'error') setError(value.message);
        paint();
      }),
    [loader, paint],
  );

  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller || compact) return;
    const measure = (): void =>
      setSlots(Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 1 + 2 * OVERSCAN);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [compact]);

  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    if (!centre || !scroller) return;
    scroller.scrollTop = centre.index * ROW_HEIGHT - (scroller.clientHeight - ROW_HEIGHT) / 2;
  }, [centre]);

  useLayoutEffect(() => {
    // A render (a selection, another window, the language) may change any row: draw them all.
    drawn.current = [];
    paint();
  });

  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    // Straight from the scroll event, which comes before the frame's animation callbacks: the
    // rows are drawn in the frame that scrolled, with no React render in between.
    scroller.addEventListener('scroll', paint, { passive: true });
    return () => scroller.removeEventListener('scroll', paint);
  }, [paint]);

  const refresh = (): void => {
    loader.clear();
    setError(null);
    paint();
  };

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

  const onByte = (e: React.MouseEvent): void => {
    const offset = offsetAt(e);
    if (offset === null) return;
    setSelection((old) =>
      e.shiftKey && old ? { ...old, focus: offset } : { anchor: offset, focus: offset },
    );
  };

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
      {error !== null && (
        <div role="alert" lang="en">
          {error}
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
        <div style={{ height: count * ROW_HEIGHT, position: 'relative' }}>
          {/* Memory's bytes are data, never prose: no translation, by a browser or a check. */}
          <div className="hex-rows" ref={poolRef} translate="no">
            {Array.from({ length: slots }, (_, k) => (
              // Three grid cells a row (address, bytes, text), so a screen reader reads a line at
              // a time; paintHexRow fills them.
              <div key={k} className="hex-row" role="row">
                <span className="hex-address" role="rowheader" />
                <span className="hex-bytes" role="gridcell" data-column="hex" />
                <span className="hex-ascii" role="gridcell" data-column="ascii" />
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
