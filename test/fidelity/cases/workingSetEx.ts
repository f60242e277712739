/**
 * Wine dlls/psapi/tests/psapi_main.c test_QueryWorkingSetEx: what one page's
 * PSAPI_WORKING_SET_EX_BLOCK says as private memory is committed, read, written, made
 * PAGE_NOACCESS and accessible again, and freed. Each check_QueryWorkingSetEx call (and each
 * entry of the four-entry queries, asked alone) is a row citing its call, whose arguments are the
 * expected Valid, Win32Protection and Shared; check_working_set_info also asserts ShareCount 0
 * for a page that is not both valid and shared. The rows about the exe's own header page are left
 * out: a script has no GetModuleHandle(NULL).
 */
import { alloc, free, protect, read, write } from '../steps';
import { type Expect, type FidelityCase, rowsFrom, succeeds, withLines } from '../table';

const row = rowsFrom('wine dlls/psapi/tests/psapi_main.c')('test_QueryWorkingSetEx');
const qws = (address: string) => ({ op: 'QueryWorkingSetEx', address });
const block = (valid: 0 | 1, protection: string | null): Expect => ({
  ok: true,
  returned: true,
  info: { Valid: valid, Win32Protection: protection, Shared: 0, ShareCount: 0 },
});
const invalid = block(0, null);
const valid = block(1, 'PAGE_READWRITE');

const queryWorkingSetEx: FidelityCase = {
  name: 'psapi test_QueryWorkingSetEx: private pages',
  rows: [
    row(
      alloc(null, 0x2000, 'MEM_COMMIT|MEM_RESERVE', 'PAGE_READWRITE', 'a'),
      succeeds(),
      'VirtualAlloc of two read-write pages',
    ),
    row(qws('a'), invalid, '"valloc": committed, never touched: not valid'),
    row(read('a'), null, '*(volatile char *)addr'),
    row(qws('a'), valid, '"valloc,read": valid, PAGE_READWRITE, not shared'),
    row(write('a'), null, '*(volatile char *)addr = 0x42'),
    row(qws('a'), valid, '"valloc,write": valid'),
    row(protect('a', 0x1000, 'PAGE_NOACCESS'), succeeds(true), 'VirtualProtect PAGE_NOACCESS'),
    row(qws('a'), invalid, '"valloc,noaccess": not valid, protection 0'),
    row(protect('a', 0x1000, 'PAGE_READWRITE'), succeeds(true), 'VirtualProtect back'),
    row(
      qws('a'),
      invalid,
      '"valloc,readwrite1": still not valid until touched',
      'todo_wine: Wine 8.0 reports the page valid and PAGE_READWRITE again as soon as it is accessible',
    ),
    row(read('a'), null, '*(volatile char *)addr'),
    row(qws('a'), valid, '"valloc,readwrite2": valid again once read'),
    row(
      alloc(null, 0x2000, 'MEM_COMMIT|MEM_RESERVE', 'PAGE_READWRITE', 'b'),
      succeeds(),
      'a second allocation',
    ),
    row(write('b+0x1000'), null, '*(addr2 + 0x1000) = 1'),
    row(qws('a'), valid, '"[1] range[1] valid": addr'),
    row(qws('a+0x1000'), invalid, '"[1] range[0] invalid": addr + 0x1000, never touched'),
    row(qws('b'), invalid, '"[1] range[3] invalid": addr2'),
    row(qws('b+0x1000'), valid, '"[1] range[2] valid": addr2 + 0x1000, written'),
    row(free('a', 0, 'MEM_RELEASE'), succeeds(true), 'VirtualFree(addr, 0, MEM_RELEASE)'),
    row(qws('a'), invalid, '"valloc,free": a freed page is not valid'),
    row(qws('b+0x1000'), valid, '"[2] range[2] valid": the other allocation keeps its page'),
    row(free('b', 0, 'MEM_RELEASE'), null, 'VirtualFree(addr2, 0, MEM_RELEASE)'),
    row(qws('b+0x1000'), invalid, '"[3] range[2] invalid": freed'),
  ],
};

// psapi_main.c's lines at a4171c82 (wine-mirror/wine): the check_QueryWorkingSetEx and
// check_working_set_info calls, and the ok() of each call the rows make.
export const WORKING_SET_EX: FidelityCase[] = [
  withLines(
    queryWorkingSetEx,
    'a4171c82',
    [
      1243, 1244, 1247, 1250, 1253, 1254, 1257, 1258, 1261, 1264, 1273, 1274, 1275, 1276, 1279,
      1280, 1287, 1295,
    ],
  ),
];
