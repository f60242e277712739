/**
 * Wine dlls/kernel32/tests/virtual.c, ported: test_VirtualAlloc, test_VirtualProtect,
 * test_VirtualAlloc_protection, test_write_watch, test_MapViewOfFile (its pagefile-backed named
 * section) and test_guard_page. Only assertions real Windows passes (not todo_wine, not broken()).
 */
import {
  alloc,
  free,
  getWriteWatch,
  lock,
  protect,
  query,
  resetWriteWatch,
  unlock,
  write,
} from '../steps';
import {
  ERROR_ACCESS_DENIED,
  ERROR_INVALID_ADDRESS,
  ERROR_INVALID_PARAMETER,
  type FidelityCase,
  fails,
  mbi,
  type Row,
  rowsFrom,
  succeeds,
  withLines,
} from '../table';

const at = rowsFrom('wine dlls/kernel32/tests/virtual.c');
/** virtual.c's lines at b5be39cf, where each assertion stands as at 8db355e6. */
const AT = 'b5be39cf';
/** A row builder citing `line` of virtual.c at AT, for the table-driven tests. */
const atLine = (fn: string) => (line: number) =>
  rowsFrom(`wine dlls/kernel32/tests/virtual.c:${line}@${AT}`)(fn);
const PAGE = 0x1000;
const AT_ROUND_TO_PAGE = 0x40000000;
const WRITE_WATCH_FAILED = 0xffffffff;

