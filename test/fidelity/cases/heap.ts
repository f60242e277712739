/**
 * Wine dlls/kernel32/tests/heap.c test_HeapCreate, its growable heap's border cases, sizes and
 * HEAP_ZERO_MEMORY/HEAP_REALLOC_IN_PLACE_ONLY (alloc_size = 0x8000 * sizeof(void *) = 0x40000 on x64).
 */
import { type FidelityCase, fails, rowsFrom, succeeds } from '../table';

const row = rowsFrom('wine dlls/kernel32/tests/heap.c')('test_HeapCreate');
const ALLOC = 0x40000;
const heapAlloc = (flags: string | number, size: number | string, as?: string) => ({
  op: 'HeapAlloc',
  heap: 'heap',
  flags,
  size,
  ...(as ? { as } : {}),
});
const heapReAlloc = (
  flags: string | number,
  address: string | null,
  size: number | string,
  as?: string,
) => ({ op: 'HeapReAlloc', heap: 'heap', flags, address, size, ...(as ? { as } : {}) });
const heapFree = (address: string | null, heap: string | null = 'heap') => ({
  op: 'HeapFree',
  heap,
  flags: 0,
  address,
});
const heapSize = (address: string) => ({ op: 'HeapSize', heap: 'heap', flags: 0, address });
const heapValidate = (address: string | null) => ({
  op: 'HeapValidate',
  heap: 'heap',
  flags: 0,
  address,
});

const growable: FidelityCase = {
  name: 'kernel32 test_HeapCreate: a growable heap',
  rows: [
    row(
      { op: 'HeapCreate', options: 0, initialSize: 0, maximumSize: 0, as: 'heap' },
      succeeds(),
      'HeapCreate(0, 0, 0) succeeds',
    ),
    row(heapFree(null, null), succeeds(true), 'HeapFree(NULL, 0, NULL) succeeds'),
    row(heapFree(null), succeeds(true), 'HeapFree(heap, 0, NULL) succeeds'),
    row(
      heapReAlloc(0, null, 1),
      fails(null, null),
      'HeapReAlloc(heap, 0, NULL, 1) fails, last error untouched (NO_ERROR; todo_wine, but Wine 8.0 passes through the sandbox)',
    ),
    row(heapValidate(null), succeeds(true), 'HeapValidate(heap, 0, NULL) succeeds'),
    row(heapAlloc(0, 0, 'ptr'), succeeds(), 'HeapAlloc of 0 bytes succeeds'),
    row(heapSize('ptr'), succeeds(0), 'its HeapSize is 0'),
    row(
      heapReAlloc(0, 'ptr', '0xfffffffffffffff8'),
      { ok: false, returned: null },
      'HeapReAlloc to ~0 - 7 fails',
    ),
    row(
      heapReAlloc(0, 'ptr', '0xffffffffffffffff'),
      { ok: false, returned: null },
      'HeapReAlloc to ~0 fails',
    ),
    row(heapValidate('ptr'), succeeds(true), 'the block is still valid'),
    row(heapFree('ptr'), succeeds(true), 'HeapFree succeeds'),
    row(heapValidate('ptr'), fails(null, false), 'a freed block does not validate, no last error'),
    row(heapAlloc(0, '0xffffffffffffffff'), { ok: false, returned: null }, 'HeapAlloc of ~0 fails'),
    row(heapAlloc(0, 1, 'p1'), succeeds(), 'HeapAlloc of 1 byte'),
    row(heapReAlloc(0, 'p1', 0, 'p2'), succeeds(), 'HeapReAlloc to 0 bytes succeeds'),
    row(heapSize('p2'), succeeds(0), 'its HeapSize is 0'),
    row(heapFree('p2'), succeeds(true), 'HeapFree succeeds'),
    row(heapAlloc(0, 5 * ALLOC + 1, 'big'), succeeds(), 'HeapAlloc of 5 * alloc_size + 1'),
    row(heapFree('big'), succeeds(true), 'and HeapFree'),
    row(heapAlloc(0, ALLOC, 'a'), succeeds(), 'HeapAlloc of alloc_size'),
    row(heapSize('a'), succeeds(ALLOC), 'HeapSize is alloc_size'),
    row(heapAlloc(0, 4 * ALLOC, 'b'), succeeds(), 'HeapAlloc of 4 * alloc_size'),
    row(heapFree('b'), succeeds(true), 'HeapFree'),
    row(heapFree('a'), succeeds(true), 'HeapFree'),
    row(heapAlloc('HEAP_ZERO_MEMORY', 1, 'z1'), succeeds(), 'HEAP_ZERO_MEMORY, 1 byte'),
    row(heapSize('z1'), succeeds(1), 'HeapSize 1'),
    row(heapFree('z1'), succeeds(true), 'HeapFree'),
    row(heapAlloc('HEAP_ZERO_MEMORY', 1 << 20, 'z2'), succeeds(), 'HEAP_ZERO_MEMORY, 1 MiB'),
    row(heapSize('z2'), succeeds(1 << 20), 'HeapSize 1 MiB'),
    row(heapFree('z2'), succeeds(true), 'HeapFree'),
    row(heapAlloc('HEAP_ZERO_MEMORY', ALLOC, 'z3'), succeeds(), 'HEAP_ZERO_MEMORY, alloc_size'),
    row(heapSize('z3'), succeeds(ALLOC), 'HeapSize alloc_size'),
    row(
      heapReAlloc('HEAP_ZERO_MEMORY', 'z3', 3 * ALLOC, 'z4'),
      succeeds(),
      'HeapReAlloc HEAP_ZERO_MEMORY to 3 * alloc_size',
    ),
    row(heapSize('z4'), succeeds(3 * ALLOC), 'HeapSize 3 * alloc_size'),
    row(
      heapReAlloc('HEAP_REALLOC_IN_PLACE_ONLY', 'z4', (ALLOC * 3) / 2),
      succeeds('z4'),
      'shrinking in place returns the same block',
    ),
    row(
      heapReAlloc('HEAP_REALLOC_IN_PLACE_ONLY', 'z4', 2 * ALLOC),
      succeeds('z4'),
      'growing back in place is okay',
    ),
    row(
      heapReAlloc('HEAP_ZERO_MEMORY', 'z4', 1, 'z5'),
      succeeds(),
      'HeapReAlloc HEAP_ZERO_MEMORY to 1 byte',
    ),
    row(heapSize('z5'), succeeds(1), 'HeapSize 1'),
    row({ op: 'HeapDestroy', heap: 'heap' }, succeeds(true), 'HeapDestroy succeeds'),
  ],
};

