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
  GetCurrentProcessId(): number;
  OpenProcess(access: number, inherit: number, pid: number): bigint;
  CloseHandle(handle: bigint): number;
}

export const MEM_COMMIT = 0x1000;
export const MEM_RESERVE = 0x2000;
export const MEM_RELEASE = 0x8000;
export const PAGE_READWRITE = 0x04;
export const PAGE_READONLY = 0x02;

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
    GetCurrentProcessId: kernel32.func('uint32_t GetCurrentProcessId()'),
    OpenProcess: kernel32.func('void *OpenProcess(uint32_t access, int inherit, uint32_t pid)'),
    CloseHandle: kernel32.func('int CloseHandle(void *handle)'),
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

/**
 * The value the next handle gets. Windows and Wine both hand out the lowest free slot of the
 * handle table, so this stays put unless handles leak, which also works where the count does not.
 */
export function nextHandleValue(api: TestProcessApi): bigint {
  const handle = api.OpenProcess(0x1000, 0, api.GetCurrentProcessId());
  if (!handle) throw new Error('OpenProcess(self) failed');
  api.CloseHandle(handle);
  return BigInt(handle);
}