const vaRow = at('test_VirtualAlloc');
const virtualAlloc: FidelityCase = {
  name: 'kernel32 test_VirtualAlloc',
  rows: [
    vaRow(
      alloc(null, 0, 'MEM_RESERVE', 'PAGE_NOACCESS'),
      fails(ERROR_INVALID_PARAMETER, null),
      'VirtualAlloc(0, 0, MEM_RESERVE) fails with 87',
    ),
    vaRow(
      alloc(null, 0xfffc, 'MEM_RESERVE', 'PAGE_NOACCESS', 'a1'),
      succeeds(),
      'VirtualAlloc(0, 0xFFFC, MEM_RESERVE) succeeds',
    ),
    vaRow(
      query('a1'),
      mbi({
        BaseAddress: 'a1',
        AllocationBase: 'a1',
        AllocationProtect: 'PAGE_NOACCESS',
        RegionSize: 0x10000,
        State: 'MEM_RESERVE',
        Protect: null,
        Type: 'MEM_PRIVATE',
      }),
      'a not committed block: 0x10000 bytes, MEM_RESERVE, Protect 0',
    ),
    vaRow(
      protect('a1', 0xfffc, 'PAGE_READONLY'),
      fails(ERROR_INVALID_ADDRESS, false),
      'VirtualProtect on not committed memory → ERROR_INVALID_ADDRESS',
    ),
    vaRow(
      alloc('a1', PAGE, 'MEM_COMMIT', 'PAGE_NOACCESS'),
      succeeds('a1'),
      'commit one page returns addr1',
    ),
    vaRow(
      query('a1'),
      mbi({
        BaseAddress: 'a1',
        AllocationBase: 'a1',
        AllocationProtect: 'PAGE_NOACCESS',
        RegionSize: PAGE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_NOACCESS',
        Type: 'MEM_PRIVATE',
      }),
      'a committed page: 0x1000 bytes, PAGE_NOACCESS',
    ),
    vaRow(
      protect('a1', 0xfffc, 'PAGE_READONLY'),
      fails(ERROR_INVALID_ADDRESS, false),
      'not the whole range committed → ERROR_INVALID_ADDRESS',
    ),
    vaRow(
      protect('a1', PAGE, 'PAGE_READONLY'),
      succeeds('PAGE_NOACCESS'),
      'old protection PAGE_NOACCESS',
    ),
    vaRow(
      protect('a1', PAGE, 'PAGE_READWRITE'),
      succeeds('PAGE_READONLY'),
      'old protection PAGE_READONLY',
    ),
    vaRow(
      query('a1'),
      mbi({ RegionSize: PAGE, State: 'MEM_COMMIT', Protect: 'PAGE_READWRITE' }),
      'after VirtualProtect: PAGE_READWRITE',
    ),
    vaRow(write('a1', 20), succeeds(null), 'memset(addr1, 0x55, 20)'),
    vaRow(
      alloc('a1', PAGE, 'MEM_RESET', 'PAGE_NOACCESS'),
      succeeds('a1'),
      'MEM_RESET of a committed page returns addr1',
    ),
    vaRow(
      query('a1'),
      mbi({ RegionSize: PAGE, State: 'MEM_COMMIT', Protect: 'PAGE_READWRITE' }),
      'MEM_RESET keeps state and protection',
    ),
    vaRow(
      alloc('a1+0x1000', PAGE, 'MEM_RESET', 'PAGE_NOACCESS'),
      succeeds('a1+0x1000'),
      'MEM_RESET of reserved pages succeeds',
    ),
    vaRow(
      query('a1+0x1000'),
      mbi({ RegionSize: 0xf000, State: 'MEM_RESERVE', Protect: null }),
      'the rest stays MEM_RESERVE, Protect 0',
    ),
    vaRow(
      alloc('a1+0xf000', 0x2000, 'MEM_RESET', 'PAGE_NOACCESS'),
      fails(ERROR_INVALID_ADDRESS, null),
      'MEM_RESET past the reservation → ERROR_INVALID_ADDRESS',
    ),
    vaRow(
      alloc(null, PAGE, 'MEM_RESERVE', 0),
      fails(ERROR_INVALID_PARAMETER, null),
      'invalid protection 0 with MEM_RESERVE → 87',
    ),
    vaRow(
      alloc(null, PAGE, 'MEM_COMMIT', 0),
      fails(ERROR_INVALID_PARAMETER, null),
      'invalid protection 0 with MEM_COMMIT → 87',
    ),
    vaRow(
      alloc('a1', PAGE, 'MEM_COMMIT', 'PAGE_READONLY|PAGE_EXECUTE'),
      fails(ERROR_INVALID_PARAMETER, null),
      'PAGE_READONLY|PAGE_EXECUTE → 87',
    ),
    vaRow(
      protect('a1', PAGE, 'PAGE_READWRITE|PAGE_EXECUTE_WRITECOPY'),
      fails(ERROR_INVALID_PARAMETER, false),
      'VirtualProtect PAGE_READWRITE|PAGE_EXECUTE_WRITECOPY → 87',
    ),
    vaRow(
      protect('a1', PAGE, 0),
      fails(ERROR_INVALID_PARAMETER, false),
      'VirtualProtect with protection 0 → 87',
    ),
    vaRow(free('a1', 0x10000, 0), fails(ERROR_INVALID_PARAMETER, false), 'VirtualFree type 0 → 87'),
    vaRow(
      free('a1', 0, 'MEM_FREE'),
      fails(ERROR_INVALID_PARAMETER, false),
      'VirtualFree MEM_FREE → 87',
    ),
    vaRow(
      free('a1', 0x10000, 'MEM_DECOMMIT'),
      succeeds(true),
      'VirtualFree(addr1, 0x10000, MEM_DECOMMIT) succeeds',
    ),
    vaRow(
      free('a1', 1, 'MEM_RELEASE'),
      fails(ERROR_INVALID_PARAMETER, false),
      'MEM_RELEASE with size 1 → 87',
    ),
    vaRow(free('a1', 0, 'MEM_RELEASE'), succeeds(true), 'MEM_RELEASE with size 0 succeeds'),
    vaRow(
      alloc(null, 0x2000, 'MEM_COMMIT', 'PAGE_READWRITE|PAGE_NOCACHE', 'a2'),
      succeeds(),
      'PAGE_NOCACHE allocation succeeds',
    ),
    vaRow(
      query('a2'),
      mbi({
        BaseAddress: 'a2',
        AllocationBase: 'a2',
        AllocationProtect: 'PAGE_READWRITE|PAGE_NOCACHE',
        RegionSize: 0x2000,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READWRITE|PAGE_NOCACHE',
        Type: 'MEM_PRIVATE',
      }),
      'PAGE_NOCACHE in AllocationProtect and Protect',
    ),
    vaRow(
      protect('a2', PAGE, 'PAGE_READWRITE'),
      succeeds('PAGE_READWRITE|PAGE_NOCACHE'),
      'old protection keeps PAGE_NOCACHE',
    ),
    vaRow(
      query('a2'),
      mbi({
        BaseAddress: 'a2',
        AllocationProtect: 'PAGE_READWRITE|PAGE_NOCACHE',
        RegionSize: 0x2000,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READWRITE|PAGE_NOCACHE',
        Type: 'MEM_PRIVATE',
      }),
      'PAGE_NOCACHE cannot be removed per page: still one 0x2000 run',
    ),
    vaRow(
      protect('a2', PAGE, 'PAGE_READONLY'),
      succeeds('PAGE_READWRITE|PAGE_NOCACHE'),
      'old protection PAGE_READWRITE|PAGE_NOCACHE',
    ),
    vaRow(
      query('a2'),
      mbi({
        AllocationProtect: 'PAGE_READWRITE|PAGE_NOCACHE',
        RegionSize: PAGE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READONLY|PAGE_NOCACHE',
        Type: 'MEM_PRIVATE',
      }),
      "PAGE_READONLY keeps the allocation's PAGE_NOCACHE",
    ),
    vaRow(free('a2', 0, 'MEM_RELEASE'), succeeds(true), 'release'),
    vaRow(
      alloc(null, 0x2000, 'MEM_COMMIT', 'PAGE_READWRITE', 'a3'),
      succeeds(),
      'a plain PAGE_READWRITE allocation',
    ),
    vaRow(
      query('a3'),
      mbi({
        BaseAddress: 'a3',
        AllocationBase: 'a3',
        AllocationProtect: 'PAGE_READWRITE',
        RegionSize: 0x2000,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READWRITE',
        Type: 'MEM_PRIVATE',
      }),
      'two committed PAGE_READWRITE pages',
    ),
    vaRow(
      protect('a3', PAGE, 'PAGE_READONLY|PAGE_NOCACHE'),
      succeeds('PAGE_READWRITE'),
      'VirtualProtect with PAGE_NOCACHE succeeds',
    ),
    vaRow(
      query('a3'),
      mbi({
        AllocationProtect: 'PAGE_READWRITE',
        RegionSize: PAGE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READONLY',
        Type: 'MEM_PRIVATE',
      }),
      'PAGE_NOCACHE cannot be added per page',
    ),
    vaRow(free('a3', 0, 'MEM_RELEASE'), succeeds(true), 'release'),
    vaRow(
      alloc(null, 0x2000, 'MEM_RESERVE|MEM_COMMIT', 'PAGE_EXECUTE_READWRITE', 'a4'),
      succeeds(),
      'memory is aligned to 64k',
    ),
    vaRow(free('a4', 0, 'MEM_RELEASE'), succeeds(true), 'release'),
    vaRow(
      alloc('a4', PAGE, 'MEM_RESERVE|MEM_COMMIT', 'PAGE_EXECUTE_READWRITE'),
      succeeds('a4'),
      'the same address again returns addr1',
    ),
    vaRow(
      alloc(
        'a4',
        PAGE,
        `MEM_RESERVE|MEM_COMMIT|0x${AT_ROUND_TO_PAGE.toString(16)}`,
        'PAGE_EXECUTE_READWRITE',
      ),
      fails(ERROR_INVALID_PARAMETER, null),
      'AT_ROUND_TO_PAGE is not supported → 87',
    ),
    vaRow(free('a4', 0, 'MEM_RELEASE'), succeeds(true), 'release'),
  ],
};

