import { describe, expect, it } from 'vitest';
import { SCRIPT_OP_NAMES, type ScriptOpName, type StepResult } from './sandboxScript';
import { formatCall, formatOutcome, formatStep, returnTypeOf } from './win32Call';

const ok = (op: ScriptOpName, returned: StepResult['returned'], info: StepResult['info'] = null) =>
  ({ op, ok: true, returned, lastError: null, exception: null, info }) satisfies StepResult;
const failed = (op: ScriptOpName, returned: StepResult['returned'], name: string, code: number) =>
  ({
    op,
    ok: false,
    returned,
    lastError: { name, code },
    exception: null,
    info: null,
  }) satisfies StepResult;

/** One case per op: the step as a script writes it, a result, and the line a Windows programmer expects. */
const CASES: Record<ScriptOpName, [Record<string, unknown>, StepResult, string][]> = {
  VirtualAlloc: [
    [
      { op: 'VirtualAlloc', size: '0x100000', type: 'MEM_RESERVE', protect: 'PAGE_READWRITE' },
      ok('VirtualAlloc', '0x10000'),
      'VirtualAlloc(NULL, 0x100000, MEM_RESERVE, PAGE_READWRITE) → 0x10000',
    ],
    [
      {
        op: 'VirtualAlloc',
        address: 'a+0x1000',
        size: 4096,
        type: ['MEM_RESERVE', 'MEM_COMMIT'],
        protect: 4,
        as: 'b',
      },
      failed('VirtualAlloc', null, 'ERROR_INVALID_ADDRESS', 487),
      'LPVOID b = VirtualAlloc(a + 0x1000, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) → NULL; GetLastError() = ERROR_INVALID_ADDRESS (487)',
    ],
  ],
  VirtualFree: [
    [
      { op: 'VirtualFree', address: 'a', type: 'MEM_RELEASE' },
      ok('VirtualFree', true),
      'VirtualFree(a, 0, MEM_RELEASE) → TRUE',
    ],
    [
      { op: 'VirtualFree', address: 'a+0x4000', type: 0x8000 },
      failed('VirtualFree', false, 'ERROR_INVALID_PARAMETER', 87),
      'VirtualFree(a + 0x4000, 0, MEM_RELEASE) → FALSE; GetLastError() = ERROR_INVALID_PARAMETER (87)',
    ],
  ],
  VirtualProtect: [
    [
      { op: 'VirtualProtect', address: 'a', size: 4096, protect: 'PAGE_READONLY' },
      ok('VirtualProtect', true, { oldProtect: 'PAGE_READWRITE' }),
      'VirtualProtect(a, 4096, PAGE_READONLY, &old) → TRUE; old = PAGE_READWRITE',
    ],
    [
      {
        op: 'VirtualProtect',
        address: 'a',
        size: 4096,
        protect: 'PAGE_READONLY',
        oldProtect: null,
      },
      failed('VirtualProtect', false, 'ERROR_NOACCESS', 998),
      'VirtualProtect(a, 4096, PAGE_READONLY, NULL) → FALSE; GetLastError() = ERROR_NOACCESS (998)',
    ],
  ],
  VirtualQuery: [
    [
      { op: 'VirtualQuery', address: '0x10000' },
      ok('VirtualQuery', 48, {
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READWRITE',
        RegionSize: '0x1000',
      }),
      'VirtualQuery(0x10000, &mbi, sizeof(mbi)) → 48; mbi = { State MEM_COMMIT, Protect PAGE_READWRITE, RegionSize 0x1000 }',
    ],
  ],
  QueryWorkingSetEx: [
    [
      { op: 'QueryWorkingSetEx', address: 'a' },
      ok('QueryWorkingSetEx', true, {
        Valid: 1,
        ShareCount: 0,
        Win32Protection: 'PAGE_READWRITE',
        Shared: 0,
        Locked: 0,
      }),
      'QueryWorkingSetEx(GetCurrentProcess(), &info /* VirtualAddress a */, sizeof(info)) → TRUE; info.VirtualAttributes = { Valid 1, Win32Protection PAGE_READWRITE, Shared 0, ShareCount 0 }',
    ],
  ],
  VirtualLock: [
    [
      { op: 'VirtualLock', address: 'a', size: 4096 },
      failed('VirtualLock', false, 'ERROR_WORKING_SET_QUOTA', 1453),
      'VirtualLock(a, 4096) → FALSE; GetLastError() = ERROR_WORKING_SET_QUOTA (1453)',
    ],
  ],
  VirtualUnlock: [
    [
      { op: 'VirtualUnlock', address: 'a', size: 4096 },
      ok('VirtualUnlock', true),
      'VirtualUnlock(a, 4096) → TRUE',
    ],
  ],
  Read: [
    [
      { op: 'Read', address: 'a', size: '0x10000' },
      ok('Read', null, { faults: { demandZero: 16, soft: 0, hard: 0 } }),
      'memcpy(buffer, a, 0x10000) → ok',
    ],
  ],
  Write: [
    [
      { op: 'Write', address: 'a', size: 4 },
      {
        op: 'Write',
        ok: false,
        returned: null,
        lastError: null,
        exception: {
          code: '0xc0000005',
          name: 'EXCEPTION_ACCESS_VIOLATION',
          address: '0x10000',
          access: 'write',
        },
        info: null,
      },
      'memset(a, 0xCC, 4) → EXCEPTION_ACCESS_VIOLATION (0xc0000005), write at 0x10000',
    ],
  ],
  Execute: [
    [{ op: 'Execute', address: 'code' }, ok('Execute', null), '((void (*)(void))code)() → ok'],
  ],
  GetWriteWatch: [
    [
      { op: 'GetWriteWatch', flags: 'WRITE_WATCH_FLAG_RESET', address: 'w', size: '0x10000' },
      ok('GetWriteWatch', 0, { count: 2, addresses: ['0x10000', '0x11000'], granularity: 4096 }),
      'GetWriteWatch(WRITE_WATCH_FLAG_RESET, w, 0x10000, addresses, &count /* 64 */, &granularity) → 0; count = 2',
    ],
    [
      { op: 'GetWriteWatch', address: 'w', size: 4096 },
      failed('GetWriteWatch', 0xffffffff, 'ERROR_INVALID_PARAMETER', 87),
      'GetWriteWatch(0, w, 4096, addresses, &count /* 64 */, &granularity) → (UINT)-1; GetLastError() = ERROR_INVALID_PARAMETER (87)',
    ],
  ],
  ResetWriteWatch: [
    [
      { op: 'ResetWriteWatch', address: 'w', size: 4096 },
      ok('ResetWriteWatch', 0),
      'ResetWriteWatch(w, 4096) → 0',
    ],
  ],
  SetProcessWorkingSetSize: [
    [
      { op: 'SetProcessWorkingSetSize', minimum: -1, maximum: -1 },
      ok('SetProcessWorkingSetSize', true),
      'SetProcessWorkingSetSize(GetCurrentProcess(), (SIZE_T)-1, (SIZE_T)-1) → TRUE',
    ],
  ],
  EmptyWorkingSet: [
    [
      { op: 'EmptyWorkingSet' },
      ok('EmptyWorkingSet', true),
      'EmptyWorkingSet(GetCurrentProcess()) → TRUE',
    ],
  ],
  GetProcessMemoryInfo: [
    [
      { op: 'GetProcessMemoryInfo' },
      ok('GetProcessMemoryInfo', true, {
        workingSetSize: 65536,
        privateUsage: 262144,
        pageFaultCount: 16,
      }),
      'GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc)) → TRUE; pmc = { WorkingSetSize 64.0 KiB, PrivateUsage 256 KiB, PageFaultCount 16 }',
    ],
  ],
  GetSystemInfo: [
    [
      { op: 'GetSystemInfo' },
      ok('GetSystemInfo', null, { dwPageSize: 4096, dwAllocationGranularity: 65536 }),
      'GetSystemInfo(&si) → si = { dwPageSize 4096, dwAllocationGranularity 65536 }',
    ],
  ],
  GetProcessHeap: [
    [
      { op: 'GetProcessHeap', as: 'heap' },
      ok('GetProcessHeap', '0x1e0000'),
      'HANDLE heap = GetProcessHeap() → 0x1e0000',
    ],
  ],
  GetProcessHeaps: [
    [
      { op: 'GetProcessHeaps', process: 'leakysvc.exe' },
      ok('GetProcessHeaps', 3),
      'GetProcessHeaps(ARRAYSIZE(heaps), heaps) /* in leakysvc.exe */ → 3',
    ],
  ],
  HeapCreate: [
    [
      { op: 'HeapCreate', options: 'HEAP_NO_SERIALIZE', maximumSize: '0x10000', as: 'h' },
      failed('HeapCreate', null, 'ERROR_NOT_ENOUGH_MEMORY', 8),
      'HANDLE h = HeapCreate(HEAP_NO_SERIALIZE, 0, 0x10000) → NULL; GetLastError() = ERROR_NOT_ENOUGH_MEMORY (8)',
    ],
  ],
  HeapAlloc: [
    [
      { op: 'HeapAlloc', heap: 'h', flags: 'HEAP_ZERO_MEMORY', size: 100, as: 'p' },
      ok('HeapAlloc', '0x2a0010'),
      'LPVOID p = HeapAlloc(h, HEAP_ZERO_MEMORY, 100) → 0x2a0010',
    ],
  ],
  HeapFree: [
    [{ op: 'HeapFree', heap: 'h', address: 'p' }, ok('HeapFree', true), 'HeapFree(h, 0, p) → TRUE'],
  ],
  HeapReAlloc: [
    [
      {
        op: 'HeapReAlloc',
        heap: 'h',
        address: 'p',
        size: 200,
        flags: 'HEAP_REALLOC_IN_PLACE_ONLY',
      },
      failed('HeapReAlloc', null, 'ERROR_NOT_ENOUGH_MEMORY', 8),
      'HeapReAlloc(h, HEAP_REALLOC_IN_PLACE_ONLY, p, 200) → NULL; GetLastError() = ERROR_NOT_ENOUGH_MEMORY (8)',
    ],
  ],
  HeapSize: [
    [
      { op: 'HeapSize', heap: 'h', address: 'p' },
      { ...ok('HeapSize', -1), ok: false },
      'HeapSize(h, 0, p) → (SIZE_T)-1',
    ],
  ],
  HeapValidate: [
    [
      { op: 'HeapValidate', heap: 'h' },
      ok('HeapValidate', true),
      'HeapValidate(h, 0, NULL) → TRUE',
    ],
  ],
  HeapWalk: [
    [
      { op: 'HeapWalk', heap: 'h' },
      ok('HeapWalk', 5, { entries: [] }),
      'while (HeapWalk(h, &entry)) → TRUE × 5 (one per entry), then FALSE; GetLastError() = ERROR_NO_MORE_ITEMS (259)',
    ],
  ],
  HeapDestroy: [
    [{ op: 'HeapDestroy', heap: 'h' }, ok('HeapDestroy', true), 'HeapDestroy(h) → TRUE'],
  ],
  CreateFileMapping: [
    [
      { op: 'CreateFileMapping', protect: 'PAGE_READWRITE', size: 65536, name: 'shared', as: 's' },
      {
        ...ok('CreateFileMapping', '0x44'),
        lastError: { name: 'ERROR_ALREADY_EXISTS', code: 183 },
      },
      'HANDLE s = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0x0, 0x10000, L"shared") → 0x44; GetLastError() = ERROR_ALREADY_EXISTS (183)',
    ],
    [
      { op: 'CreateFileMapping', file: 'C:\\data.bin', protect: 'PAGE_WRITECOPY' },
      ok('CreateFileMapping', '0x48'),
      'CreateFileMappingW(hFile /* C:\\data.bin */, NULL, PAGE_WRITECOPY, 0x0, 0x0, NULL) → 0x48',
    ],
  ],
  OpenFileMapping: [
    [
      { op: 'OpenFileMapping', access: 'FILE_MAP_READ', name: 'Local\\shared' },
      failed('OpenFileMapping', null, 'ERROR_FILE_NOT_FOUND', 2),
      'OpenFileMappingW(FILE_MAP_READ, FALSE, L"Local\\\\shared") → NULL; GetLastError() = ERROR_FILE_NOT_FOUND (2)',
    ],
  ],
  MapViewOfFile: [
    [
      { op: 'MapViewOfFile', handle: 's', access: 'FILE_MAP_COPY', as: 'v' },
      ok('MapViewOfFile', '0x30000'),
      'LPVOID v = MapViewOfFile(s, FILE_MAP_COPY, 0x0, 0x0, 0) → 0x30000',
    ],
    [
      { op: 'MapViewOfFile', handle: 's', access: 'FILE_MAP_WRITE', address: '0x500000' },
      ok('MapViewOfFile', '0x500000'),
      'MapViewOfFileEx(s, FILE_MAP_WRITE, 0x0, 0x0, 0, 0x500000) → 0x500000',
    ],
  ],
  UnmapViewOfFile: [
    [
      { op: 'UnmapViewOfFile', address: 'v' },
      ok('UnmapViewOfFile', true),
      'UnmapViewOfFile(v) → TRUE',
    ],
  ],
  FlushViewOfFile: [
    [
      { op: 'FlushViewOfFile', address: 'v', size: 4096 },
      ok('FlushViewOfFile', true),
      'FlushViewOfFile(v, 4096) → TRUE',
    ],
  ],
  CloseHandle: [
    [
      { op: 'CloseHandle', handle: 's' },
      failed('CloseHandle', false, 'ERROR_INVALID_HANDLE', 6),
      'CloseHandle(s) → FALSE; GetLastError() = ERROR_INVALID_HANDLE (6)',
    ],
  ],
};

