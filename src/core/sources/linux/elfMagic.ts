import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
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
async function startsWithElfMagic(pid: number, m: SmapsMapping): Promise<boolean> {
  const candidates = [
    `${PROC}/${pid}/map_files/${trimZeros(m.startHex)}-${m.end.toString(16)}`,
    `${PROC}/${pid}/root${m.path}`,
  ];
  for (const path of candidates) {
    try {
      const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
      try {
        if (!(await file.stat()).isFile()) return false;
        const head = Buffer.alloc(4);
        const { bytesRead } = await file.read(head, 0, 4, 0);
        return bytesRead === 4 && head.readUInt32BE(0) === ELF_MAGIC;
      } finally {
        await file.close();
      }
    } catch {
      // Not allowed, or gone: try the next way in.
    }
  }
  return false;
}

/** The device:inode keys of those candidate files that are ELF objects. */
export async function elfFilesAmong(
  pid: number,
  candidates: readonly SmapsMapping[],
): Promise<Set<string>> {
  const checked = candidates.slice(0, MAX_CHECKS);
  const results = await Promise.all(checked.map((m) => startsWithElfMagic(pid, m)));
  return new Set(checked.filter((_, i) => results[i]).map(fileKey));
}