/** test_VirtualProtect's table: each protection set on a committed PAGE_NOACCESS page, and what VirtualQuery reads back (0: fails with 87). */
const PROTECT_TABLE: [string | number, string | null][] = [
  [0, null],
  ['PAGE_NOACCESS', 'PAGE_NOACCESS'],
  ['PAGE_READONLY', 'PAGE_READONLY'],
  ['PAGE_READONLY|PAGE_NOACCESS', null],
  ['PAGE_READWRITE', 'PAGE_READWRITE'],
  ['PAGE_READWRITE|PAGE_NOACCESS', null],
  ['PAGE_READWRITE|PAGE_READONLY', null],
  ['PAGE_READWRITE|PAGE_READONLY|PAGE_NOACCESS', null],
  ['PAGE_WRITECOPY', null],
  ['PAGE_WRITECOPY|PAGE_NOACCESS', null],
  ['PAGE_WRITECOPY|PAGE_READONLY', null],
  ['PAGE_WRITECOPY|PAGE_NOACCESS|PAGE_READONLY', null],
  ['PAGE_WRITECOPY|PAGE_READWRITE', null],
  ['PAGE_WRITECOPY|PAGE_READWRITE|PAGE_NOACCESS', null],
  ['PAGE_WRITECOPY|PAGE_READWRITE|PAGE_READONLY', null],
  ['PAGE_WRITECOPY|PAGE_READWRITE|PAGE_READONLY|PAGE_NOACCESS', null],
  ['PAGE_EXECUTE', 'PAGE_EXECUTE'],
  ['PAGE_EXECUTE_READ', 'PAGE_EXECUTE_READ'],
  ['PAGE_EXECUTE_READ|PAGE_EXECUTE', null],
  ['PAGE_EXECUTE_READWRITE', 'PAGE_EXECUTE_READWRITE'],
  ['PAGE_EXECUTE_READWRITE|PAGE_EXECUTE', null],
  ['PAGE_EXECUTE_READWRITE|PAGE_EXECUTE_READ', null],
  ['PAGE_EXECUTE_READWRITE|PAGE_EXECUTE_READ|PAGE_EXECUTE', null],
  ['PAGE_EXECUTE_WRITECOPY', null],
  ['PAGE_EXECUTE_WRITECOPY|PAGE_EXECUTE', null],
  ['PAGE_EXECUTE_WRITECOPY|PAGE_EXECUTE_READ', null],
  ['PAGE_EXECUTE_WRITECOPY|PAGE_EXECUTE_READ|PAGE_EXECUTE', null],
  ['PAGE_EXECUTE_WRITECOPY|PAGE_EXECUTE_READWRITE', null],
  ['PAGE_EXECUTE_WRITECOPY|PAGE_EXECUTE_READWRITE|PAGE_EXECUTE', null],
  ['PAGE_EXECUTE_WRITECOPY|PAGE_EXECUTE_READWRITE|PAGE_EXECUTE_READ', null],
  ['PAGE_EXECUTE_WRITECOPY|PAGE_EXECUTE_READWRITE|PAGE_EXECUTE_READ|PAGE_EXECUTE', null],
];