const sizeRow = rowsFrom('wine dlls/kernel32/tests/heap.c');
const FIXED_ROUNDING =
  'Wine 8.0 reserves a fixed heap in whole pages (HeapCreate(0, 0x100, 0x100) reserves 0x1000); Windows rounds to 0x400 pointers, 8 KiB on x64';
const firstReservation = (initial: number): FidelityCase['rows'] => {
  const r = sizeRow('test_heap_size');
  const h = `h${initial.toString(16)}`;
  const last = `${h}+0x${(initial + 0xf000).toString(16)}`;
  return [
    r(
      {
        op: 'HeapCreate',
        options: 'HEAP_NO_SERIALIZE',
        initialSize: initial,
        maximumSize: 0,
        as: h,
      },
      succeeds(),
      `HeapCreate(HEAP_NO_SERIALIZE, ${initial ? `0x${initial.toString(16)}` : 0}, 0)`,
    ),
    r(
      { op: 'VirtualQuery', address: h },
      { ok: true, info: { AllocationBase: h, State: 'MEM_COMMIT' } },
      "the heap handle is its first reservation's base",
    ),
    r(
      { op: 'VirtualQuery', address: last },
      { ok: true, info: { AllocationBase: h, Type: 'MEM_PRIVATE' } },
      'the reservation is initial_size + 0x10000 (Windows 8 and later)',
    ),
    r({ op: 'HeapDestroy', heap: h }, null),
  ];
};
const fixedRows = (n: number): FidelityCase['rows'] => {
  const r = sizeRow('test_heap_sizes');
  const h = `f${n.toString(16)}`;
  const rounded = (n + 0x1fff) & ~0x1fff;
  return [
    r(
      { op: 'HeapCreate', options: 0, initialSize: n, maximumSize: n, as: h },
      succeeds(),
      `HeapCreate(0, 0x${n.toString(16)}, 0x${n.toString(16)})`,
    ),
    r(
      { op: 'VirtualQuery', address: `${h}+0x${(rounded - 0x1000).toString(16)}` },
      { ok: true, info: { AllocationBase: h, Type: 'MEM_PRIVATE' } },
      `the reservation rounds 0x${n.toString(16)} up to 0x${rounded.toString(16)}`,
      rounded - n >= 0x1000 ? FIXED_ROUNDING : undefined,
    ),
    r({ op: 'HeapDestroy', heap: h }, null),
  ];
};
const sizes: FidelityCase = {
  name: 'kernel32 test_heap_sizes: first reservations',
  rows: [
    ...firstReservation(0),
    ...firstReservation(0x80000),
    ...firstReservation(0x150000),
    ...[0x100, 0x1f00, 0x2100, 0xff00].flatMap(fixedRows),
  ],
};

export const HEAP: FidelityCase[] = [growable, sizes];
