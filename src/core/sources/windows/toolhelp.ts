import { isInvalidHandle, type Win32 } from './bindings';
import { TH32CS_SNAPPROCESS, TH32CS_SNAPTHREAD } from '../../win32/constants';
import {
  decodeProcessEntry,
  decodeThreadEntry,
  PROCESSENTRY32W_SIZE,
  type ProcessEntry,
  sizedBuffer,
  THREADENTRY32_SIZE,
} from './win32Structs';

/** Walks a toolhelp snapshot with its First/Next pair and closes it on every path. */
function walkSnapshot(
  api: Win32,
  flags: number,
  entry: Buffer,
  first: (snapshot: bigint | null, entry: Buffer) => number,
  next: (snapshot: bigint | null, entry: Buffer) => number,
  visit: (entry: Buffer) => void,
): void {
  const snapshot = api.CreateToolhelp32Snapshot(flags, 0);
  if (isInvalidHandle(snapshot)) return;
  try {
    for (let more = first(snapshot, entry); more; more = next(snapshot, entry)) visit(entry);
  } finally {
    api.CloseHandle(snapshot);
  }
}

/** The ids of a process's threads (TH32CS_SNAPTHREAD lists every thread; we keep its own). */
export function forEachThread(api: Win32, pid: number, visit: (threadId: number) => void): void {
  const ids: number[] = [];
  walkSnapshot(
    api,
    TH32CS_SNAPTHREAD,
    sizedBuffer(THREADENTRY32_SIZE),
    api.Thread32First,
    api.Thread32Next,
    (buf) => {
      const entry = decodeThreadEntry(buf);
      if (entry.ownerProcessId === pid) ids.push(entry.threadId);
    },
  );
  // Visited after the snapshot is closed, so a visitor's failure cannot leak it.
  ids.forEach(visit);
}

/** Parent and executable name of every process, readable even where OpenProcess is refused. */
export function processEntries(api: Win32): Map<number, ProcessEntry> {
  const entries = new Map<number, ProcessEntry>();
  walkSnapshot(
    api,
    TH32CS_SNAPPROCESS,
    sizedBuffer(PROCESSENTRY32W_SIZE),
    api.Process32FirstW,
    api.Process32NextW,
    (buf) => {
      const entry = decodeProcessEntry(buf);
      entries.set(entry.processId, entry);
    },
  );
  return entries;
}