const vpRow = atLine('test_VirtualProtect');
const NOACCESS_PAGE = {
  BaseAddress: 'vp',
  RegionSize: PAGE,
  Protect: 'PAGE_NOACCESS',
  AllocationBase: 'vp',
  AllocationProtect: 'PAGE_NOACCESS',
  State: 'MEM_COMMIT',
  Type: 'MEM_PRIVATE',
};

function protectTableRows(): Row[] {
  const rows: Row[] = [
    vpRow(3255)(
      alloc(null, PAGE, 'MEM_RESERVE|MEM_COMMIT', 'PAGE_NOACCESS', 'vp'),
      succeeds(),
      'VirtualAlloc(0, page, MEM_RESERVE|MEM_COMMIT, PAGE_NOACCESS)',
    ),
  ];
  for (const [set, get] of PROTECT_TABLE) {
    const name = typeof set === 'number' ? String(set) : set;
    rows.push(
      vpRow(3282)(
        query('vp'),
        mbi(NOACCESS_PAGE),
        `td[${name}]: the page reads PAGE_NOACCESS first`,
      ),
    );
    if (get) {
      rows.push(
        vpRow(3295)(
          protect('vp', PAGE, set),
          succeeds('PAGE_NOACCESS'),
          `td[${name}]: VirtualProtect succeeds, old PAGE_NOACCESS`,
        ),
      );
      rows.push(
        vpRow(3301)(
          query('vp'),
          mbi({ ...NOACCESS_PAGE, Protect: get }),
          `td[${name}]: VirtualQuery reads ${get}`,
        ),
      );
    } else {
      rows.push(
        vpRow(3311)(
          protect('vp', PAGE, set),
          fails(ERROR_INVALID_PARAMETER, false),
          `td[${name}]: VirtualProtect fails with 87`,
        ),
      );
    }
    rows.push(
      vpRow(3318)(
        protect('vp', PAGE, 'PAGE_NOACCESS'),
        succeeds(get ?? 'PAGE_NOACCESS'),
        `td[${name}]: back to PAGE_NOACCESS, old ${get ?? 'PAGE_NOACCESS'}`,
      ),
    );
  }
  // Every execute access (none, 0x10..0x80) with every read/write access (none, 0x01..0x08):
  // both or neither → 87, a write-copy one → 87, anything else commits and protects.
  for (const exec of [0, 0x10, 0x20, 0x40, 0x80]) {
    for (const rw of [0, 0x01, 0x02, 0x04, 0x08]) {
      const prot = exec | rw;
      const neither = (rw !== 0) === (exec !== 0);
      const invalid = neither || (prot & (0x08 | 0x80)) !== 0;
      const what = `VirtualAlloc/VirtualProtect(0x${prot.toString(16)})`;
      rows.push(
        vpRow(neither ? 3339 : invalid ? 3346 : 3351)(
          alloc('vp', PAGE, 'MEM_COMMIT', prot),
          invalid ? fails(ERROR_INVALID_PARAMETER, null) : succeeds('vp'),
          `${what}: VirtualAlloc ${invalid ? 'fails with 87' : 'returns base'}`,
        ),
      );
      rows.push(
        vpRow(neither ? 3360 : invalid ? 3367 : 3371)(
          protect('vp', PAGE, prot),
          invalid ? fails(ERROR_INVALID_PARAMETER, false) : succeeds(),
          `${what}: VirtualProtect ${invalid ? 'fails with 87' : 'succeeds'}`,
        ),
      );
    }
  }
  return rows;
}

