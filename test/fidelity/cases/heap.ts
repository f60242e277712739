/**
 * Wine dlls/kernel32/tests/heap.c test_HeapCreate, its growable heap's border cases, sizes and
 * HEAP_ZERO_MEMORY/HEAP_REALLOC_IN_PLACE_ONLY (alloc_size = 0x8000 * sizeof(void *) = 0x40000 on x64).
 */
import { type FidelityCase, fails, rowsFrom, succeeds, withLines } from '../table';

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
    row(
      heapFree('p1'),
      succeeds(true),
      'HeapFree of the first pointer succeeds: the shrink was in place',
    ),
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

const sizeRow = rowsFrom('wine dlls/kernel32/tests/heap.c')('test_heap_size');
/** test_heap_size(initial): the reservation HeapCreate(HEAP_NO_SERIALIZE, initial, 0) makes. */
const firstReservation = (initial: number): FidelityCase['rows'] => {
  const h = `h${initial.toString(16)}`;
  const last = `${h}+0x${(initial + 0xf000).toString(16)}`;
  return [
    sizeRow(
      {
        op: 'HeapCreate',
        options: 'HEAP_NO_SERIALIZE',
        initialSize: initial,
        maximumSize: 0,
        as: h,
      },
      null,
      `HeapCreate(HEAP_NO_SERIALIZE, ${initial ? `0x${initial.toString(16)}` : 0}, 0)`,
    ),
    sizeRow(
      { op: 'VirtualQuery', address: h },
      { ok: true, returned: 48, info: { State: 'MEM_COMMIT' } },
      'get_valloc_info: VirtualQuery of the heap handle answers; its page is committed (the heap header: line 3666 allows MEM_RESERVE or MEM_COMMIT)',
    ),
    sizeRow(
      { op: 'VirtualQuery', address: last },
      { ok: true, info: { AllocationBase: h } },
      "the heap's reservation is initial_size + 0x10000 (Windows 8 and later): its last page belongs to it",
    ),
    sizeRow({ op: 'HeapDestroy', heap: h }, null),
  ];
};
const sizes: FidelityCase = {
  name: 'kernel32 test_heap_sizes: first reservations',
  rows: [...firstReservation(0), ...firstReservation(0x80000), ...firstReservation(0x150000)],
};

// heap.c's lines at a4171c82 (wine-mirror/wine).
export const HEAP: FidelityCase[] = [
  withLines(
    growable,
    'a4171c82',
    [
      234, 240, 242, 258, 279, 287, 289, 291, 293, 295, 297, 300, 304, 307, 309, 311, 313, 316, 318,
      321, 323, 325, 327, 329, 366, 368, 372, 375, 377, 381, 384, 386, 391, 393, 399, 401, 404, 406,
      431,
    ],
  ),
  withLines(sizes, 'a4171c82', [3656, 3689, 3656, 3689, 3656, 3689]),
];
