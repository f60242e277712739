import { koffi as loadKoffi } from '../../ffi/koffi';

/**
 * kernel32, psapi, advapi32 and ntdll through koffi, declared once. Every structure goes in and out as a
 * Buffer (decoded in win32Structs.ts), handles are koffi 3's BigInt pointers, and addresses in
 * another process are uintptr_t BigInts. koffi is required on first use only, so merely
 * importing this module (on Linux, say) never loads it or any DLL.
 */

/** A HANDLE as koffi 3 returns it; null or 0n is NULL. */
export type Handle = bigint | null;

export interface Win32 {
  GetLastError(): number;
  GetCurrentProcess(): Handle;
  GetCurrentProcessId(): number;
  OpenProcess(access: number, inherit: number, pid: number): Handle;
  OpenThread(access: number, inherit: number, tid: number): Handle;
  CloseHandle(handle: Handle): number;
  GetExitCodeProcess(process: Handle, code: Uint32Array): number;
  GetProcessTimes(
    process: Handle,
    creation: Buffer,
    exit: Buffer,
    kernel: Buffer,
    user: Buffer,
  ): number;
  GetProcessHandleCount(process: Handle, count: Uint32Array): number;
  QueryFullProcessImageNameW(
    process: Handle,
    flags: number,
    name: Buffer,
    size: Uint32Array,
  ): number;
  IsWow64Process(process: Handle, wow64: Uint32Array): number;
  /** Windows 10 1709 and later; null where kernel32 lacks it. */
  IsWow64Process2:
    ((process: Handle, processMachine: Uint16Array, nativeMachine: Uint16Array) => number) | null;
  GetSystemInfo(info: Buffer): void;
  VirtualQueryEx(process: Handle, address: bigint, info: Buffer, length: number): number | bigint;
  ReadProcessMemory(
    process: Handle,
    address: bigint,
    buffer: Buffer,
    size: number,
    read: null,
  ): number;
  QueryDosDeviceW(name: string, target: Buffer, max: number): number;
  GetLogicalDriveStringsW(length: number, buffer: Buffer): number;
  CreateToolhelp32Snapshot(flags: number, pid: number): Handle;
  Thread32First(snapshot: Handle, entry: Buffer): number;
  Thread32Next(snapshot: Handle, entry: Buffer): number;
  Process32FirstW(snapshot: Handle, entry: Buffer): number;
  Process32NextW(snapshot: Handle, entry: Buffer): number;
  EnumProcesses(pids: Uint32Array, bytes: number, needed: Uint32Array): number;
  GetMappedFileNameW(process: Handle, address: bigint, name: Buffer, size: number): number;
  QueryWorkingSetEx(process: Handle, info: Buffer, bytes: number): number;
  GetProcessMemoryInfo(process: Handle, counters: Buffer, bytes: number): number;
  GetPerformanceInfo(info: Buffer, bytes: number): number;
  OpenProcessToken(process: Handle, access: number, token: BigUint64Array): number;
  GetTokenInformation(
    token: Handle,
    infoClass: number,
    info: Buffer,
    length: number,
    returned: Uint32Array,
  ): number;
  LookupAccountSidW(
    system: null,
    sid: bigint,
    name: Buffer,
    nameChars: Uint32Array,
    domain: Buffer,
    domainChars: Uint32Array,
    use: Uint32Array,
  ): number;
  /** NTSTATUS results: 0 is success, negative values are errors. */
  NtQueryInformationProcess(
    process: Handle,
    infoClass: number,
    info: Buffer,
    length: number,
    returned: null,
  ): number;
  NtQueryInformationThread(
    thread: Handle,
    infoClass: number,
    info: Buffer,
    length: number,
    returned: null,
  ): number;

  /** NTSTATUS; `returned` receives the size needed when the buffer is too small. */
  NtQuerySystemInformation(
    infoClass: number,
    info: Buffer,
    length: number,
    returned: Uint32Array,
  ): number;

