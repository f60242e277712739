import { formatAddress } from '../../shared/address';
import type { FoundString, StringEncoding } from '../../shared/memoryScan';
import { type ScanStep, readableSpans } from './chunkScan';

/** As `strings`: printable ASCII and tab. */
const PRINTABLE = new Uint8Array(256);
for (let c = 0x20; c < 0x7f; c++) PRINTABLE[c] = 1;
PRINTABLE[0x09] = 1;

/** The longest string kept whole; a longer run is cut into pieces of this length. */
const MAX_STRING = 4096;

/**
 * Finds runs of at least `min` printable characters, ASCII (one byte each) or UTF-16LE (a
 * printable byte then a zero byte, at even addresses), across the chunks of one region: a run
 * that reaches a chunk's end goes on in the next chunk, and a hole or the region's end closes it.
 */
export class StringScanner {
  private runStart = -1;
  /** The run's text so far, when it began in an earlier chunk. */
  private carried = '';
  private regionBase = 0n;
  private regionName = '';
  /** Where the carried text began, in bytes from the region's base. */
  private carriedAddress = 0n;

  constructor(
    readonly encoding: StringEncoding,
    private readonly min: number,
    private readonly emit: (found: FoundString) => void,
  ) {}

  scan(step: ScanStep): void {
    if (step.first) {
      this.runStart = -1;
      this.carried = '';
      this.regionBase = step.target.base;
      this.regionName = step.target.regionBase;
    }
    const { bytes } = step.chunk;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Memory is mostly zeros: whole zero words are skipped four bytes at a time.
    const words =
      bytes.byteOffset % 4 === 0
        ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2)
        : null;
    const spans = readableSpans(step.chunk, step.advance);
    let cursor = 0;
    for (const [from, to] of spans) {
      if (from > cursor) this.close(step, buf, cursor);
      if (this.encoding === 'ascii') this.ascii(step, buf, words, from, to);
      else this.utf16(step, buf, words, from, to);
      cursor = to;
    }
    if (cursor < step.advance) this.close(step, buf, cursor);
    if (step.last) this.close(step, buf, step.advance);
    else if (this.runStart >= 0 || this.carried !== '') this.carry(step, buf);
  }

  private ascii(
    step: ScanStep,
    buf: Buffer,
    words: Int32Array | null,
    from: number,
    to: number,
  ): void {
    const bytes: Uint8Array = buf;
    let start = this.runStart;
    let inRun = start >= 0 || this.carried !== '';
    for (let i = from; i < to;) {
      if (!inRun && words !== null && (i & 3) === 0) {
        while (i + 4 <= to && words[i >> 2] === 0) i += 4;
        if (i >= to) break;
      }
      if (PRINTABLE[bytes[i]!]) {
        if (start < 0) start = i;
        inRun = true;
      } else if (inRun) {
        this.runStart = start;
        this.close(step, buf, i);
        start = -1;
        inRun = false;
      }
      i++;
    }
    this.runStart = start;
  }

  private utf16(
    step: ScanStep,
    buf: Buffer,
    words: Int32Array | null,
    from: number,
    to: number,
  ): void {
    const bytes: Uint8Array = buf;
    let start = this.runStart;
    let inRun = start >= 0 || this.carried !== '';
    for (let i = from + (from & 1); i + 1 < to;) {
      if (!inRun && words !== null && (i & 3) === 0) {
        while (i + 4 <= to && words[i >> 2] === 0) i += 4;
        if (i + 1 >= to) break;
      }
      if (PRINTABLE[bytes[i]!] && bytes[i + 1] === 0) {
        if (start < 0) start = i;
        inRun = true;
      } else if (inRun) {
        this.runStart = start;
        this.close(step, buf, i);
        start = -1;
        inRun = false;
      }
      i += 2;
    }
    this.runStart = start;
  }

  /** The run ends at chunk offset `end`: emit it if long enough. */
  private close(step: ScanStep, buf: Buffer, end: number): void {
    const start = this.runStart;
    if (start < 0 && this.carried === '') return;
    const address = this.carried !== '' ? this.carriedAddress : BigInt(step.offset + start);
    const text = start >= 0 ? this.carried + this.decode(buf, start, end) : this.carried;
    this.runStart = -1;
    this.carried = '';
    if (text.length >= this.min) this.emitRun(address, text);
  }

  /** The run reaches the chunk's end: keep its text for the next chunk. */
  private carry(step: ScanStep, buf: Buffer): void {
    if (this.runStart < 0) return;
    if (this.carried === '') this.carriedAddress = BigInt(step.offset + this.runStart);
    this.carried += this.decode(buf, this.runStart, step.advance);
    this.runStart = -1;
    // A run that never ends would grow without bound: emit what we have.
    if (this.carried.length >= MAX_STRING) {
      this.emitRun(this.carriedAddress, this.carried);
      this.carried = '';
    }
  }

  private decode(buf: Buffer, start: number, end: number): string {
    return this.encoding === 'ascii'
      ? buf.toString('latin1', start, end)
      : buf.toString('utf16le', start, end - ((end - start) & 1));
  }

  private emitRun(offset: bigint, text: string): void {
    const unit = this.encoding === 'ascii' ? 1n : 2n;
    for (let i = 0; i < text.length; i += MAX_STRING) {
      const piece = text.slice(i, i + MAX_STRING);
      if (piece.length < this.min && i > 0) break;
      this.emit({
        address: formatAddress(this.regionBase + offset + BigInt(i) * unit),
        regionBase: this.regionName,
        encoding: this.encoding,
        text: piece,
      });
    }
  }
}
