import type { Win32 } from './bindings';
import type { ProcessHandle } from './processHandle';

/**
 * Reads `size` bytes of another process's memory; null where any of it cannot be read
 * (ERROR_PARTIAL_COPY: a page was freed or decommitted meanwhile). Callers treat the
 * structures they read this way (PEB, TEBs) as hints that may be missing.
 */
export function readMemory(
  api: Win32,
  process: ProcessHandle,
  address: bigint,
  size: number,
): Buffer | null {
  if (address === 0n) return null;
  const buf = Buffer.alloc(size);
  return api.ReadProcessMemory(process.handle, address, buf, size, null) ? buf : null;
}

/**
 * Reads `size` bytes at an address, null where any of it cannot be read: a live process's memory
 * (ReadProcessMemory) or what a minidump captured. The PEB and TEB readers work on either.
 */
export type MemoryRead = (address: bigint, size: number) => Buffer | null;

export function processMemoryRead(api: Win32, process: ProcessHandle): MemoryRead {
  return (address, size) => readMemory(api, process, address, size);
}

/** A pointer of the target's width (8 bytes, or 4 in the 32-bit half of a WOW64 process). */
export function pointerAt(buf: Buffer, offset: number, pointerSize: 4 | 8): bigint {
  return pointerSize === 8 ? buf.readBigUInt64LE(offset) : BigInt(buf.readUInt32LE(offset));
}

export function readPointer(read: MemoryRead, address: bigint, pointerSize: 4 | 8): bigint | null {
  const buf = read(address, pointerSize);
  return buf ? pointerAt(buf, 0, pointerSize) : null;
}
