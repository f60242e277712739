/**
 * Where Wine's answer differs from Windows' (and so from the simulator, which follows Windows),
 * step by step, each with its reason: what Wine's own conformance tests assert for Windows
 * (dlls/kernel32/tests/virtual.c, dlls/ntdll/tests/virtual.c; todo_wine where Wine knows it
 * fails), Microsoft's documentation, and what Wine's implementation does instead. Found by
 * running liveSandbox.wine.ts under Debian's Wine 8.0; that test checks Wine still answers
 * exactly this, so a change in Wine shows up.
 */
// The ported table's own Wine differences are its rows' marks: test/fidelity/wineMarks.ts.

export interface Difference {
  script: string;
  step: number;
  op: string;
  /** The compared fields where the engines differ: what Wine gives (the live engine under Wine). */
  wine: Record<string, unknown>;
  /** The same fields as Windows gives them (the simulator). */
  windows: Record<string, unknown>;
  reason: string;
}

/** A failed call where Wine's succeeded: the three fields that differ. */
const succeedsOnWine = (
  returned: unknown,
  error: number,
  failedReturn: unknown,
): Pick<Difference, 'wine' | 'windows'> => ({
  wine: { ok: true, returned, lastError: null },
  windows: { ok: false, returned: failedReturn, lastError: error },
});

const VIRTUAL_ALLOC = 'VirtualAlloc: invalid combinations';
const VIRTUAL_FREE = 'VirtualFree: decommit and release';
const LOCKS = 'VirtualLock, VirtualUnlock and the working set';

export const WINE_DIFFERENCES: Difference[] = [
  {
    script: 'preset: Copy-on-write',
    step: 8,
    op: 'VirtualQuery',
    wine: { 'info.Protect': 'PAGE_WRITECOPY', 'info.RegionSize': 65536 },
    windows: { 'info.Protect': 'PAGE_READWRITE', 'info.RegionSize': 4096 },
    reason:
      'After the first write to a FILE_MAP_COPY view, Windows makes that page a private copy marked PAGE_READWRITE (Memory ' +
      'Protection Constants, PAGE_WRITECOPY), so VirtualQuery shows a one-page PAGE_READWRITE run; Wine maps the view MAP_PRIVATE ' +
      'and lets Linux copy the page without a fault of its own, so its protection stays PAGE_WRITECOPY for the whole view.',
  },
  {
    script: VIRTUAL_ALLOC,
    step: 5,
    op: 'VirtualAlloc',
    ...succeedsOnWine('(an address)', 87, null),
    reason:
      'PAGE_NOACCESS|PAGE_GUARD: Windows refuses a modifier on PAGE_NOACCESS with ERROR_INVALID_PARAMETER (Memory Protection ' +
      "Constants; the simulator's rule in src/core/sim/process.test.ts); Wine's get_vprot_flags takes PAGE_GUARD with any base protection.",
  },
  {
    script: VIRTUAL_ALLOC,
    step: 16,
    op: 'VirtualAlloc',
    ...succeedsOnWine('r+0x1000', 87, null),
    reason:
      'MEM_RESET|MEM_COMMIT: Windows fails MEM_RESET combined with any other type with ERROR_INVALID_PARAMETER (VirtualAlloc docs: ' +
      '"MEM_RESET ... cannot be used with any other value"); Wine\'s NtAllocateVirtualMemory takes the MEM_RESET branch and ignores the rest.',
  },
  {
    script: VIRTUAL_FREE,
    step: 15,
    op: 'VirtualFree',
    wine: { lastError: 87 },
    windows: { lastError: 487 },
    reason:
      "Releasing memory released already: Windows answers STATUS_MEMORY_NOT_ALLOCATED, ERROR_INVALID_ADDRESS (Wine's own " +
      "dlls/ntdll/tests/virtual.c expects that status for a release of freed memory, test_NtAllocateVirtualMemoryEx); Wine 8.0's " +
      'NtFreeVirtualMemory answers STATUS_INVALID_PARAMETER when no view holds the address.',
  },
  {
    script: 'VirtualProtect and VirtualQuery',
    step: 16,
    op: 'VirtualProtect',
    wine: { lastError: 87 },
    windows: { lastError: 487 },
    reason:
      "VirtualProtect on free memory: Windows says ERROR_INVALID_ADDRESS (STATUS_MEMORY_NOT_ALLOCATED); Wine's NtProtectVirtualMemory " +
      'answers STATUS_INVALID_PARAMETER when no view holds the range.',
  },
  {
    script: 'Guard pages',
    step: 6,
    op: 'VirtualLock',
    wine: { lastError: 5 },
    windows: { lastError: 0x80000001 },
    reason:
      "VirtualLock on a guard page: Windows fails with STATUS_GUARD_PAGE_VIOLATION as the last error and clears the guard (Wine's " +
      "kernel32 test_guard_page asserts it, todo_wine); Wine's NtLockVirtualMemory is mlock(), which fails on the PROT_NONE mapping " +
      'Wine uses for a guard page: STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED, and the guard stays.',
  },
  {
    script: 'Guard pages',
    step: 7,
    op: 'VirtualLock',
    wine: { ok: false, returned: false, lastError: 5 },
    windows: { ok: true, returned: true, lastError: null },
    reason:
      'The second VirtualLock: on Windows the first one cleared the guard, so it succeeds (test_guard_page, todo_wine); on Wine the ' +
      'guard is still there and mlock() fails again.',
  },
  {
    script: LOCKS,
    step: 1,
    op: 'VirtualUnlock',
    ...succeedsOnWine(true, 158, false),
    reason:
      "VirtualUnlock of pages that are not locked: Windows fails with ERROR_NOT_LOCKED (VirtualUnlock docs); Wine's " +
      'NtUnlockVirtualMemory is munlock(), which succeeds on unlocked pages.',
  },
  {
    script: LOCKS,
    step: 4,
    op: 'VirtualUnlock',
    ...succeedsOnWine(true, 158, false),
    reason: 'Unlocking again: ERROR_NOT_LOCKED on Windows; munlock() succeeds on Wine.',
  },
  {
    script: LOCKS,
    step: 6,
    op: 'VirtualLock',
    wine: { lastError: 5 },
    windows: { lastError: 487 },
    reason:
      'VirtualLock on reserved pages: Windows fails with ERROR_INVALID_ADDRESS (every page must be committed, VirtualLock docs); on Wine ' +
      'mlock() of the PROT_NONE reservation fails and NtLockVirtualMemory turns that into STATUS_ACCESS_DENIED.',
  },
  {
    script: LOCKS,
    step: 8,
    op: 'VirtualLock',
    ...succeedsOnWine(true, 1453, false),
    reason:
      'Locking 1 MiB with the default 200 KiB working-set minimum: Windows fails with ERROR_WORKING_SET_QUOTA (VirtualLock docs: the ' +
      'lock limit is the minimum working set less a small overhead); Wine keeps no working-set quota, and mlock() of root is not limited.',
  },
  {
    script: LOCKS,
    step: 12,
    op: 'SetProcessWorkingSetSize',
    ...succeedsOnWine(true, 87, false),
    reason:
      "A minimum above the maximum: Windows fails with ERROR_INVALID_PARAMETER; Wine's SetProcessWorkingSetSizeEx is a stub that " +
      'returns TRUE.',
  },
];
