import { type Handle, isInvalidHandle, type Win32 } from './bindings';
import {
  ERROR_ACCESS_DENIED,
  PROCESS_QUERY_INFORMATION,
  PROCESS_QUERY_LIMITED_INFORMATION,
  PROCESS_VM_READ,
  STILL_ACTIVE,
} from '../../win32/constants';
import type { VmscopeError } from '../../../shared/errors';
import { exitedError, openError, win32Error } from './win32Errors';

/** An open process handle and how much it may do. */
export interface ProcessHandle {
  pid: number;
  handle: Handle;
  /** False when only PROCESS_QUERY_LIMITED_INFORMATION was granted: no memory walk or reads. */
  canReadMemory: boolean;
}

/**
 * Opens a process for reading its memory, settling for limited query rights (enough for
 * counters and the image name) where full rights are refused, as they are for protected
 * processes and other users' processes without elevation.
 */
export function openProcess(api: Win32, pid: number): ProcessHandle {
  // Our own process through its pseudo handle: full rights, nothing to close, and the one
  // handle Wine answers QueryWorkingSetEx for.
  if (pid === api.GetCurrentProcessId())
    return { pid, handle: api.GetCurrentProcess(), canReadMemory: true };
  const full = api.OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, 0, pid);
  if (!isInvalidHandle(full)) return { pid, handle: full, canReadMemory: true };
  const firstError = api.GetLastError();
  const limited = api.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
  if (!isInvalidHandle(limited)) return { pid, handle: limited, canReadMemory: false };
  throw openError(firstError, pid);
}

/** Runs `use` with an open process handle and closes it on every path. */
export function withProcess<T>(api: Win32, pid: number, use: (process: ProcessHandle) => T): T {
  const process = openProcess(api, pid);
  try {
    return use(process);
  } finally {
    api.CloseHandle(process.handle);
  }
}

/**
 * The error for a call that failed on an open handle: if the process has exited since it was
 * opened (the handle keeps the object alive), say so; otherwise map the Win32 error.
 */
export function failedCall(api: Win32, process: ProcessHandle, what: string): VmscopeError {
  const lastError = api.GetLastError();
  const code = new Uint32Array(1);
  if (api.GetExitCodeProcess(process.handle, code) && code[0] !== STILL_ACTIVE) {
    return exitedError(process.pid, what);
  }
  return win32Error(lastError, process.pid, what);
}

/** The memory walk needs PROCESS_VM_READ; say so when only limited rights were granted. */
export function requireMemoryAccess(process: ProcessHandle): void {
  if (!process.canReadMemory)
    throw win32Error(ERROR_ACCESS_DENIED, process.pid, 'read the memory of');
}
