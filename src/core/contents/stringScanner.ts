import { formatAddress } from '../../shared/address';
import type { FoundString, StringEncoding } from '../../shared/memoryScan';
import { type ScanStep, readableSpans } from './chunkScan';

/** As `strings`: printable ASCII and tab. */
const PRINTABLE = new Uint8Array(256);
for (let c = 0x20; c < 0x7f; c++) PRINTABLE[c] = 1;
PRINTABLE[0x09] = 1;

/** The longest string kept whole; a longer run is cut into pieces of this length. */
const MAX_STRING = 4096;

/** Bytes a string scan's chunks reach past their step: a UTF-16 character at a chunk's last byte. */
export const STRINGS_OVERLAP = 1;

/**
 * One sequence of character positions a run is looked for in: every byte for ASCII; every other
 * byte from an even (parity 0) or an odd (parity 1) address for UTF-16LE, as `strings -el` finds
 * a string wherever it starts.
 */
interface Lane {
  parity: 0 | 1;
  /** Where the run in this chunk began (chunk offset), or -1. */
  runStart: number;
  /** The run's text so far, when it began in an earlier chunk. */
  carried: string;
  carriedAddress: bigint;
  carriedRegion: string;
}

/**
 * Finds runs of at least `min` printable characters, ASCII (one byte each) or UTF-16LE (a
 * printable byte then a zero byte, at even and at odd addresses), chunk by chunk: a run that
 * reaches a chunk's end goes on in the next chunk, also into the next region when that one starts
 * where this one ends; a hole, or a region's end without such a neighbour, closes it. Chunks are
 * read STRINGS_OVERLAP bytes longer than their step, so a UTF-16 character may straddle two.
 */
export class StringScanner {
  private readonly lanes: Lane[];

  constructor(
    readonly encoding: StringEncoding,
    private readonly min: number,
    private readonly emit: (found: FoundString) => void,
  ) {
    const parities: Array<0 | 1> = encoding === 'ascii' ? [0] : [0, 1];
    this.lanes = parities.map((parity) => ({
      parity,
      runStart: -1,
      carried: '',
      carriedAddress: 0n,
      carriedRegion: '',
    }));
  }

  scan(step: ScanStep): void {
    const { bytes } = step.chunk;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Memory is mostly zeros: whole zero words are skipped four bytes at a time.
    const words =
      bytes.byteOffset % 4 === 0
        ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2)
        : null;
    const spans = readableSpans(step.chunk);
    for (const lane of this.lanes) {
      if (step.first && !step.joinsPrevious) {
        lane.runStart = -1;
        lane.carried = '';
      }
      let cursor = 0;
      for (const [from, to] of spans) {
        if (from >= step.advance) break;
        if (from > cursor) this.close(lane, step, buf, cursor);
        if (this.encoding === 'ascii')
          this.ascii(lane, step, buf, words, from, Math.min(to, step.advance));
        else this.utf16(lane, step, buf, words, from, to);
        cursor = to;
      }
      // A hole up to the chunk's end (or into its overlap) ends the run.
      if (cursor < bytes.length) this.close(lane, step, buf, cursor);
      if (step.last && !step.joinsNext) this.close(lane, step, buf, bytes.length);
      else this.carry(lane, step, buf);
    }
  }

  private ascii(
    lane: Lane,
    step: ScanStep,
    buf: Buffer,
    words: Int32Array | null,
    from: number,
    to: number,
  ): void {
    const bytes: Uint8Array = buf;
    let start = lane.runStart;
    let inRun = start >= 0 || lane.carried !== '';
    for (let i = from; i < to;) {
      if (!inRun && words !== null && (i & 3) === 0) {
        while (i + 4 <= to && words[i >> 2] === 0) i += 4;
        if (i >= to) break;
      }
      if (PRINTABLE[bytes[i]!]) {
        if (start < 0) start = i;
        inRun = true;
      } else if (inRun) {
        lane.runStart = start;
        this.close(lane, step, buf, i);
        start = -1;
        inRun = false;
      }
      i++;
    }
    lane.runStart = start;
  }

  /** Characters that start before the step's end, their second byte before `to` (maybe in the overlap). */
  private utf16(
    lane: Lane,
    step: ScanStep,
    buf: Buffer,
    words: Int32Array | null,
    from: number,
    to: number,
  ): void {
    const bytes: Uint8Array = buf;
    const p = lane.parity;
    let start = lane.runStart;
    let inRun = start >= 0 || lane.carried !== '';
    for (let i = from + ((step.offset + from + p) & 1); i < step.advance && i + 1 < to;) {
      // A zero word holds no character of this lane's two positions in it.
      if (!inRun && words !== null && (i & 3) === p) {
        while (i - p + 4 <= to && words[i >> 2] === 0) i += 4;
        if (i >= step.advance || i + 1 >= to) break;
      }
      if (PRINTABLE[bytes[i]!] && bytes[i + 1] === 0) {
        if (start < 0) start = i;
        inRun = true;
      } else if (inRun) {
        lane.runStart = start;
        this.close(lane, step, buf, i);
        start = -1;
        inRun = false;
      }
      i += 2;
    }
    lane.runStart = start;
  }

  /** The run ends at chunk offset `end`: emit it if long enough. */
  private close(lane: Lane, step: ScanStep, buf: Buffer, end: number): void {
    const start = lane.runStart;
    if (start < 0 && lane.carried === '') return;
    const carried = lane.carried !== '';
    const address = carried ? lane.carriedAddress : this.addressOf(step, start);
    const region = carried ? lane.carriedRegion : step.target.regionBase;
    const text = start >= 0 ? lane.carried + this.decode(buf, start, end) : lane.carried;
    lane.runStart = -1;
    lane.carried = '';
    if (text.length >= this.min) this.emitRun(address, region, text);
  }

  /**
   * The run reaches the chunk's end: keep its text for the next chunk. A UTF-16 run of the odd
   * lane ends one byte into the overlap (its last character straddles the step's end).
   */
  private carry(lane: Lane, step: ScanStep, buf: Buffer): void {
    if (lane.runStart < 0) return;
    if (lane.carried === '') {
      lane.carriedAddress = this.addressOf(step, lane.runStart);
      lane.carriedRegion = step.target.regionBase;
    }
    const end =
      this.encoding === 'ascii'
        ? step.advance
        : step.advance + ((step.offset + step.advance + lane.parity) & 1);
    lane.carried += this.decode(buf, lane.runStart, end);
    lane.runStart = -1;
    // A run that never ends would grow without bound: emit what we have.
    if (lane.carried.length >= MAX_STRING) {
      this.emitRun(lane.carriedAddress, lane.carriedRegion, lane.carried);
      lane.carried = '';
    }
  }

  private addressOf(step: ScanStep, chunkOffset: number): bigint {
    return step.target.base + BigInt(step.offset + chunkOffset);
  }

  private decode(buf: Buffer, start: number, end: number): string {
    return this.encoding === 'ascii'
      ? buf.toString('latin1', start, end)
      : buf.toString('utf16le', start, end - ((end - start) & 1));
  }

  private emitRun(address: bigint, regionBase: string, text: string): void {
    const unit = this.encoding === 'ascii' ? 1n : 2n;
    for (let i = 0; i < text.length; i += MAX_STRING) {
      const piece = text.slice(i, i + MAX_STRING);
      if (piece.length < this.min && i > 0) break;
      this.emit({
        address: formatAddress(address + BigInt(i) * unit),
        regionBase,
        encoding: this.encoding,
        text: piece,
      });
    }
  }
}