const virtualProtect: FidelityCase = {
  name: 'kernel32 test_VirtualProtect',
  rows: protectTableRows(),
};

const apRow = atLine('test_VirtualAlloc_protection');
function allocProtectionRows(): Row[] {
  const rows: Row[] = [];
  PROTECT_TABLE.forEach(([prot, get], i) => {
    const name = typeof prot === 'number' ? String(prot) : prot;
    if (!get) {
      rows.push(
        apRow(3481)(
          alloc(null, PAGE, 'MEM_COMMIT', prot),
          fails(ERROR_INVALID_PARAMETER, null),
          `td[${name}]: VirtualAlloc fails with 87`,
        ),
      );
      return;
    }
    const b = `p${i}`;
    rows.push(
      apRow(3450)(
        alloc(null, PAGE, 'MEM_COMMIT', prot, b),
        succeeds(),
        `td[${name}]: VirtualAlloc succeeds`,
      ),
    );
    rows.push(
      apRow(3455)(
        query(b),
        mbi({
          BaseAddress: b,
          RegionSize: PAGE,
          Protect: get,
          AllocationBase: b,
          AllocationProtect: get,
          State: 'MEM_COMMIT',
          Type: 'MEM_PRIVATE',
        }),
        `td[${name}]: VirtualQuery`,
      ),
    );
    if (get === 'PAGE_READWRITE' || get === 'PAGE_EXECUTE_READWRITE') {
      rows.push(apRow(3465)(write(b), succeeds(null), `td[${name}]: base[0] = 0xfe`));
      rows.push(
        apRow(3470)(query(b), mbi({ Protect: get }), `td[${name}]: a write keeps the protection`),
      );
    }
    rows.push(
      apRow(3475)(
        alloc(b, PAGE, 'MEM_COMMIT', prot),
        succeeds(b),
        `td[${name}]: committing again returns base`,
      ),
    );
    rows.push(apRow(3477)(free(b, 0, 'MEM_RELEASE'), null));
  });
  return rows;
}

const virtualAllocProtection: FidelityCase = {
  name: 'kernel32 test_VirtualAlloc_protection',
  rows: allocProtectionRows(),
};

