import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { VmscopeError } from '../../shared/errors';
import { fileKind } from './fileKind';
import { fileTooLarge } from '../../shared/snapshotValidate';

/**
 * Reads a regular file of at most `limit` bytes as UTF-8. Opened non-blocking so a FIFO cannot
 * hang the open; anything but a regular file is refused before a byte is read; the cap counts the
 * bytes actually read (a file that grows, or lies about its size, stops at the cap). Errors name
 * `path` as the user gave it; a file that cannot be opened rejects with the system's error (ENOENT...).
 */
export async function readBoundedFile(path: string, limit: number): Promise<string> {
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await file.stat();
    if (!stats.isFile())
      throw new VmscopeError(
        'invalid-input',
        `Cannot read ${path}: it is ${fileKind(stats)}, not a regular file.`,
      );
    if (stats.size > limit) throw fileTooLarge(path, stats.size, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(4 * 1024 * 1024, limit + 1 - total));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw fileTooLarge(path, total, limit, true);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await file.close();
  }
}
