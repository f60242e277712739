/**
 * The native layer's tests, through the Win32 calls that reach it: Wine's
 * dlls/ntdll/tests/virtual.c (test_NtAllocateVirtualMemory and its NtFreeVirtualMemory part) and
 * ReactOS's apitests NtAllocateVirtualMemory.c (CheckAlignment, CheckAdjacentVADs),
 * NtFreeVirtualMemory.c and NtProtectVirtualMemory.c. NTSTATUS → Win32 as RtlNtStatusToDosError
 * maps them: STATUS_CONFLICTING_ADDRESSES, STATUS_FREE_VM_NOT_AT_BASE and
 * STATUS_MEMORY_NOT_ALLOCATED → ERROR_INVALID_ADDRESS (487); STATUS_UNABLE_TO_FREE_VM and
 * STATUS_INVALID_PARAMETER → ERROR_INVALID_PARAMETER (87). Calls VirtualFree cannot make (a
 * MEM_RELEASE with a size) are left out.
 */
import { alloc, free, protect, query, read, write } from '../steps';
import {
  AV,
  ERROR_INVALID_ADDRESS,
  ERROR_INVALID_PARAMETER,
  type FidelityCase,
  fails,
  mbi,
  raises,
  type Row,
  rowsFrom,
  succeeds,
  withLines,
} from '../table';

const PAGE = 0x1000;
const NOT_ALLOCATED =
  "Releasing free memory: Windows answers STATUS_MEMORY_NOT_ALLOCATED (487); Wine 8.0's NtFreeVirtualMemory answers STATUS_INVALID_PARAMETER (87) when no view holds the address";
const wine = rowsFrom('wine dlls/ntdll/tests/virtual.c')('test_NtAllocateVirtualMemory');

const ntAllocate: FidelityCase = {
  name: 'ntdll test_NtAllocateVirtualMemory',
  rows: [
    wine(
      alloc(null, PAGE, 'MEM_RESERVE|MEM_COMMIT', 'PAGE_EXECUTE_READWRITE', 'n1'),
      succeeds(),
      'a simple allocation succeeds',
    ),
    wine(
      alloc('n1+0x1000', PAGE, 'MEM_RESERVE|MEM_COMMIT', 'PAGE_EXECUTE_READWRITE'),
      fails(ERROR_INVALID_ADDRESS, null),
      'addr1+0x1000 conflicts because of 64k alignment (STATUS_CONFLICTING_ADDRESSES)',
    ),
    wine(
      alloc('n1+0x1000', PAGE, 'MEM_RESERVE|MEM_COMMIT|0x40000000', 'PAGE_EXECUTE_READWRITE'),
      fails(ERROR_INVALID_PARAMETER, null),
      'AT_ROUND_TO_PAGE is not supported (STATUS_INVALID_PARAMETER_5)',
    ),
    wine(free('n1', 0, 'MEM_RELEASE'), succeeds(true), 'NtFreeVirtualMemory MEM_RELEASE succeeds'),
    wine(
      alloc(null, 0x10000, 'MEM_RESERVE|MEM_COMMIT', 'PAGE_EXECUTE_READWRITE', 'n2'),
      succeeds(),
      '64 KiB for the NtFreeVirtualMemory tests',
    ),
    wine(free('n2+0x1fff', 2, 'MEM_DECOMMIT'), succeeds(true), '2 bytes at addr1+0x1fff decommit'),
    wine(
      query('n2+0x1000'),
      mbi({ BaseAddress: 'n2+0x1000', RegionSize: 0x2000, State: 'MEM_RESERVE', Protect: null }),
      'two pages from addr1+0x1000 (size 0x2000)',
    ),
    wine(
      free('n2+0x1001', 0, 'MEM_DECOMMIT'),
      fails(ERROR_INVALID_ADDRESS, false),
      'size 0 at addr1+0x1001 → STATUS_FREE_VM_NOT_AT_BASE',
    ),
    wine(
      free('n2+0xffe', 0, 'MEM_DECOMMIT'),
      succeeds(true),
      'size 0 at addr1+0xffe decommits the allocation',
    ),
    wine(
      query('n2'),
      mbi({ BaseAddress: 'n2', RegionSize: 0x10000, State: 'MEM_RESERVE', Protect: null }),
      'the whole allocation is reserved',
    ),
    wine(
      free('n2+0x1001', 0, 'MEM_RELEASE'),
      fails(ERROR_INVALID_ADDRESS, false),
      'MEM_RELEASE at addr1+0x1001 → STATUS_FREE_VM_NOT_AT_BASE',
    ),
    wine(
      free('n2+0xfff', 0, 'MEM_RELEASE'),
      succeeds(true),
      'MEM_RELEASE at addr1+0xfff releases the allocation',
    ),
    wine(
      query('n2'),
      mbi({ BaseAddress: 'n2', AllocationBase: '0x0', State: 'MEM_FREE', Type: null }),
      'released (size 0x10000 from addr1)',
    ),
  ],
};

