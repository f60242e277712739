import { VmscopeError } from '../shared/errors';

/** Why a listen failed, as one line a person can act on. */
export function listenFailure(
  err: NodeJS.ErrnoException,
  address: string,
  port: number | undefined,
): VmscopeError {
  const where = `${address.includes(':') ? `[${address}]` : address}:${port ?? 0}`;
  const why =
    err.code === 'EADDRINUSE'
      ? 'the port is in use'
      : err.code === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges)'
        : err.code === 'EADDRNOTAVAIL'
          ? 'no interface of this machine has that address'
          : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
            ? 'that is not an address or a known host name'
            : (err.code ?? err.message);
  // Not `invalid-input`: the arguments were well formed, the machine said no (exit 1, not 2).
  const code =
    err.code === 'EACCES'
      ? 'access-denied'
      : err.code === 'EADDRINUSE'
        ? 'limit-exceeded'
        : 'not-found';
  return new VmscopeError(code, `cannot listen on ${where}: ${why}.`);
}
