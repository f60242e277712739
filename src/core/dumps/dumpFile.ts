import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { VmscopeError } from '../../shared/errors';

/**
 * A dump or core file read by position only: headers, directories and notes are read where they
 * are, so a 4 GiB core never loads whole. Every read is checked against the file's size first,
 * and anything that does not fit is a `malformed-file` error naming the structure and its offset.
 */
export interface DumpFile {
  /** What the file is called in messages. */
  readonly name: string;
  readonly size: number;
  /** When the file was last written (for a dump: when it was taken), where known. */
  readonly modified: Date | null;
  /** Exactly `length` bytes at `offset`, or a malformed-file error naming `what`. */
  read(offset: number, length: number, what: string): Buffer;
  /**
   * Up to `length` bytes at `offset`, fewer where the file ends first (captured memory of a
   * truncated core): never past the end, never an error for a short file.
   */
  readAvailable(offset: number, length: number): Buffer;
  close(): void;
}

/** The largest single structure read in one piece (a note segment, a directory, a header table). */
export const MAX_STRUCTURE_BYTES = 256 * 1024 * 1024;

export const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

export function malformed(name: string, what: string, offset: number, problem: string): never {
  throw new VmscopeError(
    'malformed-file',
    `${name} is not a dump vmscope can read: ${what} at offset ${hex(offset)} ${problem}.`,
  );
}

/** A number read from a file as a safe offset or size, or a malformed-file error. */
export function safeNumber(name: string, value: bigint, what: string, offset: number): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    malformed(name, what, offset, `is ${hex(value)}, beyond any file`);
  return Number(value);
}

abstract class CheckedFile implements DumpFile {
  constructor(
    readonly name: string,
    readonly size: number,
    readonly modified: Date | null,
  ) {}

  protected abstract readAt(target: Buffer, offset: number): number;

  read(offset: number, length: number, what: string): Buffer {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0)
      malformed(this.name, what, Math.max(0, offset || 0), 'has an impossible offset or size');
    if (length > MAX_STRUCTURE_BYTES)
      malformed(this.name, what, offset, `claims ${length} bytes, more than vmscope reads`);
    if (offset > this.size || length > this.size - offset)
      malformed(
        this.name,
        what,
        offset,
        `needs ${length} bytes but the file ends at ${hex(this.size)}`,
      );
    // Not zero-filled: every byte is read over, or the read fails.
    const target = Buffer.allocUnsafe(length);
    if (this.readAt(target, offset) !== length)
      malformed(this.name, what, offset, 'could not be read whole (the file shrank)');
    return target;
  }

  readAvailable(offset: number, length: number): Buffer {
    if (offset >= this.size || length <= 0) return Buffer.alloc(0);
    const target = Buffer.alloc(Math.min(length, this.size - offset));
    const got = this.readAt(target, offset);
    return got === target.length ? target : target.subarray(0, got);
  }

  abstract close(): void;
}

class DescriptorFile extends CheckedFile {
  constructor(
    name: string,
    private fd: number | null,
    size: number,
    modified: Date,
  ) {
    super(name, size, modified);
  }

  protected readAt(target: Buffer, offset: number): number {
    if (this.fd === null) throw new VmscopeError('internal', `${this.name} is already closed.`);
    let done = 0;
    while (done < target.length) {
      const n = readSync(this.fd, target, done, target.length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

class BufferFile extends CheckedFile {
  constructor(
    name: string,
    private readonly bytes: Uint8Array,
  ) {
    super(name, bytes.length, null);
  }

  protected readAt(target: Buffer, offset: number): number {
    const part = this.bytes.subarray(offset, offset + target.length);
    target.set(part);
    return part.length;
  }

  close(): void {}
}

/** Opens a regular file for positioned reads; anything else (a FIFO, a device, a folder) is refused. */
export function openDumpFile(path: string): DumpFile {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer (refused below).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VmscopeError('not-found', `${path} does not exist.`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new VmscopeError('access-denied', `${path} may not be read by this user.`);
    throw new VmscopeError('invalid-input', `${path} cannot be opened (${code ?? String(err)}).`);
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new VmscopeError('invalid-input', `${path} is not a regular file.`);
  }
  return new DescriptorFile(path, fd, stat.size, stat.mtime);
}

/** The same checked reads over bytes in memory (an upload, a test's file). */
export function dumpFileFromBytes(name: string, bytes: Uint8Array): DumpFile {
  return new BufferFile(name, bytes);
}