const rosFree = rowsFrom('reactos modules/rostests/apitests/ntdll/NtFreeVirtualMemory.c')(
  'Test_NtFreeVirtualMemory',
);
const reactosFree: FidelityCase = {
  name: 'ReactOS NtFreeVirtualMemory',
  rows: [
    rosFree(
      alloc(null, PAGE, 'MEM_RESERVE', 'PAGE_READWRITE', 'r'),
      succeeds(),
      'reserve one page',
    ),
    rosFree(
      query('r'),
      mbi({ BaseAddress: 'r', RegionSize: PAGE, State: 'MEM_RESERVE' }),
      'Length == PAGE_SIZE',
    ),
    rosFree(free('r', PAGE, 'MEM_DECOMMIT'), succeeds(true), 'decommit the page'),
    rosFree(
      free('r', PAGE + 1, 'MEM_DECOMMIT'),
      fails(ERROR_INVALID_PARAMETER, false),
      'more than we got → STATUS_UNABLE_TO_FREE_VM',
    ),
    rosFree(
      free('r+1', PAGE, 'MEM_DECOMMIT'),
      fails(ERROR_INVALID_PARAMETER, false),
      'out of bounds from base+1 → STATUS_UNABLE_TO_FREE_VM',
    ),
    rosFree(free('r+1', PAGE - 1, 'MEM_DECOMMIT'), succeeds(true), 'the same in bounds succeeds'),
    rosFree(free('r', 0, 'MEM_RELEASE'), null),
  ],
};

const rosAlloc = rowsFrom('reactos modules/rostests/apitests/ntdll/NtAllocateVirtualMemory.c');
const align = rosAlloc('CheckAlignment');
const sized = rosAlloc('CheckSize');
const checkSize = (base: number, size: number, expected: number): Row[] => {
  const what = `CheckAlignment's CheckSize(0x${base.toString(16)}, 0x${size.toString(16)})`;
  return [
    sized(
      alloc(base, size, 'MEM_RESERVE', 'PAGE_NOACCESS', 'cs'),
      succeeds(`0x${(base & ~0xffff).toString(16)}`),
      `${what}: the base rounds down to 64 KiB`,
    ),
    sized(
      query('cs'),
      mbi({ RegionSize: expected, State: 'MEM_RESERVE' }),
      `${what}: size 0x${expected.toString(16)}`,
    ),
    sized(free('cs', 0, 'MEM_RELEASE'), succeeds(true), `${what}: released`),
  ];
};
const R = 0x50000000;
const hex = (n: number): string => `0x${n.toString(16)}`;
const alignment: FidelityCase = {
  name: 'ReactOS NtAllocateVirtualMemory CheckAlignment',
  rows: [
    ...checkSize(R, 0x1, 0x1000),
    ...checkSize(R + 0x8000, 0x1, 0x9000),
    ...checkSize(R + 0x10, 0x1000, 0x2000),
    ...checkSize(R + 0x10000, 0x2000, 0x2000),
    ...checkSize(R + 0xffff, 0x3000, 0x13000),
    ...checkSize(R + 0x1010, 0x7000, 0x9000),
    ...checkSize(R + 0x1010, 0xc000, 0xe000),
    align(
      alloc(R + 0x1010, 0x1000, 'MEM_RESERVE', 'PAGE_NOACCESS'),
      succeeds(hex(R)),
      'reserve not aligned to the granularity: base 0x50000000',
    ),
    align(query(hex(R)), mbi({ RegionSize: 0x3000, State: 'MEM_RESERVE' }), 'size 0x3000'),
    align(
      alloc(R + 0x8000, 0x1000, 'MEM_RESERVE', 'PAGE_NOACCESS'),
      fails(ERROR_INVALID_ADDRESS, null),
      'again in the same 64k region → STATUS_CONFLICTING_ADDRESSES',
    ),
    align(
      alloc(R + 0x2000, 0x1000, 'MEM_COMMIT', 'PAGE_NOACCESS'),
      succeeds(hex(R + 0x2000)),
      'commit one page',
    ),
    align(
      query(hex(R + 0x2000)),
      mbi({
        BaseAddress: hex(R + 0x2000),
        RegionSize: 0x1000,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_NOACCESS',
      }),
      'size 0x1000',
    ),
    align(
      alloc(R + 0x2000, 0x1000, 'MEM_COMMIT', 'PAGE_READWRITE'),
      succeeds(hex(R + 0x2000)),
      'commit it again with another protection',
    ),
    align(
      alloc(R + 0x3000, 0x1000, 'MEM_COMMIT', 'PAGE_NOACCESS'),
      fails(ERROR_INVALID_ADDRESS, null),
      'commit past the reservation → STATUS_CONFLICTING_ADDRESSES',
    ),
    align(
      free(hex(R), 0x3000, 'MEM_DECOMMIT'),
      succeeds(true),
      'decommit, pages never committed included',
    ),
    align(
      free(hex(R + 0x10000), 0, 'MEM_RELEASE'),
      fails(ERROR_INVALID_ADDRESS, false),
      'release in a different 64k region → STATUS_MEMORY_NOT_ALLOCATED',
      NOT_ALLOCATED,
    ),
    align(
      free(hex(R + 0x8000), 0, 'MEM_RELEASE'),
      fails(ERROR_INVALID_ADDRESS, false),
      'release in the same 64k region past the allocation → STATUS_MEMORY_NOT_ALLOCATED',
      NOT_ALLOCATED,
    ),
    align(free(hex(R), 0, 'MEM_RELEASE'), succeeds(true), 'release the memory'),
    align(
      alloc(R + 0x4080, 0x1000, 'MEM_RESERVE|MEM_COMMIT', 'PAGE_READWRITE', 'rc'),
      succeeds(hex(R)),
      'reserve and commit at once: base 0x50000000',
    ),
    align(
      query('rc'),
      mbi({ RegionSize: 0x6000, State: 'MEM_COMMIT', Protect: 'PAGE_READWRITE' }),
      'size 0x6000, all committed',
    ),
    align(write('rc', 4), succeeds(null), '*(int*)BaseAddress = 1: no exception'),
    align(write(hex(R + 0x4080), 4), succeeds(null), '*(int*)0x50004080 = 1: no exception'),
    align(free('rc', 0, 'MEM_RELEASE'), succeeds(true), 'release'),
  ],
};

