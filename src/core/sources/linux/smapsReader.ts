import { closeSync, openSync, readSync } from 'node:fs';
import { coreLikelyIdle } from './idleCore';
import { PROC, procError } from './procfs';
import { CHUNK_BYTES, READ_ROOM, type ReadAhead, readAhead, readAheadStarted } from './readAhead';
import type { SmapsScanner } from './smapsScanner';

/**
 * A whole read that has gone this far without an end starts the read-ahead thread. A Node worker
 * takes 20-30 ms to be ready, the time the kernel takes to print 5-8 MB of smaps, so a read under
 * 1 MB (about 1,400 mappings, 4 ms) is long over by then: a command that snapshotted a process of
 * a few hundred mappings and exited spent 11-18 ms more on a thread it never used (`vmscope
 * snapshot`, 99 against 110 ms). Past 1 MB the thread is started early enough to take over most
 * of a long read, and serves the reads that follow.
 */
const AHEAD_AFTER_BYTES = 8 * CHUNK_BYTES;

/**
 * Reads /proc/PID/smaps once, front to back, and feeds its bytes to a scanner chunk by chunk.
 *
 * The reads are synchronous: smaps is a seq_file that the kernel generates as it is read, and
 * through libuv's thread pool (fs.promises) each read(2) costs a round trip between threads,
 * measured at three times the kernel's own cost. A long read is done by the read-ahead thread
 * (readAhead.ts) while this thread scans what it has read, so the parse overlaps the kernel's
 * work; until that thread is up (it is started by the first read past AHEAD_AFTER_BYTES), and for
 * shorter reads, the reads happen here.
 * The service runs snapshots in a worker thread (ARCHITECTURE.md), so no thread that serves
 * people waits on this.
 *
 * Nothing is decoded: the scanner reads the bytes. A line cut by the end of a chunk is moved to
 * the front of this reader's buffer and completed with the head of the next chunk.
 */
export class SmapsReader {
  /** Room for a chunk, or for a carried line and the head of the next chunk. */
  private readonly buffer = Buffer.allocUnsafe(2 * CHUNK_BYTES);
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
   * the file has been reached. The reader keeps its place, so it can be called again. A whole
   * read goes through the read-ahead thread once it has started, where a core is free for it
   * (idleCore.ts): from the start where this thread has one already, else once the read has
   * passed AHEAD_AFTER_BYTES; until then, or with no core free, this thread reads and scans by
   * itself. `ahead` chooses instead (a thread, or null for none). While that thread has no chunk
   * ready, `whileWaiting` is called, again and again for as long as it returns true (it has more
   * to do) and no chunk is ready: work that can be done on what is scanned so far.
   */
  scan(
    scanner: SmapsScanner,
    maxChunks = Number.POSITIVE_INFINITY,
    { whileWaiting, ahead }: { whileWaiting?: () => boolean; ahead?: ReadAhead | null } = {},
  ): boolean {
    const automatic = ahead === undefined && maxChunks === Number.POSITIVE_INFINITY;
    let helper =
      ahead ?? (automatic && readAheadStarted() && coreLikelyIdle() ? readAhead() : null);
    let undecided = automatic && helper === null;
    for (let chunks = 0; !this.done && chunks < maxChunks && !helper?.ready; chunks++) {
      const added = this.fill();
      this.bytes += added;
      this.feedBuffer(scanner, this.carry + added);
      if (undecided && this.bytes >= AHEAD_AFTER_BYTES) {
        undecided = false;
        if (!this.done && coreLikelyIdle()) helper = readAhead();
      }
    }
    if (helper && !this.done) this.scanAhead(scanner, helper, whileWaiting);
    if (this.done && this.carry > 0) {
      // The last line has no newline (the kernel always ends with one; a cut-short read may not).
      this.buffer[this.carry] = 10;
      scanner.feed(this.buffer, 0, this.carry + 1);
      this.carry = 0;
    }
    return this.done;
  }

  /** Feeds the buffer's first `length` bytes; keeps the unfinished last line at its front. */
  private feedBuffer(scanner: SmapsScanner, length: number): void {
    const consumed = scanner.feed(this.buffer, 0, length);
    if (consumed === 0 && length >= CHUNK_BYTES - READ_ROOM) {
      throw procError(
        new Error(
          `a line of /proc/${this.pid}/smaps is longer than ${CHUNK_BYTES - READ_ROOM} bytes`,
        ),
        this.pid,
        'smaps',
      );
    }
    this.buffer.copyWithin(0, consumed, length);
    this.carry = length - consumed;
  }

  /** The rest of the file through the read-ahead thread: each chunk is scanned where it was read. */
  private scanAhead(
    scanner: SmapsScanner,
    ahead: ReadAhead,
    whileWaiting: (() => boolean) | undefined,
  ): void {
    ahead.start(this.fd!);
    let ended = false;
    try {
      for (;;) {
        if (whileWaiting) while (!ahead.hasChunk && whileWaiting());
        const { bytes, error } = ahead.next();
        if (error !== null || bytes.length === 0) {
          ended = true;
          ahead.release();
          if (error !== null)
            throw procError(
              Object.assign(new Error(error), { code: error }),
              this.pid,
              `/proc/${this.pid}/smaps`,
            );
          break;
        }
        this.bytes += bytes.length;
        let from = 0;
        if (this.carry > 0) {
          // Complete the carried line with the head of this chunk, and scan it on its own.
          const newline = bytes.indexOf(10);
          const head = newline < 0 ? bytes.length : newline + 1;
          this.buffer.set(bytes.subarray(0, head), this.carry);
          this.feedBuffer(scanner, this.carry + head);
          from = head;
        }
        const consumed = scanner.feed(bytes, from, bytes.length);
        if (consumed < bytes.length) {
          this.buffer.set(bytes.subarray(consumed), this.carry);
          this.carry += bytes.length - consumed;
        }
        ahead.release();
      }
    } finally {
      // Never leave the thread mid-file: the next snapshot's chunks must be its own.
      while (!ended) {
        const { bytes, error } = ahead.next();
        ahead.release();
        ended = error !== null || bytes.length === 0;
      }
      this.done = true;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