const wwRow = at('test_write_watch');
const SIZE = 0x10000;
const watch = (...pages: number[]) => ({
  ok: true,
  returned: 0,
  info: { count: pages.length, addresses: pages.map((p) => `base+0x${(p * PAGE).toString(16)}`) },
});
const watch3 = (...pages: number[]) => ({
  ok: true,
  returned: 0,
  info: { count: pages.length, addresses: pages.map((p) => `b3+0x${(p * PAGE).toString(16)}`) },
});
const writeWatch: FidelityCase = {
  name: 'kernel32 test_write_watch',
  rows: [
    wwRow(
      alloc(null, SIZE, 'MEM_RESERVE|MEM_COMMIT|MEM_WRITE_WATCH', 'PAGE_READWRITE', 'base'),
      succeeds(),
      'VirtualAlloc with MEM_WRITE_WATCH succeeds',
    ),
    wwRow(
      query('base'),
      mbi({
        BaseAddress: 'base',
        AllocationProtect: 'PAGE_READWRITE',
        RegionSize: SIZE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READWRITE',
        Type: 'MEM_PRIVATE',
      }),
      'VirtualQuery of the watched block',
    ),
    wwRow(
      getWriteWatch(0, null, SIZE),
      fails(ERROR_INVALID_PARAMETER, WRITE_WATCH_FAILED),
      'GetWriteWatch(0, NULL, size) → ~0u, 87',
    ),
    wwRow(getWriteWatch(0, 'base', SIZE), watch(), 'nothing written yet: count 0'),
    wwRow(write('base+0x1001'), succeeds(null), 'base[pagesize + 1] = 0x44'),
    wwRow(getWriteWatch(0, 'base', SIZE), watch(1), 'one page: base + pagesize'),
    wwRow(
      getWriteWatch('WRITE_WATCH_FLAG_RESET', 'base', SIZE),
      watch(1),
      'with WRITE_WATCH_FLAG_RESET: the same page',
    ),
    wwRow(getWriteWatch(0, 'base', SIZE), watch(), 'after the reset: count 0'),
    wwRow(write('base+0x2003'), succeeds(null), 'base[2*pagesize + 3] = 0x11'),
    wwRow(write('base+0x4008'), succeeds(null), 'base[4*pagesize + 8] = 0x11'),
    wwRow(getWriteWatch(0, 'base', SIZE), watch(2, 4), 'two pages, in address order'),
    wwRow(getWriteWatch(0, 'base+0x3000', 2 * PAGE), watch(4), 'a sub-range: only page 4'),
    wwRow(
      resetWriteWatch('base', 3 * PAGE),
      succeeds(0),
      'ResetWriteWatch(base, 3*pagesize) returns 0',
    ),
    wwRow(getWriteWatch(0, 'base', SIZE), watch(4), 'page 2 was reset, page 4 not'),
    wwRow(write('base+0x1ffe', 4), succeeds(null), 'a DWORD across pages 1 and 2'),
    wwRow(getWriteWatch(0, 'base', SIZE), watch(1, 2, 4), 'three pages'),
    wwRow(
      getWriteWatch('WRITE_WATCH_FLAG_RESET', 'base', SIZE, 1),
      watch(1),
      'count 1 with the reset flag: the first page only',
    ),
    wwRow(getWriteWatch(0, 'base', SIZE), watch(2, 4), 'only the reported page was reset'),
    wwRow(
      protect('base', 3 * PAGE, 'PAGE_READONLY'),
      succeeds('PAGE_READWRITE'),
      'changing protections does not affect watches',
    ),
    wwRow(
      query('base'),
      mbi({
        BaseAddress: 'base',
        RegionSize: 3 * PAGE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READONLY',
      }),
      'three read-only pages',
    ),
    wwRow(
      protect('base', 3 * PAGE, 'PAGE_READWRITE'),
      succeeds('PAGE_READONLY'),
      'back to PAGE_READWRITE',
    ),
    wwRow(getWriteWatch(0, 'base', SIZE), watch(2, 4), 'the watches are unchanged'),
    wwRow(
      query('base'),
      mbi({
        BaseAddress: 'base',
        RegionSize: SIZE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READWRITE',
      }),
      'one run again',
    ),
    wwRow(write('base', SIZE), succeeds(null), 'memset(base, 0, size)'),
    wwRow(
      getWriteWatch('WRITE_WATCH_FLAG_RESET', 'base', SIZE),
      { ok: true, returned: 0, info: { count: 16 } },
      'every page written: count 16',
    ),
    wwRow(
      getWriteWatch(0, 'base', SIZE, 0),
      fails(ERROR_INVALID_PARAMETER, WRITE_WATCH_FAILED),
      'count 0 → 87',
    ),
    wwRow(
      getWriteWatch(0xdeadbeef, 'base', SIZE),
      fails(ERROR_INVALID_PARAMETER, WRITE_WATCH_FAILED),
      'flags 0xdeadbeef → 87',
    ),
    wwRow(
      getWriteWatch(0, 'base', 0),
      fails(ERROR_INVALID_PARAMETER, WRITE_WATCH_FAILED),
      'size 0 → 87',
    ),
    wwRow(
      getWriteWatch(0, 'base', SIZE * 2),
      fails(ERROR_INVALID_PARAMETER, WRITE_WATCH_FAILED),
      'a range past the block → 87',
    ),
    wwRow(
      getWriteWatch(0, 'base+0xf000', PAGE + 1),
      fails(ERROR_INVALID_PARAMETER, WRITE_WATCH_FAILED),
      'the last page and one byte more → 87',
    ),
    wwRow(
      resetWriteWatch('base', 0),
      fails(ERROR_INVALID_PARAMETER, WRITE_WATCH_FAILED),
      'ResetWriteWatch(base, 0) → 87',
    ),
    wwRow(free('base', 0, 'MEM_RELEASE'), null),
    wwRow(
      alloc(null, SIZE, 'MEM_RESERVE|MEM_WRITE_WATCH', 'PAGE_READWRITE', 'b2'),
      succeeds(),
      'MEM_RESERVE|MEM_WRITE_WATCH succeeds',
    ),
    wwRow(free('b2', 0, 'MEM_RELEASE'), null),
    wwRow(
      alloc(null, SIZE, 'MEM_WRITE_WATCH', 'PAGE_READWRITE'),
      fails(ERROR_INVALID_PARAMETER, null),
      'MEM_WRITE_WATCH alone → 87',
    ),
    wwRow(
      alloc(null, SIZE, 'MEM_RESERVE|MEM_WRITE_WATCH', 'PAGE_NOACCESS', 'b3'),
      succeeds(),
      'initial protect does not matter',
    ),
    wwRow(alloc('b3', SIZE, 'MEM_COMMIT', 'PAGE_NOACCESS'), succeeds('b3'), 'commit PAGE_NOACCESS'),
    wwRow(getWriteWatch(0, 'b3', SIZE), watch3(), 'count 0'),
    wwRow(
      protect('b3', 6 * PAGE, 'PAGE_READWRITE'),
      succeeds('PAGE_NOACCESS'),
      'old protection PAGE_NOACCESS',
    ),
    wwRow(write('b3+0x50c8'), succeeds(null), 'base[5*pagesize + 200] = 3'),
    wwRow(
      protect('b3', 6 * PAGE, 'PAGE_NOACCESS'),
      succeeds('PAGE_READWRITE'),
      'old protection PAGE_READWRITE',
    ),
    wwRow(getWriteWatch(0, 'b3', SIZE), watch3(5), 'page 5 was written'),
    wwRow(free('b3', SIZE, 'MEM_DECOMMIT'), succeeds(true), 'decommit the block'),
    wwRow(getWriteWatch(0, 'b3', SIZE), watch3(5), 'decommitting keeps the watch'),
    wwRow(free('b3', 0, 'MEM_RELEASE'), null),
  ],
};