const vads = rosAlloc('CheckAdjacentVADs');
const adjacent: FidelityCase = {
  name: 'ReactOS NtAllocateVirtualMemory CheckAdjacentVADs',
  rows: [
    vads(
      alloc(R, 0x10000, 'MEM_RESERVE', 'PAGE_NOACCESS'),
      succeeds(hex(R)),
      'reserve a full 64k region',
    ),
    vads(
      alloc(R + 0x20000, 0x10000, 'MEM_RESERVE', 'PAGE_NOACCESS'),
      succeeds(hex(R + 0x20000)),
      'another, 64k further',
    ),
    vads(
      alloc(R + 0x10000, 0x10000, 'MEM_RESERVE', 'PAGE_NOACCESS'),
      succeeds(hex(R + 0x10000)),
      'the part in the middle',
    ),
    vads(
      alloc(R + 0x4000, 0x10000, 'MEM_COMMIT', 'PAGE_NOACCESS'),
      fails(ERROR_INVALID_ADDRESS, null),
      'a commit covering 2 allocations → STATUS_CONFLICTING_ADDRESSES',
    ),
    vads(alloc(R, 0x1000, 'MEM_COMMIT', 'PAGE_READWRITE'), succeeds(hex(R)), 'commit a page'),
    vads(
      alloc(R + 0x2000, 0x1000, 'MEM_COMMIT', 'PAGE_NOACCESS'),
      succeeds(hex(R + 0x2000)),
      'commit another page',
    ),
    vads(write(hex(R), 4), succeeds(null), 'writing the read-write page: no exception'),
    vads(
      read(hex(R + 0x2000), 4),
      raises(AV, 'read', hex(R + 0x2000)),
      'reading the PAGE_NOACCESS page → STATUS_ACCESS_VIOLATION',
    ),
    vads(
      alloc(R, 0x3000, 'MEM_COMMIT', 'PAGE_READONLY'),
      succeeds(hex(R)),
      '3 pages on top of the previous 2',
    ),
    vads(write(hex(R), 4), raises(AV, 'write', hex(R)), 'writing now → STATUS_ACCESS_VIOLATION'),
    vads(free(hex(R), 0, 'MEM_RELEASE'), null),
    vads(free(hex(R + 0x10000), 0, 'MEM_RELEASE'), null),
    vads(free(hex(R + 0x20000), 0, 'MEM_RELEASE'), null),
  ],
};

