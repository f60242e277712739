import { type FileHandle, open } from 'node:fs/promises';
import { PROC, procError } from './procfs';
import type { SmapsScanner } from './smapsScanner';

/**
 * Reads /proc/PID/smaps once, front to back, and feeds it to a scanner while the kernel produces
 * the next chunk: the read of chunk n+1 runs on libuv's thread pool while this thread decodes and
 * scans chunk n, so the cost of a snapshot is close to the kernel's own cost of printing smaps.
 *
 * Chunks are decoded as latin1 strings below V8's external-string threshold (~1 MiB): those are
 * ordinary heap strings, on which charCodeAt is several times faster than on one 40 MB external
 * string. A line split between two chunks is completed with the head of the next chunk and fed on
 * its own, so no chunk is ever concatenated with another.
 */
const CHUNK_BYTES = 512 * 1024;
const NEWLINE = 10;

export class SmapsReader {
  private readonly buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  private turn = 0;
  private pending: Promise<number> | null = null;
  private carry = '';
  private done = false;
  /** Bytes read so far: zero after the whole read means the kernel gave no mappings at all. */
  bytes = 0;

  private constructor(
    private readonly pid: number,
    private readonly file: FileHandle,
  ) {}

  /** Opens the file; a pid that is gone or not ours to read fails here with the contract's error. */
  static async open(pid: number): Promise<SmapsReader> {
    try {
      return new SmapsReader(pid, await open(`${PROC}/${pid}/smaps`, 'r'));
    } catch (err) {
      throw procError(err, pid, `/proc/${pid}/smaps`);
    }
  }

  private startRead(): Promise<number> {
    const buffer = this.buffers[this.turn]!;
    return this.file.read(buffer, 0, CHUNK_BYTES, null).then(
      (r) => r.bytesRead,
      (err: unknown) => {
        throw procError(err, this.pid, `/proc/${this.pid}/smaps`);
      },
    );
  }

  /**
   * Feeds up to `maxChunks` chunks (all of them by default) to the scanner; true once the end of
   * the file has been reached. The reader keeps its place, so it can be called again.
   */
  async scan(scanner: SmapsScanner, maxChunks = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (let chunks = 0; !this.done && chunks < maxChunks; chunks++) {
      const bytesRead = await (this.pending ?? this.startRead());
      const buffer = this.buffers[this.turn]!;
      this.turn ^= 1;
      if (bytesRead === 0) {
        this.done = true;
        this.pending = null;
        if (this.carry) scanner.feed(`${this.carry}\n`);
        break;
      }
      this.bytes += bytesRead;
      this.pending = this.startRead();
      this.feedChunk(scanner, buffer, bytesRead);
    }
    return this.done;
  }

  private feedChunk(scanner: SmapsScanner, buffer: Buffer, length: number): void {
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

  async close(): Promise<void> {
    // A read still in flight uses the handle: let it finish (or fail) before closing.
    await this.pending?.catch(() => 0);
    this.pending = null;
    await this.file.close();
  }
}
