import { readFileSync, readlinkSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import { VmscopeError } from '../../../shared/errors';

/** The root of procfs; tests and fixtures may point elsewhere. */
export const PROC = '/proc';

/**
 * Turns a failed /proc read into the contract's error: a vanished pid is `process-exited`
 * (ENOENT, ESRCH; also an empty read of a file that had content, which the callers check),
 * a denied one `access-denied` with the advice that would help.
 */
export function procError(err: unknown, pid: number, what: string): VmscopeError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ESRCH') {
    return new VmscopeError(
      'process-exited',
      `No process ${pid}: it has exited, or never existed (reading ${what}).`,
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new VmscopeError(
      'access-denied',
      `Not allowed to read ${what} of process ${pid}: it belongs to another user or is protected. ` +
        `Run vmscope as that user or as root (or with CAP_SYS_PTRACE).`,
    );
  }
  if (err instanceof VmscopeError) return err;
  return new VmscopeError(
    'internal',
    `Reading ${what} of process ${pid} failed: ${(err as Error)?.message ?? err}`,
  );
}

export async function readProcText(pid: number, file: string): Promise<string> {
  try {
    return await readFile(`${PROC}/${pid}/${file}`, 'latin1');
  } catch (err) {
    throw procError(err, pid, `/proc/${pid}/${file}`);
  }
}

/** A read that may fail without consequence (a link we are not allowed to follow, say). */
export async function tryReadProcText(pid: number, file: string): Promise<string | null> {
  try {
    return await readFile(`${PROC}/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

export async function tryReadLink(pid: number, file: string): Promise<string | null> {
  try {
    return await readlink(`${PROC}/${pid}/${file}`);
  } catch {
    return null;
  }
}

/**
 * The same reads, synchronous: for the few small files a snapshot reads after smaps. Each is a
 * few microseconds of the kernel's work; through the thread pool each costs round trips between
 * threads, and on a busy machine every one of those waits for a core.
 */
export function readProcTextSync(pid: number, file: string): string {
  try {
    return readFileSync(`${PROC}/${pid}/${file}`, 'latin1');
  } catch (err) {
    throw procError(err, pid, `/proc/${pid}/${file}`);
  }
}

export function tryReadProcTextSync(pid: number, file: string): string | null {
  try {
    return readFileSync(`${PROC}/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

export function tryReadLinkSync(pid: number, file: string): string | null {
  try {
    return readlinkSync(`${PROC}/${pid}/${file}`);
  } catch {
    return null;
  }
}
