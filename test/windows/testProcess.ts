import { createRequire } from 'node:module';
import type { LibraryHandle } from 'koffi';

/**
 * What the Wine tests do to their own process through the real API: reserve, commit, touch and
 * free memory, and count handles. Declared here, not in the source: vmscope itself never
 * changes a process's memory (the live sandbox engine has its own bindings).
 */
export interface TestProcessApi {
  VirtualAlloc(address: bigint, size: number, type: number, protect: number): bigint;
  VirtualFree(address: bigint, size: number, type: number): number;
  memset(address: bigint, value: number, size: number): bigint;
  GetProcessHandleCount(process: bigint, count: Uint32Array): number;
  GetCurrentProcess(): bigint;
  GetHandleInformation(handle: bigint, flags: Uint32Array): number;
}


export function testProcessApi(): TestProcessApi {
  const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): LibraryHandle };
  const kernel32 = koffi.load('kernel32.dll');
  const ntdll = koffi.load('ntdll.dll');
  return {
    VirtualAlloc: kernel32.func('uintptr_t VirtualAlloc(uintptr_t address, uintptr_t size, uint32_t type, uint32_t protect)'),
    VirtualFree: kernel32.func('int VirtualFree(uintptr_t address, uintptr_t size, uint32_t type)'),
    memset: ntdll.func('uintptr_t memset(uintptr_t dest, int value, uintptr_t size)'),
    GetProcessHandleCount: kernel32.func('int GetProcessHandleCount(void *process, void *count)'),
    GetCurrentProcess: kernel32.func('void *GetCurrentProcess()'),
    GetHandleInformation: kernel32.func('int GetHandleInformation(void *handle, void *flags)'),
  };
}

/** GetProcessHandleCount for this process; 0 where it is not kept (Wine 8 answers 0). */
/** True under Wine, whose ntdll exports wine_get_version. */
export function underWine(): boolean {
  const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): LibraryHandle };
  try {
    koffi.load('ntdll.dll').func('const char *wine_get_version()');
    return true;
  } catch {
    return false;
  }
}

export function handleCount(api: TestProcessApi): number {
  const count = new Uint32Array(1);
  return api.GetProcessHandleCount(api.GetCurrentProcess(), count) ? (count[0] ?? 0) : 0;
}

/** Handle values scanned for live handles: 2^16 handles, far more than a leak-free test holds. */
const HANDLE_SCAN_LIMIT = 4 * 65536;

/**
 * Live handles of this process, counted by asking GetHandleInformation about every possible
 * handle value (multiples of 4). Slower than GetProcessHandleCount, but Wine 8 answers that with 0.
 */
export function liveHandles(api: TestProcessApi): number {
  const flags = new Uint32Array(1);
  let live = 0;
  for (let value = 4; value < HANDLE_SCAN_LIMIT; value += 4) if (api.GetHandleInformation(BigInt(value), flags)) live++;
  return live;
}
