import type { ProcessInfo } from '../../../shared/model';
import type { Win32 } from './bindings';
import { readMemoryCounters } from './counters';
import { baseName, commandLine, imagePath, startTime } from './processFacts';
import { openProcess } from './processHandle';
import { processUser } from './processUser';
import { processEntries } from './toolhelp';
import type { ProcessEntry } from './win32Structs';

/** Every process id, from EnumProcesses with a buffer grown until the list fits. */
export function enumProcessIds(api: Win32): number[] {
  for (let capacity = 1024; ; capacity *= 2) {
    const pids = new Uint32Array(capacity);
    const needed = new Uint32Array(1);
    if (!api.EnumProcesses(pids, pids.byteLength, needed)) {
      throw new Error(`EnumProcesses failed (Win32 error ${api.GetLastError()}).`);
    }
    const count = (needed[0] ?? 0) / 4;
    if (count < capacity) return Array.from(pids.subarray(0, count));
  }
}

/** The Idle (0) and System (4) processes: kernel only, no user address space to show. */
function isKernelProcess(pid: number, entry: ProcessEntry | undefined): boolean {
  return pid === 0 || (pid === 4 && entry?.exeFile === 'System');
}

/**
 * One process as the list shows it. Limited query rights suffice here, so most processes of
 * other users still show their image and sizes; where even those are refused (protected
 * processes), toolhelp's name and parent remain and the sizes are null.
 */
export function readProcessInfo(
  api: Win32,
  pid: number,
  entry: ProcessEntry | undefined,
): ProcessInfo {
  const info: ProcessInfo = {
    pid,
    parentPid: entry?.parentProcessId ?? null,
    name: entry?.exeFile ?? String(pid),
    path: null,
    user: null,
    workingSetSize: null,
    privateBytes: null,
    startTime: null,
    commandLine: null,
    kernelThread: isKernelProcess(pid, entry),
  };
  if (info.kernelThread) return info;
  let process;
  try {
    process = openProcess(api, pid);
  } catch {
    return info;
  }
  try {
    info.path = imagePath(api, process);
    if (info.path) info.name = baseName(info.path);
    info.startTime = startTime(api, process);
    info.commandLine = commandLine(api, process);
    info.user = processUser(api, process);
    const pmc = readMemoryCounters(api, process);
    info.workingSetSize = pmc.workingSetSize;
    info.privateBytes = pmc.privateUsage;
  } catch {
    // Exited or refused between open and read: the list keeps what it had.
  } finally {
    api.CloseHandle(process.handle);
  }
  return info;
}

export function listWindowsProcesses(api: Win32): ProcessInfo[] {
  const entries = processEntries(api);
  return enumProcessIds(api).map((pid) => readProcessInfo(api, pid, entries.get(pid)));
}