describe('Win32 call syntax', () => {
  for (const op of SCRIPT_OP_NAMES) {
    it(`formats ${op} with its signature and ${returnTypeOf(op)} return`, () => {
      expect(CASES[op].length).toBeGreaterThan(0);
      for (const [raw, result, line] of CASES[op]) expect(formatStep(raw, result)).toBe(line);
    });
  }

  it('GetSystemInfo returns nothing, so nothing follows its arrow without its out-parameter', () => {
    expect(formatOutcome(ok('GetSystemInfo', null))).toBe('');
    expect(formatStep({ op: 'GetSystemInfo' }, ok('GetSystemInfo', null))).toBe(
      'GetSystemInfo(&si)',
    );
  });

  it('prints a step the format rejects as its JSON, so nothing is hidden', () => {
    const raw = { op: 'VirtualAlloc', size: 'lots' };
    expect(formatCall(raw)).toBe(JSON.stringify(raw));
    expect(formatCall({ op: 'Nope' })).toBe('{"op":"Nope"}');
  });

  it('splits a numeric flag value into the names of its bits', () => {
    expect(formatCall({ op: 'VirtualAlloc', size: 4096, type: 0x3000, protect: 0x104 })).toBe(
      'VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE | PAGE_GUARD)',
    );
  });
});
