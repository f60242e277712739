import { closeSync, openSync, readSync } from 'node:fs';
import { PROC, procError } from './procfs';
import type { SmapsScanner } from './smapsScanner';

/**
 * Reads /proc/PID/smaps once, front to back, and feeds it to a scanner chunk by chunk.
 *
 * The reads are synchronous on purpose. smaps is a seq_file: each read(2) returns about one page
 * of text whatever the buffer size, so 40 MB takes some 12,000 calls. Through libuv's thread pool
 * (fs.promises) each call costs a round trip between threads, measured at three times the
 * kernel's own cost; a synchronous loop costs what `cat` costs. (A reader thread handing over
 * whole chunks was tried too: it overlaps reading with parsing on an idle machine, but on a busy
 * two-core one the hand-offs made it slower than this.) The service runs snapshots in a worker
 * thread (ARCHITECTURE.md), so no thread that serves people waits on this.
 *
 * A chunk is filled to about CHUNK_BYTES, then decoded as a latin1 string small enough to be an
 * ordinary young-generation heap string (under V8's 128 KiB large-object size, far under its
 * ~1 MiB external-string threshold): charCodeAt on those is several times faster than on one 40 MB
 * external string, and 120 KiB chunks measured 10-15% cheaper than 512 KiB ones. A line cut by the chunk's end is completed with
 * the head of the next chunk and fed on its own, so no chunk is ever concatenated with another.
 */
const CHUNK_BYTES = 120 * 1024;
/** Room left for one more read(2) before a chunk counts as full. */
const READ_ROOM = 16 * 1024;
const NEWLINE = 10;

export class SmapsReader {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private carry = '';
  private done = false;
  private fd: number | null;
  /** Bytes read so far: zero after the whole read means the kernel gave no mappings at all. */
  bytes = 0;

  private constructor(
    private readonly pid: number,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens the file; a pid that is gone or not ours to read fails here with the contract's error. */
  static open(pid: number): SmapsReader {
    try {
      return new SmapsReader(pid, openSync(`${PROC}/${pid}/smaps`, 'r'));
    } catch (err) {
      throw procError(err, pid, `/proc/${pid}/smaps`);
    }
  }

  /** Fills the buffer (or reaches the end of the file); returns the bytes in it. */
  private fill(): number {
    let length = 0;
    try {
      while (length < CHUNK_BYTES - READ_ROOM) {
        const n = readSync(this.fd!, this.buffer, length, CHUNK_BYTES - length, null);
        if (n === 0) {
          this.done = true;
          break;
        }
        length += n;
      }
    } catch (err) {
      throw procError(err, this.pid, `/proc/${this.pid}/smaps`);
    }
    return length;
  }

  /**
   * Feeds up to `maxChunks` chunks (all of them by default) to the scanner; true once the end of
   * the file has been reached. The reader keeps its place, so it can be called again.
   */
  scan(scanner: SmapsScanner, maxChunks = Number.POSITIVE_INFINITY): boolean {
    for (let chunks = 0; !this.done && chunks < maxChunks; chunks++) {
      const length = this.fill();
      this.bytes += length;
      if (length > 0) this.feedChunk(scanner, length);
    }
    if (this.done && this.carry) {
      scanner.feed(`${this.carry}\n`);
      this.carry = '';
    }
    return this.done;
  }

  private feedChunk(scanner: SmapsScanner, length: number): void {
    const buffer = this.buffer;
    let from = 0;
    if (this.carry) {
      const newline = buffer.indexOf(NEWLINE, 0);
      if (newline < 0 || newline >= length) {
        this.carry += buffer.toString('latin1', 0, length);
        return;
      }
      scanner.feed(`${this.carry}${buffer.toString('latin1', 0, newline + 1)}`);
      this.carry = '';
      from = newline + 1;
    }
    const text = buffer.toString('latin1', from, length);
    const consumed = scanner.feed(text);
    if (consumed < text.length) this.carry = text.slice(consumed);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