  // What the live sandbox child does to its own memory (src/core/sandbox/live/windowsMemory.ts).
  // Addresses and sizes are uintptr_t BigInts; koffi may hand uintptr_t results back as numbers.
  VirtualAlloc(address: bigint, size: bigint, type: number, protect: number): number | bigint;
  VirtualFree(address: bigint, size: bigint, type: number): number;
  /** `oldProtect` null passes a NULL lpflOldProtect. */
  VirtualProtect(
    address: bigint,
    size: bigint,
    protect: number,
    oldProtect: Uint32Array | null,
  ): number;
  VirtualQuery(address: bigint, info: Buffer, length: number): number | bigint;
  VirtualLock(address: bigint, size: bigint): number;
  VirtualUnlock(address: bigint, size: bigint): number;
  SetProcessWorkingSetSize(process: Handle, minimum: bigint, maximum: bigint): number;
  GetProcessWorkingSetSize(
    process: Handle,
    minimum: BigUint64Array,
    maximum: BigUint64Array,
  ): number;
  K32EmptyWorkingSet(process: Handle): number;
  SetErrorMode(mode: number): number;
  SetLastError(code: number): void;
  GetProcessHeap(): Handle;
  GetProcessHeaps(count: number, heaps: BigUint64Array): number;
  HeapCreate(options: number, initialSize: bigint, maximumSize: bigint): Handle;
  HeapAlloc(heap: bigint, flags: number, size: bigint): number | bigint;
  HeapReAlloc(heap: bigint, flags: number, block: bigint, size: bigint): number | bigint;
  HeapFree(heap: bigint, flags: number, block: bigint): number;
  /** (SIZE_T)-1 on failure. */
  HeapSize(heap: bigint, flags: number, block: bigint): number | bigint;
  HeapValidate(heap: bigint, flags: number, block: bigint): number;
  /** `entry` is a PROCESS_HEAP_ENTRY (lpData NULL starts the walk). */
  HeapWalk(heap: bigint, entry: Buffer): number;
  HeapDestroy(heap: bigint): number;
  /** `file` is a file handle, or INVALID_HANDLE_VALUE (all bits set) for a pagefile-backed section. */
  CreateFileMappingW(
    file: bigint,
    attributes: null,
    protect: number,
    sizeHigh: number,
    sizeLow: number,
    name: string | null,
  ): Handle;
  OpenFileMappingW(access: number, inherit: number, name: string): Handle;
  MapViewOfFileEx(
    mapping: Handle,
    access: number,
    offsetHigh: number,
    offsetLow: number,
    size: bigint,
    base: bigint,
  ): number | bigint;
  UnmapViewOfFile(address: bigint): number;
  FlushViewOfFile(address: bigint, size: bigint): number;
  /** ntdll's C runtime: real writes and reads of the sandbox's pages. */
  memset(address: bigint, value: number, size: bigint): number | bigint;
  memcpy(destination: Buffer, source: bigint, size: bigint): unknown;
}

const KERNEL32 = [
  'uint32_t GetLastError()',
  'void *GetCurrentProcess()',
  'uint32_t GetCurrentProcessId()',
  'void *OpenProcess(uint32_t access, int inherit, uint32_t pid)',
  'void *OpenThread(uint32_t access, int inherit, uint32_t tid)',
  'int CloseHandle(void *handle)',
  'int GetExitCodeProcess(void *process, void *code)',
  'int GetProcessTimes(void *process, void *creation, void *exit, void *kernel, void *user)',
  'int GetProcessHandleCount(void *process, void *count)',
  'int QueryFullProcessImageNameW(void *process, uint32_t flags, void *name, void *size)',
  'int IsWow64Process(void *process, void *wow64)',
  'void GetSystemInfo(void *info)',
  'uintptr_t VirtualQueryEx(void *process, uintptr_t address, void *info, uintptr_t length)',
  'int ReadProcessMemory(void *process, uintptr_t address, void *buffer, uintptr_t size, void *read)',
  'uint32_t QueryDosDeviceW(str16 name, void *target, uint32_t max)',
  'uint32_t GetLogicalDriveStringsW(uint32_t length, void *buffer)',
  'void *CreateToolhelp32Snapshot(uint32_t flags, uint32_t pid)',
  'int Thread32First(void *snapshot, void *entry)',
  'int Thread32Next(void *snapshot, void *entry)',
  'int Process32FirstW(void *snapshot, void *entry)',
  'int Process32NextW(void *snapshot, void *entry)',
  'uintptr_t VirtualAlloc(uintptr_t address, uintptr_t size, uint32_t type, uint32_t protect)',
  'int VirtualFree(uintptr_t address, uintptr_t size, uint32_t type)',
  'int VirtualProtect(uintptr_t address, uintptr_t size, uint32_t protect, void *oldProtect)',
  'uintptr_t VirtualQuery(uintptr_t address, void *info, uintptr_t length)',
  'int VirtualLock(uintptr_t address, uintptr_t size)',
  'int VirtualUnlock(uintptr_t address, uintptr_t size)',
  'int SetProcessWorkingSetSize(void *process, uintptr_t minimum, uintptr_t maximum)',
  'int GetProcessWorkingSetSize(void *process, void *minimum, void *maximum)',
  'int K32EmptyWorkingSet(void *process)',
  'uint32_t SetErrorMode(uint32_t mode)',
  'void SetLastError(uint32_t code)',
  'void *GetProcessHeap()',
  'uint32_t GetProcessHeaps(uint32_t count, void *heaps)',
  'void *HeapCreate(uint32_t options, uintptr_t initialSize, uintptr_t maximumSize)',
  'uintptr_t HeapAlloc(uintptr_t heap, uint32_t flags, uintptr_t size)',
  'uintptr_t HeapReAlloc(uintptr_t heap, uint32_t flags, uintptr_t block, uintptr_t size)',
  'int HeapFree(uintptr_t heap, uint32_t flags, uintptr_t block)',
  'uintptr_t HeapSize(uintptr_t heap, uint32_t flags, uintptr_t block)',
  'int HeapValidate(uintptr_t heap, uint32_t flags, uintptr_t block)',
  'int HeapWalk(uintptr_t heap, void *entry)',
  'int HeapDestroy(uintptr_t heap)',
  'void *CreateFileMappingW(uintptr_t file, void *attributes, uint32_t protect, uint32_t sizeHigh, uint32_t sizeLow, str16 name)',
  'void *OpenFileMappingW(uint32_t access, int inherit, str16 name)',
  'uintptr_t MapViewOfFileEx(void *mapping, uint32_t access, uint32_t offsetHigh, uint32_t offsetLow, uintptr_t size, uintptr_t base)',
  'int UnmapViewOfFile(uintptr_t address)',
  'int FlushViewOfFile(uintptr_t address, uintptr_t size)',
];

