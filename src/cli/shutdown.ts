import { removeTempFilesSync } from '../core/io/atomicWrite';

/** How long a command may take to end after Ctrl-C or SIGTERM before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 1500;

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ctrl-C and SIGTERM end every command: unfinished `--out` temporary files are removed at once;
 * a command that handles the signal itself (watch prints its summary, serve closes its sockets
 * and workers) gets SHUTDOWN_GRACE_MS to finish, any other ends now. Children (the live sandbox
 * child) exit when their IPC channel to this process closes.
 */
export function installShutdown(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      removeTempFilesSync();
      if (process.listenerCount(signal) > 1)
        setTimeout(() => process.exit(EXIT_CODES[signal]), SHUTDOWN_GRACE_MS).unref();
      else process.exit(EXIT_CODES[signal]);
    });
  }
}

/** `vmscope strings ... | head` closes the pipe early: that is the reader's choice, not an error. */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    removeTempFilesSync();
    process.exit(0);
  });
}