const mvRow = at('test_MapViewOfFile');
const namedSection: FidelityCase = {
  name: 'kernel32 test_MapViewOfFile: a named pagefile-backed section',
  rows: [
    mvRow(
      {
        op: 'CreateFileMapping',
        file: null,
        protect: 'PAGE_READWRITE',
        size: 4090,
        name: 'Local\\Foo',
        as: 'section',
      },
      succeeds(),
      'CreateFileMapping(INVALID_HANDLE_VALUE, PAGE_READWRITE, 4090, "Local\\Foo")',
    ),
    mvRow(
      { op: 'OpenFileMapping', access: 'FILE_MAP_READ', name: 'Local\\Foo', as: 'm1' },
      succeeds(),
      'OpenFileMapping FILE_MAP_READ',
    ),
    mvRow(
      { op: 'MapViewOfFile', handle: 'm1', access: 'FILE_MAP_WRITE' },
      fails(ERROR_ACCESS_DENIED, null),
      'FILE_MAP_WRITE through a read handle → ERROR_ACCESS_DENIED',
    ),
    mvRow(
      { op: 'MapViewOfFile', handle: 'm1', access: 'FILE_MAP_READ', as: 'v1' },
      succeeds(),
      'FILE_MAP_READ succeeds',
    ),
    mvRow(
      query('v1'),
      mbi({
        BaseAddress: 'v1',
        AllocationBase: 'v1',
        AllocationProtect: 'PAGE_READONLY',
        RegionSize: PAGE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READONLY',
      }),
      'a one-page PAGE_READONLY view',
    ),
    mvRow({ op: 'UnmapViewOfFile', address: 'v1' }, null),
    mvRow({ op: 'CloseHandle', handle: 'm1' }, null),
    mvRow(
      { op: 'OpenFileMapping', access: 'FILE_MAP_WRITE', name: 'Local\\Foo', as: 'm2' },
      succeeds(),
      'OpenFileMapping FILE_MAP_WRITE',
    ),
    mvRow(
      { op: 'MapViewOfFile', handle: 'm2', access: 'FILE_MAP_READ' },
      fails(ERROR_ACCESS_DENIED, null),
      'FILE_MAP_READ through a write-only handle → ERROR_ACCESS_DENIED',
    ),
    mvRow(
      { op: 'MapViewOfFile', handle: 'm2', access: 'FILE_MAP_WRITE', as: 'v2' },
      succeeds(),
      'FILE_MAP_WRITE succeeds',
    ),
    mvRow(
      query('v2'),
      mbi({
        BaseAddress: 'v2',
        AllocationBase: 'v2',
        AllocationProtect: 'PAGE_READWRITE',
        RegionSize: PAGE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READWRITE',
      }),
      'a one-page PAGE_READWRITE view',
    ),
    mvRow({ op: 'UnmapViewOfFile', address: 'v2' }, null),
    mvRow({ op: 'CloseHandle', handle: 'm2' }, null),
    mvRow({ op: 'CloseHandle', handle: 'section' }, null),
  ],
};

