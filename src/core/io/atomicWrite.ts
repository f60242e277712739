import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { VmscopeError } from '../../shared/errors';
import { fileKind } from './fileKind';

/** Temporary files being written now: a signal handler removes them before the process ends. */
const inProgress = new Set<string>();

/** Removes every temporary file a write has not finished (for SIGINT/SIGTERM handlers: synchronous). */
export function removeTempFilesSync(): void {
  for (const temp of inProgress) rmSync(temp, { force: true });
  inProgress.clear();
}

/**
 * Writes a file so that readers see the old content or the whole new content, never a part:
 * the data goes to a temporary file in the same directory (so the rename stays on one file
 * system), is flushed to disk, then renamed over the target. On failure the temporary file is
 * removed and the target is left as it was. Only a regular file (or a new name) is a target: a
 * rename over a device, FIFO or socket would replace the node itself (as root, /dev/null).
 * Errors are `VmscopeError`s naming `path`, never the temporary file. `data` may come in chunks,
 * each written before the next is asked for (so a writer may reuse one buffer for all of them).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<Uint8Array>,
): Promise<void> {
  const existing = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new VmscopeError('invalid-input', `Cannot write ${path}: ${err.code ?? err.message}.`);
  });
  if (existing && !existing.isFile()) {
    throw new VmscopeError(
      'invalid-input',
      `Cannot write ${path}: it is ${fileKind(existing)}; --out writes regular files only (use --out - for stdout).`,
    );
  }
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  inProgress.add(temp);
  try {
    const file = await open(temp, 'wx', 0o644);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await file.writeFile(data);
      else {
        // write(2) may take less than asked (a full disk, a signal): loop until the chunk is in.
        for (const chunk of data)
          for (let at = 0; at < chunk.length;) {
            const { bytesWritten } = await file.write(chunk, at, chunk.length - at);
            if (bytesWritten === 0) throw new Error('the device took no more bytes');
            at += bytesWritten;
          }
      }
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'ENOSPC'
            ? 'no space left on the device'
            : (code ?? (err as Error).message);
    throw new VmscopeError(
      code === 'ENOENT' ? 'not-found' : code === 'EACCES' ? 'access-denied' : 'internal',
      `Cannot write ${path}: ${why}.`,
    );
  } finally {
    inProgress.delete(temp);
  }
}