const rosProtect = rowsFrom('reactos modules/rostests/apitests/ntdll/NtProtectVirtualMemory.c');
const rw = rosProtect('TestReadWrite');
const noAccess = rosProtect('TestFreeNoAccess');
const readWrite: FidelityCase = {
  name: 'ReactOS NtProtectVirtualMemory',
  rows: [
    rw(alloc(null, PAGE, 'MEM_RESERVE', 'PAGE_NOACCESS', 'p'), succeeds(), 'reserve a page'),
    rw(alloc('p', PAGE, 'MEM_COMMIT', 'PAGE_READWRITE'), succeeds('p'), 'commit it read-write'),
    rw(write('p', 4), succeeds(null), 'writing works'),
    rw(read('p', 4), succeeds(null), 'reading works'),
    rw(
      protect('p', PAGE, 'PAGE_READONLY'),
      succeeds('PAGE_READWRITE'),
      'read-only; old PAGE_READWRITE',
    ),
    rw(write('p', 4), raises(AV, 'write', 'p'), 'writing → STATUS_ACCESS_VIOLATION'),
    rw(read('p', 4), succeeds(null), 'reading works'),
    rw(
      protect('p', PAGE, 'PAGE_NOACCESS'),
      succeeds('PAGE_READONLY'),
      'no access; old PAGE_READONLY',
    ),
    rw(write('p', 4), raises(AV, 'write', 'p'), 'writing → STATUS_ACCESS_VIOLATION'),
    rw(read('p', 4), raises(AV, 'read', 'p'), 'reading → STATUS_ACCESS_VIOLATION'),
    rw(
      protect('p', PAGE, 'PAGE_READONLY'),
      succeeds('PAGE_NOACCESS'),
      'readable again; old PAGE_NOACCESS',
    ),
    rw(write('p', 4), raises(AV, 'write', 'p'), 'writing → STATUS_ACCESS_VIOLATION'),
    rw(read('p', 4), succeeds(null), 'reading works, the contents kept'),
    rw(free('p', 0, 'MEM_RELEASE'), succeeds(true), 'free the memory'),
    noAccess(
      alloc(null, 16 * PAGE, 'MEM_COMMIT', 'PAGE_READWRITE', 'm'),
      succeeds(),
      '16 committed pages',
    ),
    noAccess(
      read('m', 16 * PAGE),
      succeeds(null),
      'every page reads (the test also asserts it reads 0)',
    ),
    noAccess(write('m', 16 * PAGE), null, 'a byte written on every page'),
    noAccess(
      protect('m', 16 * PAGE, 'PAGE_NOACCESS'),
      succeeds('PAGE_READWRITE'),
      'no access; old PAGE_READWRITE',
    ),
    noAccess(
      free('m', 0, 'MEM_RELEASE'),
      succeeds(true),
      'releasing PAGE_NOACCESS memory succeeds',
    ),
  ],
};

/** CheckSize's three assertions (base, size, release), for each of its seven calls. */
const CHECK_SIZE_LINES = Array.from({ length: 7 }, () => [220, 221, 223]).flat();

export const NT_VIRTUAL: FidelityCase[] = [
  // ntdll virtual.c's lines at a4171c82, where each assertion stands as at 48ae47fd.
  withLines(
    ntAllocate,
    'a4171c82',
    [111, 118, 223, 228, 236, 241, 242, 248, 255, 255, 262, 269, 270],
  ),
  // ReactOS apitests, each at the commit that last changed it (reactos/reactos).
  withLines(reactosFree, '36b140ac', [23, 24, 31, 39, 55, 73]),
  withLines(alignment, 'a3a0d8eb', [
    ...CHECK_SIZE_LINES,
    251,
    252,
    263,
    275,
    276,
    288,
    300,
    306,
    312,
    318,
    330,
    342,
    343,
    352,
    352,
    358,
  ]),
  withLines(adjacent, 'a3a0d8eb', [380, 393, 412, 423, 434, 445, 453, 466, 477, 488]),
  withLines(
    readWrite,
    '36b140ac',
    [28, 37, 43, 49, 58, 64, 70, 79, 85, 91, 100, 106, 112, 119, 144, 154, 166, 173],
  ),
];
