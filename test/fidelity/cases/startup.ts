/**
 * What a process has from the start, and what VirtualQuery says about it: Wine
 * dlls/ntdll/tests/info.c test_queryvirtualmemory and test_mapprotection (at 0016d8a2, whose lines
 * are cited; KUSER_SHARED_DATA's assertions at a4171c82). Only assertions real Windows passes;
 * line 1280 is a todo_wine (Wine fails it, Windows passes it).
 */
import { formatAddress } from '../../../src/shared/address';
import { SYSTEM_DLLS } from '../../../src/core/sim/images';
import { SANDBOX_PID } from '../../../src/core/sim/simulation';
import {
  EXE_BASE,
  KUSER_SHARED_DATA,
  STACK_RESERVE,
  landmarksOf,
} from '../../../src/core/sim/startup';
import { query, write } from '../steps';
import { type FidelityCase, mbi, rowsFrom, succeeds } from '../table';

const PAGE = 0x1000n;
const hex = (n: bigint): string => formatAddress(n);
const info = (line: number, fn: string) =>
  rowsFrom(`wine dlls/ntdll/tests/info.c:${line}@0016d8a2`)(fn);
const queryVm = (line: number) => info(line, 'test_queryvirtualmemory');

const NTDLL = SYSTEM_DLLS[0]!.preferredBase;
/** The sandbox exe's sections (startup.ts): headers, 40 pages of .text, 12 of .rdata, 4 of .data. */
const EXE_RDATA = EXE_BASE + 41n * PAGE;
const EXE_DATA = EXE_BASE + 53n * PAGE;
const STACK_TOP = landmarksOf(SANDBOX_PID).stack + BigInt(STACK_RESERVE);

const image = (base: bigint, protect: string) =>
  mbi({
    AllocationBase: hex(base),
    AllocationProtect: 'PAGE_EXECUTE_WRITECOPY',
    State: 'MEM_COMMIT',
    Protect: protect,
  });

/** The images and the stack: the live child is node.exe, whose modules and stack lie elsewhere. */
const queryVirtualMemory: FidelityCase = {
  name: 'ntdll info.c test_queryvirtualmemory: images and stack at process start',
  simulatorOnly:
    "the steps name the simulated process's addresses; the live child is node.exe, whose images and stack lie elsewhere",
  rows: [
    queryVm(1237)(
      query(hex(NTDLL)),
      mbi({
        AllocationBase: hex(NTDLL),
        AllocationProtect: 'PAGE_EXECUTE_WRITECOPY',
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READONLY',
        Type: 'MEM_IMAGE',
      }),
      "ntdll's PE header: MEM_IMAGE, PAGE_READONLY, AllocationProtect PAGE_EXECUTE_WRITECOPY",
    ),
    queryVm(1248)(
      query(hex(NTDLL + 0x1234n)),
      image(NTDLL, 'PAGE_EXECUTE_READ'),
      'a function entry in ntdll: PAGE_EXECUTE_READ',
    ),
    queryVm(1267)(
      query(hex(STACK_TOP - 0x100n)),
      mbi({ AllocationProtect: 'PAGE_READWRITE', State: 'MEM_COMMIT', Protect: 'PAGE_READWRITE' }),
      'a stack buffer: committed PAGE_READWRITE',
    ),
    queryVm(1276)(
      query(hex(EXE_RDATA)),
      image(EXE_BASE, 'PAGE_READONLY'),
      "the exe's read-only data: PAGE_READONLY (line 1280 is todo_wine: Windows passes it)",
    ),
    queryVm(1286)(
      query(hex(EXE_DATA)),
      image(EXE_BASE, 'PAGE_WRITECOPY'),
      "the exe's writable data, not written yet: PAGE_WRITECOPY (the test allows it or PAGE_READWRITE)",
    ),
    queryVm(1289)(write(hex(EXE_DATA), 4), succeeds(null), 'writing the data page'),
    queryVm(1289)(
      query(hex(EXE_DATA)),
      image(EXE_BASE, 'PAGE_READWRITE'),
      'once written, a private copy: PAGE_READWRITE (the other answer the test allows)',
    ),
  ],
};

/** What the live child has too: KUSER_SHARED_DATA, its process heap, a mapped section. */
const everyProcess: FidelityCase = {
  name: 'ntdll info.c: KUSER_SHARED_DATA, the process heap, a pagefile-backed view',
  rows: [
    rowsFrom('wine dlls/ntdll/tests/info.c:3025@a4171c82')('test_queryvirtualmemory')(
      query(hex(KUSER_SHARED_DATA)),
      mbi({
        BaseAddress: hex(KUSER_SHARED_DATA),
        AllocationBase: hex(KUSER_SHARED_DATA),
        AllocationProtect: 'PAGE_READONLY',
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READONLY',
        Type: 'MEM_PRIVATE',
        RegionSize: 0x1000,
      }),
      'KUSER_SHARED_DATA at 0x7FFE0000: one private read-only page (lines 3025-3030)',
    ),
    queryVm(1253)({ op: 'GetProcessHeap', as: 'heap' }, null, 'GetProcessHeap()'),
    queryVm(1257)(
      query('heap'),
      mbi({ AllocationProtect: 'PAGE_READWRITE', State: 'MEM_COMMIT', Protect: 'PAGE_READWRITE' }),
      'the process heap: committed PAGE_READWRITE (the test allows PAGE_EXECUTE_READWRITE too)',
    ),
    info(1193, 'test_mapprotection')(
      { op: 'CreateFileMapping', file: null, protect: 'PAGE_READWRITE', size: 0x1000, as: 'h' },
      succeeds(),
      'NtCreateSection(0x1000, PAGE_READWRITE) succeeds',
    ),
    info(1200, 'test_mapprotection')(
      { op: 'MapViewOfFile', handle: 'h', access: 'FILE_MAP_WRITE', as: 'view' },
      succeeds(),
      'NtMapViewOfSection(PAGE_READWRITE) succeeds',
    ),
    info(1211, 'test_mapprotection')(
      query('view'),
      mbi({ Protect: 'PAGE_READWRITE' }),
      'the view: PAGE_READWRITE',
    ),
    info(1214, 'test_mapprotection')(
      { op: 'UnmapViewOfFile', address: 'view' },
      succeeds(true),
      'NtUnmapViewOfSection succeeds',
    ),
  ],
};

export const STARTUP: FidelityCase[] = [queryVirtualMemory, everyProcess];
