import { closeSync, openSync, renameSync, rmSync } from 'node:fs';
import { VmscopeError } from '../../shared/errors';
import { koffi } from '../ffi/koffi';
import { type Handle, isInvalidHandle, win32 } from '../sources/windows/bindings';
import { exitedError, openError, win32Error } from '../sources/windows/win32Errors';
import { PROCESS_QUERY_INFORMATION, PROCESS_VM_READ, STILL_ACTIVE } from '../win32/constants';

/** What the dump holds: all memory, the memory info list, thread info and the PEB/TEBs. */
const MiniDumpWithFullMemory = 0x2;
const MiniDumpWithProcessThreadData = 0x100;
const MiniDumpWithFullMemoryInfo = 0x800;
const MiniDumpWithThreadInfo = 0x1000;
export const MINIDUMP_TYPE =
  MiniDumpWithFullMemory |
  MiniDumpWithProcessThreadData |
  MiniDumpWithFullMemoryInfo |
  MiniDumpWithThreadInfo;
const GENERIC_WRITE = 0x40000000;
const CREATE_ALWAYS = 2;
const FILE_ATTRIBUTE_NORMAL = 0x80;

type WriteDump = (
  process: Handle,
  pid: number,
  file: Handle,
  type: number,
  exception: null,
  user: null,
  callback: null,
) => number;
type CreateFile = (
  name: string,
  access: number,
  share: number,
  security: null,
  disposition: number,
  flags: number,
  template: null,
) => Handle;

let bound: { MiniDumpWriteDump: WriteDump; CreateFileW: CreateFile } | null = null;

function dbghelp(): NonNullable<typeof bound> {
  if (bound) return bound;
  const k = koffi();
  bound = {
    MiniDumpWriteDump: k
      .load('dbghelp.dll')
      .func(
        'int MiniDumpWriteDump(void *process, uint32_t pid, void *file, uint32_t type, void *exception, void *user, void *callback)',
      ) as unknown as WriteDump,
    CreateFileW: k
      .load('kernel32.dll')
      .func(
        'void *CreateFileW(str16 name, uint32_t access, uint32_t share, void *security, uint32_t disposition, uint32_t flags, void *template)',
      ) as unknown as CreateFile,
  };
  return bound;
}

/**
 * A minidump of a running process, written by dbghelp's MiniDumpWriteDump (what Task Manager's
 * "Create dump file" and procdump call) with full memory, memory info and thread data. Written to
 * a temporary file next to `out` and renamed into place.
 */
export function writeMinidump(pid: number, out: string): void {
  const api = win32();
  const { MiniDumpWriteDump, CreateFileW } = dbghelp();
  const process = api.OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, 0, pid);
  if (isInvalidHandle(process)) throw openError(api.GetLastError(), pid);
  const temporary = `${out}.vmscope-${globalThis.process.pid}.tmp`;
  try {
    // Created (and closed) by Node first: a path Node cannot write fails with Node's own reason.
    closeSync(openSync(temporary, 'w'));
    const file = CreateFileW(
      temporary,
      GENERIC_WRITE,
      0,
      null,
      CREATE_ALWAYS,
      FILE_ATTRIBUTE_NORMAL,
      null,
    );
    if (isInvalidHandle(file))
      throw new VmscopeError(
        'internal',
        `Cannot create ${temporary} (error ${api.GetLastError()}).`,
      );
    let ok: number;
    let error = 0;
    try {
      ok = MiniDumpWriteDump(process, pid, file, MINIDUMP_TYPE, null, null, null);
      if (!ok) error = api.GetLastError();
    } finally {
      api.CloseHandle(file);
    }
    if (!ok) {
      const code = new Uint32Array(1);
      if (api.GetExitCodeProcess(process, code) && code[0] !== STILL_ACTIVE)
        throw exitedError(pid, 'write a minidump of');
      // MiniDumpWriteDump reports failures as HRESULTs (0x8007xxxx): the Win32 error is the low word.
      throw win32Error(
        (error & 0xffff0000) >>> 0 === 0x80070000 ? error & 0xffff : error,
        pid,
        'write a minidump of',
      );
    }
    renameSync(temporary, out);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  } finally {
    api.CloseHandle(process);
  }
}