const gpRow = at('test_guard_page');
const GUARD_LOCK =
  "Wine's VirtualLock is mlock(), which fails on the PROT_NONE guard page with STATUS_ACCESS_DENIED, and never clears the guard (todo_wine in test_guard_page)";
const guardPage: FidelityCase = {
  name: 'kernel32 test_guard_page',
  rows: [
    gpRow(
      alloc(null, PAGE, 'MEM_RESERVE|MEM_COMMIT', 'PAGE_READWRITE|PAGE_GUARD', 'g'),
      succeeds(),
      'a committed guard page',
    ),
    gpRow(
      query('g'),
      mbi({
        BaseAddress: 'g',
        AllocationProtect: 'PAGE_READWRITE|PAGE_GUARD',
        RegionSize: PAGE,
        State: 'MEM_COMMIT',
        Protect: 'PAGE_READWRITE|PAGE_GUARD',
        Type: 'MEM_PRIVATE',
      }),
      'PAGE_GUARD in AllocationProtect and Protect',
    ),
    gpRow(
      protect('g', PAGE, 'PAGE_READWRITE'),
      succeeds('PAGE_READWRITE|PAGE_GUARD'),
      'old protection PAGE_READWRITE|PAGE_GUARD',
    ),
    gpRow(write('g', 8), succeeds(null), '*value = 1; *(value + 1) = 2'),
    gpRow(
      protect('g', PAGE, 'PAGE_READWRITE|PAGE_GUARD'),
      succeeds('PAGE_READWRITE'),
      'old protection PAGE_READWRITE',
    ),
    gpRow(
      lock('g', PAGE),
      fails(0x80000001, false),
      'the first VirtualLock fails with STATUS_GUARD_PAGE_VIOLATION',
      GUARD_LOCK,
    ),
    gpRow(lock('g', PAGE), succeeds(true), 'the second succeeds', GUARD_LOCK),
    gpRow(unlock('g', PAGE), succeeds(true), 'VirtualUnlock succeeds'),
    gpRow(
      query('g'),
      mbi({
        BaseAddress: 'g',
        AllocationProtect: 'PAGE_READWRITE|PAGE_GUARD',
        RegionSize: PAGE,
        State: 'MEM_COMMIT',
        Type: 'MEM_PRIVATE',
      }),
      'AllocationProtect keeps PAGE_GUARD',
    ),
    gpRow(query('g'), mbi({ Protect: 'PAGE_READWRITE' }), 'PAGE_GUARD is removed now', GUARD_LOCK),
    gpRow(protect('g', PAGE, 'PAGE_READWRITE|PAGE_GUARD'), succeeds(), 'VirtualProtect succeeds'),
  ],
};

export const KERNEL32_VIRTUAL: FidelityCase[] = [
  withLines(
    virtualAlloc,
    AT,
    [
      348, 353, 358, 367, 373, 378, 389, 394, 398, 404, 407, 411, 415, 420, 424, 429, 435, 440, 445,
      449, 454, 458, 463, 467, 470, 474, 478, 480, 489, 492, 503, 507, 517, 520, 522, 531, 534, 543,
      548, 549, 551, 556, 559,
    ],
  ),
  virtualProtect,
  virtualAllocProtection,
  withLines(
    writeWatch,
    AT,
    [
      1758, 1761, 1771, 1790, 1792, 1797, 1803, 1809, 1811, 1812, 1817, 1824, 1828, 1833, 1836,
      1841, 1849, 1855, 1862, 1867, 1873, 1879, 1885, 1913, 1918, 2109, 2138, 2144, 2150, 2156,
      2161, 2199, 2203, 2209, 2211, 2216, 2219, 2222, 2225, 2231, 2235, 2240,
    ],
  ),
  withLines(namedSection, AT, [765, 769, 772, 776, 781, 808, 811, 815, 820]),
  withLines(guardPage, AT, [2368, 2374, 2383, 2386, 2390, 2396, 2402, 2407, 2414, 2418, 2422]),
];
