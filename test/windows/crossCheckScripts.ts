/**
 * Sandbox scripts for issue 4's rules, one per rule group, each step's expected Windows answer in
 * its note (the simulator gives it; Microsoft's documentation and Wine's
 * dlls/kernel32/tests/virtual.c say so). liveSandbox.wine.ts runs them on the live Windows
 * engine and on the simulator and compares them step by step.
 */
const KiB = 1024;

export interface CrossCheckScript {
  name: string;
  script: { steps: Record<string, unknown>[] };
}

/** Above the user range (0x7FFFFFFEFFFF): every call there fails with ERROR_INVALID_PARAMETER. */
const ABOVE_USER_RANGE = '0x800000000000';

export const RULE_SCRIPTS: CrossCheckScript[] = [
  {
    name: 'VirtualAlloc: invalid combinations',
    script: {
      steps: [
        { op: 'VirtualAlloc', size: 0, type: 'MEM_COMMIT|MEM_RESERVE', protect: 'PAGE_READWRITE', note: '87: size 0' },
        { op: 'VirtualAlloc', size: 4096, type: 0, protect: 'PAGE_READWRITE', note: '87: no type' },
        { op: 'VirtualAlloc', size: 4096, type: 'MEM_DECOMMIT', protect: 'PAGE_READWRITE', note: '87: not an allocation type' },
        { op: 'VirtualAlloc', size: 4096, type: 'MEM_RESERVE', protect: 0, note: '87: no protection' },
        { op: 'VirtualAlloc', size: 4096, type: 'MEM_RESERVE', protect: 'PAGE_READWRITE|PAGE_EXECUTE', note: '87: two base protections' },
        { op: 'VirtualAlloc', size: 4096, type: 'MEM_RESERVE|MEM_COMMIT', protect: 'PAGE_NOACCESS|PAGE_GUARD', note: '87: a modifier on PAGE_NOACCESS' },
        { op: 'VirtualAlloc', size: 4096, type: 'MEM_RESERVE', protect: 'PAGE_WRITECOPY', note: '87: copy-on-write is for views only' },
        { op: 'VirtualAlloc', address: ABOVE_USER_RANGE, size: 4096, type: 'MEM_RESERVE', protect: 'PAGE_READWRITE', note: '87: above the user range' },
        { op: 'VirtualAlloc', size: 64 * KiB, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'r' },
        { op: 'VirtualAlloc', address: 'r', size: 4096, type: 'MEM_RESERVE', protect: 'PAGE_READWRITE', note: '487: already reserved' },
        { op: 'VirtualAlloc', address: 'r+0x10000', size: 4096, type: 'MEM_COMMIT', protect: 'PAGE_READWRITE', note: '487: commit outside any reservation' },
        { op: 'VirtualAlloc', address: 'r+0xf000', size: 0x2000, type: 'MEM_COMMIT', protect: 'PAGE_READWRITE', note: '487: commit past the reservation' },
        { op: 'VirtualAlloc', address: 'r+0x1010', size: 16, type: 'MEM_COMMIT', protect: 'PAGE_READWRITE', note: 'commits the page: returns its start' },
        { op: 'VirtualAlloc', address: 'r+0x1000', size: 4096, type: 'MEM_COMMIT', protect: 'PAGE_READONLY', note: 'committing committed pages is fine' },
        { op: 'VirtualQuery', address: 'r+0x1000', note: 'and sets the new protection' },
        { op: 'VirtualAlloc', address: 'r+0x1000', size: 4096, type: 'MEM_RESET', protect: 'PAGE_NOACCESS', note: 'MEM_RESET of committed memory' },
        { op: 'VirtualAlloc', address: 'r+0x1000', size: 4096, type: 'MEM_RESET|MEM_COMMIT', protect: 'PAGE_READWRITE', note: '87: MEM_RESET with anything else' },
        { op: 'VirtualAlloc', size: 8192, type: 'MEM_RESERVE|MEM_TOP_DOWN', protect: 'PAGE_READWRITE', as: 'top', note: 'top-down works' },
        { op: 'VirtualQuery', address: 'top' },
        { op: 'VirtualFree', address: 'top', type: 'MEM_RELEASE' },
        { op: 'VirtualFree', address: 'r', type: 'MEM_RELEASE' },
      ],
    },
  },
  {
    name: 'VirtualFree: decommit and release',
    script: {
      steps: [
        { op: 'VirtualAlloc', size: 128 * KiB, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'room', note: 'make two adjacent reservations: reserve, release, reserve twice' },
        { op: 'VirtualFree', address: 'room', type: 'MEM_RELEASE' },
        { op: 'VirtualAlloc', address: 'room', size: 64 * KiB, type: 'MEM_RESERVE|MEM_COMMIT', protect: 'PAGE_READWRITE', as: 'a' },
        { op: 'VirtualAlloc', address: 'room+0x10000', size: 64 * KiB, type: 'MEM_RESERVE|MEM_COMMIT', protect: 'PAGE_READWRITE', as: 'b' },
        { op: 'VirtualFree', address: 'a', size: 4096, type: 'MEM_RELEASE', note: '87: release takes size 0' },
        { op: 'VirtualFree', address: 'a+0x1000', type: 'MEM_RELEASE', note: '487: release needs the allocation base' },
        { op: 'VirtualFree', address: 'a', type: 'MEM_RELEASE|MEM_DECOMMIT', note: '87: one of the two' },
        { op: 'VirtualFree', address: 'a', size: 4096, type: 0, note: '87: no type' },
        { op: 'VirtualFree', address: 'a+0xf000', size: 0x2000, type: 'MEM_DECOMMIT', note: '87: a decommit running past its allocation (STATUS_UNABLE_TO_FREE_VM)' },
        { op: 'VirtualFree', address: 'a+0x2000', size: 0x2000, type: 'MEM_DECOMMIT' },
        { op: 'VirtualQuery', address: 'a+0x2000', note: 'MEM_RESERVE, Protect 0' },
        { op: 'VirtualFree', address: 'a+0x2000', size: 0x2000, type: 'MEM_DECOMMIT', note: 'decommitting reserved pages is fine' },
        { op: 'VirtualFree', address: 'a', type: 'MEM_DECOMMIT', note: 'size 0 from the base: the whole allocation' },
        { op: 'VirtualQuery', address: 'a+0x8000' },
        { op: 'VirtualFree', address: 'a', type: 'MEM_RELEASE' },
        { op: 'VirtualFree', address: 'a', type: 'MEM_RELEASE', note: '487: released already' },
        { op: 'VirtualQuery', address: 'a', note: 'MEM_FREE' },
        { op: 'VirtualFree', address: 'b', type: 'MEM_RELEASE' },
      ],
    },
  },
  {
    name: 'VirtualProtect and VirtualQuery',
    script: {
      steps: [
        { op: 'VirtualAlloc', size: 20480, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'base' },
        { op: 'VirtualAlloc', address: 'base+0x1000', size: 0x2000, type: 'MEM_COMMIT', protect: 'PAGE_READWRITE' },
        { op: 'VirtualQuery', address: 'base', note: 'reserved: Protect 0' },
        { op: 'VirtualQuery', address: 'base+0x1010', note: 'the run of two committed pages' },
        { op: 'VirtualQuery', address: 'base+0x3000', note: 'the reserved tail up to the allocation end' },
        { op: 'VirtualQuery', address: 'base+0x5000', note: 'beyond the allocation: free' },
        { op: 'VirtualProtect', address: 'base+0x1000', size: 4096, protect: 'PAGE_READONLY', note: 'returns PAGE_READWRITE' },
        { op: 'VirtualProtect', address: 'base+0x1000', size: 0x2000, protect: 'PAGE_EXECUTE_READ', note: 'returns the first page\'s: PAGE_READONLY' },
        { op: 'VirtualQuery', address: 'base+0x2000' },
        { op: 'VirtualProtect', address: 'base+0x3000', size: 4096, protect: 'PAGE_READWRITE', note: '487: reserved pages' },
        { op: 'VirtualProtect', address: 'base+0x1000', size: 0x3000, protect: 'PAGE_READWRITE', note: '487: part reserved' },
        { op: 'VirtualProtect', address: 'base+0x1000', size: 4096, protect: 'PAGE_READWRITE', oldProtect: null, note: '998: NULL old-protection pointer' },
        { op: 'VirtualProtect', address: 'base+0x1000', size: 4096, protect: 0, note: '87: no protection' },
        { op: 'VirtualProtect', address: 'base+0x1000', size: 4096, protect: 'PAGE_READWRITE|PAGE_EXECUTE', note: '87: two base protections' },
        { op: 'VirtualQuery', address: ABOVE_USER_RANGE, note: '87: above the user range' },
        { op: 'VirtualFree', address: 'base', type: 'MEM_RELEASE' },
        { op: 'VirtualProtect', address: 'base+0x1000', size: 4096, protect: 'PAGE_READWRITE', note: '487: free memory' },
      ],
    },
  },
  {
    name: 'Guard pages',
    script: {
      steps: [
        { op: 'VirtualAlloc', size: 0x2000, type: 'MEM_RESERVE|MEM_COMMIT', protect: 'PAGE_READWRITE|PAGE_GUARD', as: 'g', note: 'allocated guarded' },
        { op: 'VirtualQuery', address: 'g', note: 'PAGE_READWRITE|PAGE_GUARD' },
        { op: 'Read', address: 'g+0x1000', note: 'STATUS_GUARD_PAGE_VIOLATION' },
        { op: 'VirtualQuery', address: 'g', note: 'the other page still guarded' },
        { op: 'VirtualQuery', address: 'g+0x1000', note: 'the guard is gone' },
        { op: 'Read', address: 'g+0x1000', note: 'now fine' },
        { op: 'VirtualLock', address: 'g', size: 4096, note: 'locking a guard page fails with STATUS_GUARD_PAGE_VIOLATION and clears it' },
        { op: 'VirtualLock', address: 'g', size: 4096, note: 'then succeeds' },
        { op: 'VirtualFree', address: 'g', type: 'MEM_RELEASE' },
      ],
    },
  },
  {
    name: 'Access violations and DEP',
    script: {
      steps: [
        { op: 'VirtualAlloc', size: 0x4000, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'p' },
        { op: 'VirtualAlloc', address: 'p', size: 4096, type: 'MEM_COMMIT', protect: 'PAGE_READONLY' },
        { op: 'VirtualAlloc', address: 'p+0x1000', size: 4096, type: 'MEM_COMMIT', protect: 'PAGE_NOACCESS' },
        { op: 'VirtualAlloc', address: 'p+0x2000', size: 4096, type: 'MEM_COMMIT', protect: 'PAGE_EXECUTE_READ' },
        { op: 'Read', address: 'p+0x10', note: 'read-only: reading is fine' },
        { op: 'Write', address: 'p+0x10', note: 'writing read-only memory: access violation (write)' },
        { op: 'Execute', address: 'p', note: 'DEP: access violation (execute)' },
        { op: 'Read', address: 'p+0x1000', note: 'PAGE_NOACCESS: access violation (read)' },
        { op: 'Write', address: 'p+0x2000', note: 'PAGE_EXECUTE_READ is not writable' },
        { op: 'Read', address: 'p+0x3000', note: 'reserved: access violation' },
        { op: 'Execute', address: 'p+0x3000', note: 'reserved: access violation (execute)' },
        { op: 'Read', address: 'p+0xff0', size: 0x20, note: 'crossing into PAGE_NOACCESS: faults at the first byte there' },
        { op: 'VirtualFree', address: 'p', type: 'MEM_RELEASE' },
        { op: 'Read', address: 'p', note: 'released: access violation' },
      ],
    },
  },
  {
    name: 'VirtualLock, VirtualUnlock and the working set',
    script: {
      steps: [
        { op: 'VirtualAlloc', size: 64 * KiB, type: 'MEM_RESERVE|MEM_COMMIT', protect: 'PAGE_READWRITE', as: 'l' },
        { op: 'VirtualUnlock', address: 'l', size: 4096, note: '158: not locked' },
        { op: 'VirtualLock', address: 'l', size: 4096 },
        { op: 'VirtualUnlock', address: 'l', size: 4096 },
        { op: 'VirtualUnlock', address: 'l', size: 4096, note: '158: unlocked already' },
        { op: 'VirtualAlloc', size: 64 * KiB, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'reserved' },
        { op: 'VirtualLock', address: 'reserved', size: 4096, note: '487: reserved pages cannot be locked' },
        { op: 'VirtualAlloc', size: 1024 * KiB, type: 'MEM_RESERVE|MEM_COMMIT', protect: 'PAGE_READWRITE', as: 'big' },
        { op: 'VirtualLock', address: 'big', size: 1024 * KiB, note: '1453: more than the working-set minimum (the lock quota)' },
        { op: 'SetProcessWorkingSetSize', minimum: 4 * 1024 * KiB, maximum: 8 * 1024 * KiB, note: 'raise the quota' },
        { op: 'VirtualLock', address: 'big', size: 1024 * KiB, note: 'now it fits' },
        { op: 'VirtualUnlock', address: 'big', size: 1024 * KiB },
        { op: 'SetProcessWorkingSetSize', minimum: 8 * 1024 * KiB, maximum: 4 * 1024 * KiB, note: '87? minimum above maximum' },
        { op: 'EmptyWorkingSet' },
        { op: 'VirtualFree', address: 'big', type: 'MEM_RELEASE' },
        { op: 'VirtualFree', address: 'reserved', type: 'MEM_RELEASE' },
        { op: 'VirtualFree', address: 'l', type: 'MEM_RELEASE' },
      ],
    },
  },
  {
    name: 'File mappings',
    script: {
      steps: [
        { op: 'CreateFileMapping', protect: 'PAGE_READWRITE', size: 64 * KiB, name: 'Local\\vmscope-cross-check', as: 's' },
        { op: 'CreateFileMapping', protect: 'PAGE_READWRITE', size: 64 * KiB, name: 'Local\\vmscope-cross-check', as: 'again', note: 'the same section; GetLastError() = ERROR_ALREADY_EXISTS' },
        { op: 'OpenFileMapping', access: 'FILE_MAP_READ', name: 'Local\\vmscope-cross-check', as: 'ro' },
        { op: 'OpenFileMapping', access: 'FILE_MAP_READ', name: 'Local\\vmscope-no-such-section', note: '2: no such name' },
        { op: 'MapViewOfFile', handle: 'ro', access: 'FILE_MAP_WRITE', note: '5: a read-only handle maps no writable view' },
        { op: 'MapViewOfFile', handle: 's', access: 'FILE_MAP_READ', offset: 4096, note: '1132: offsets are multiples of 64 KiB' },
        { op: 'MapViewOfFile', handle: 's', access: 'FILE_MAP_WRITE', as: 'w' },
        { op: 'MapViewOfFile', handle: 'ro', access: 'FILE_MAP_READ', as: 'r' },
        { op: 'Write', address: 'w+0x2000', size: 8 },
        { op: 'Read', address: 'r+0x2000', size: 8, note: 'the same pages through the other view' },
        { op: 'Write', address: 'r', size: 4, note: 'a read-only view: access violation (write)' },
        { op: 'VirtualQuery', address: 'r', note: 'MEM_MAPPED, PAGE_READONLY' },
        { op: 'VirtualQuery', address: 'w+0x1000', note: 'MEM_MAPPED, PAGE_READWRITE' },
        { op: 'FlushViewOfFile', address: 'w', size: 0 },
        { op: 'UnmapViewOfFile', address: 'r' },
        { op: 'UnmapViewOfFile', address: 'r', note: '487: unmapped already' },
        { op: 'UnmapViewOfFile', address: 'w' },
        { op: 'CloseHandle', handle: 'ro' },
        { op: 'CloseHandle', handle: 'again' },
        { op: 'CloseHandle', handle: 's' },
      ],
    },
  },
  {
    name: 'Heaps',
    script: {
      steps: [
        { op: 'HeapCreate', as: 'h', note: 'a growable private heap' },
        { op: 'HeapAlloc', heap: 'h', size: 100, as: 'b' },
        { op: 'HeapSize', heap: 'h', address: 'b', note: '100' },
        { op: 'HeapReAlloc', heap: 'h', address: 'b', size: 200, as: 'b2' },
        { op: 'HeapSize', heap: 'h', address: 'b2', note: '200' },
        { op: 'Write', address: 'b2', size: 200 },
        { op: 'HeapValidate', heap: 'h' },
        { op: 'HeapAlloc', heap: 'h', flags: 'HEAP_ZERO_MEMORY', size: 64, as: 'z' },
        { op: 'HeapFree', heap: 'h', address: 'z' },
        { op: 'HeapFree', heap: 'h', address: 'b2' },
        { op: 'HeapCreate', initialSize: 0x10000, maximumSize: 0x10000, as: 'fixed', note: 'a fixed-size heap' },
        { op: 'HeapAlloc', heap: 'fixed', size: 0x20000, note: 'more than a fixed heap holds: NULL' },
        { op: 'HeapDestroy', heap: 'fixed' },
        { op: 'HeapDestroy', heap: 'h' },
        { op: 'HeapDestroy', heap: 'h', note: '6: destroyed already' },
      ],
    },
  },
];

/** Counters to compare as deltas between GetProcessMemoryInfo steps (the live child is a whole Node process). */
export const COUNTER_SCRIPT: CrossCheckScript = {
  name: 'Counters: commit charges, touching grows the working set, decommit shrinks it',
  script: {
    steps: [
      { op: 'VirtualAlloc', size: 1024 * KiB, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'w' },
      { op: 'GetProcessMemoryInfo' },
      { op: 'VirtualAlloc', address: 'w', size: 1024 * KiB, type: 'MEM_COMMIT', protect: 'PAGE_READWRITE' },
      { op: 'GetProcessMemoryInfo' },
      { op: 'Write', address: 'w', size: 1024 * KiB },
      { op: 'GetProcessMemoryInfo' },
      { op: 'VirtualFree', address: 'w', size: 1024 * KiB, type: 'MEM_DECOMMIT' },
      { op: 'GetProcessMemoryInfo' },
      { op: 'VirtualFree', address: 'w', type: 'MEM_RELEASE' },
    ],
  },
};
