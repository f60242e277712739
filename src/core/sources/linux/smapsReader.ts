import { closeSync, openSync, readSync } from 'node:fs';
import { PROC, procError } from './procfs';
import type { SmapsScanner } from './smapsScanner';

/**
 * Reads /proc/PID/smaps once, front to back, and feeds its bytes to a scanner chunk by chunk.
 *
 * The reads are synchronous on purpose. smaps is a seq_file that the kernel generates as it is
 * read; through libuv's thread pool (fs.promises) each read(2) costs a round trip between
 * threads, measured at three times the kernel's own cost; a synchronous loop costs what `cat`
 * costs. The service runs snapshots in a worker thread (ARCHITECTURE.md), so no thread that
 * serves people waits on this.
 *
 * One buffer is reused for the whole file and nothing is decoded: the scanner reads the bytes.
 * A line cut by the end of a chunk is moved to the front of the buffer and completed by the next
 * read. A chunk of 128 KiB stays in the CPU's cache while it is scanned.
 */
const CHUNK_BYTES = 128 * 1024;
/** Room left for one more read(2) before a chunk counts as full. */
const READ_ROOM = 16 * 1024;

export class SmapsReader {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Bytes at the front of the buffer that are the start of an unfinished line. */
  private carry = 0;
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

  /** Fills the buffer after the carried bytes (or reaches the end of the file); returns the new bytes. */
  private fill(): number {
    let length = this.carry;
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
    return length - this.carry;
  }

  /**
   * Feeds up to `maxChunks` chunks (all of them by default) to the scanner; true once the end of
   * the file has been reached. The reader keeps its place, so it can be called again.
   */
  scan(scanner: SmapsScanner, maxChunks = Number.POSITIVE_INFINITY): boolean {
    for (let chunks = 0; !this.done && chunks < maxChunks; chunks++) {
      const added = this.fill();
      this.bytes += added;
      const length = this.carry + added;
      const consumed = scanner.feed(this.buffer, 0, length);
      this.carry = length - consumed;
      if (consumed === 0 && length >= CHUNK_BYTES - READ_ROOM) {
        throw procError(new Error(`a line of /proc/${this.pid}/smaps is longer than ${CHUNK_BYTES - READ_ROOM} bytes`), this.pid, 'smaps');
      }
      this.buffer.copyWithin(0, consumed, length);
    }
    if (this.done && this.carry > 0) {
      // The last line has no newline (the kernel always ends with one; a cut-short read may not).
      this.buffer[this.carry] = 10;
      scanner.feed(this.buffer, 0, this.carry + 1);
      this.carry = 0;
    }
    return this.done;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
