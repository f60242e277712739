import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { PROC } from './procfs';
import { fileKey } from './mappingKinds';
import type { SmapsMapping } from './smapsScanner';

const ELF_MAGIC = 0x7f454c46; // "\x7fELF"
/** Files checked per snapshot at most; past this the rest count as plain mapped files. */
const MAX_CHECKS = 256;

const trimZeros = (hex: string): string => hex.replace(/^0+(?=.)/, '');

/**
 * Whether the mapped file starts with the ELF magic. Opened through /proc/PID/map_files (the very
 * file mapped, even when deleted or in another mount namespace), else through /proc/PID/root.
 * Only regular files are read, without blocking: a mapped device must never hang a snapshot.
 */
function startsWithElfMagic(pid: number, m: SmapsMapping): boolean {
  const candidates = [
    `${PROC}/${pid}/map_files/${trimZeros(m.startHex)}-${m.end.toString(16)}`,
    `${PROC}/${pid}/root${m.path}`,
  ];
  for (const path of candidates) {
    try {
      const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
      try {
        if (!fstatSync(fd).isFile()) return false;
        const head = Buffer.alloc(4);
        return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32BE(0) === ELF_MAGIC;
      } finally {
        closeSync(fd);
      }
    } catch {
      // Not allowed, or gone: try the next way in.
    }
  }
  return false;
}

/**
 * The device:inode keys of those candidate files that are ELF objects. Synchronous: four system
 * calls of a few microseconds per file, where the thread pool costs round trips between threads
 * that a busy machine makes slow (procfs.ts).
 */
export function elfFilesAmong(pid: number, candidates: readonly SmapsMapping[]): Set<string> {
  return new Set(
    candidates
      .slice(0, MAX_CHECKS)
      .filter((m) => startsWithElfMagic(pid, m))
      .map(fileKey),
  );
}
