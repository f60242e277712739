import { VmscopeError } from '../../../shared/errors';
import { ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER } from '../../win32/constants';

export function exitedError(pid: number, what: string): VmscopeError {
  return new VmscopeError(
    'process-exited',
    `Process ${pid} has exited (while trying to ${what} it).`,
  );
}

/**
 * Turns a failed Win32 call on a live process into the contract's error, the way procError does
 * for /proc: denied is `access-denied` with the advice that would help.
 */
export function win32Error(lastError: number, pid: number, what: string): VmscopeError {
  if (lastError === ERROR_ACCESS_DENIED) {
    return new VmscopeError(
      'access-denied',
      `Not allowed to ${what} process ${pid}: it is protected or belongs to another user. ` +
        `Run vmscope elevated (as Administrator) to inspect it.`,
    );
  }
  return new VmscopeError(
    'internal',
    `Could not ${what} process ${pid} (Win32 error ${lastError}).`,
  );
}

/** OpenProcess's failure: ERROR_INVALID_PARAMETER is its answer for a pid no process has. */
export function openError(lastError: number, pid: number): VmscopeError {
  if (lastError === ERROR_INVALID_PARAMETER) {
    return new VmscopeError(
      'process-exited',
      `There is no process ${pid}: it has exited, or the id is wrong.`,
    );
  }
  return win32Error(lastError, pid, 'open');
}