const PSAPI = [
  'int EnumProcesses(void *pids, uint32_t bytes, void *needed)',
  'uint32_t GetMappedFileNameW(void *process, uintptr_t address, void *name, uint32_t size)',
  'int QueryWorkingSetEx(void *process, void *info, uint32_t bytes)',
  'int GetProcessMemoryInfo(void *process, void *counters, uint32_t bytes)',
  'int GetPerformanceInfo(void *info, uint32_t bytes)',
];

const ADVAPI32 = [
  'int OpenProcessToken(void *process, uint32_t access, void *token)',
  'int GetTokenInformation(void *token, uint32_t infoClass, void *info, uint32_t length, void *returned)',
  'int LookupAccountSidW(str16 system, void *sid, void *name, void *nameChars, void *domain, void *domainChars, void *use)',
];

const NTDLL = [
  'int32_t NtQueryInformationProcess(void *process, uint32_t infoClass, void *info, uint32_t length, void *returned)',
  'int32_t NtQueryInformationThread(void *thread, uint32_t infoClass, void *info, uint32_t length, void *returned)',
  'int32_t NtQuerySystemInformation(uint32_t infoClass, void *info, uint32_t length, void *returned)',
  'uintptr_t memset(uintptr_t destination, int value, uintptr_t size)',
  'void *memcpy(void *destination, uintptr_t source, uintptr_t size)',
];

let bound: Win32 | null = null;

/** The bindings, loaded on first call; throws where koffi or the DLLs are missing. */
export function win32(): Win32 {
  if (bound) return bound;
  const koffi = loadKoffi();
  const api: Record<string, unknown> = {};
  const bind = (dll: string, declarations: string[]): void => {
    const lib = koffi.load(dll);
    for (const declaration of declarations) {
      const fn = lib.func(declaration);
      api[fn.info.name] = fn;
    }
  };
  bind('kernel32.dll', KERNEL32);
  bind('psapi.dll', PSAPI);
  bind('advapi32.dll', ADVAPI32);
  bind('ntdll.dll', NTDLL);
  try {
    api.IsWow64Process2 = koffi
      .load('kernel32.dll')
      .func('int IsWow64Process2(void *process, void *processMachine, void *nativeMachine)');
  } catch {
    api.IsWow64Process2 = null;
  }
  bound = api as unknown as Win32;
  return bound;
}

/** True for NULL and for INVALID_HANDLE_VALUE (-1), the two ways Win32 says "no handle". */
export function isInvalidHandle(handle: Handle): boolean {
  return handle === null || handle === 0n || handle === 0xffffffffffffffffn;
}
