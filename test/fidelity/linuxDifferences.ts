/**
 * Where the live Linux engine cannot answer as Windows does, row by row of the ported table: what
 * test/fidelity/linuxLive.test.ts finds, each with its reason. The test fails when a listed row
 * starts to pass or an unlisted one fails, and docs/sandbox.md carries `linuxDifferenceTable()`
 * verbatim, so the documented differences are the tested ones.
 */
export interface LinuxDifference {
  case: string;
  /** The asserted rows of the case that differ (indexes into its rows). */
  steps: number[];
  what: string;
  why: string;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const LINUX_DIFFERENCES: LinuxDifference[] = [
  {
    case: 'kernel32 test_write_watch',
    steps: [...range(0, 30), 32, 35, 36, ...range(37, 43)],
    what: 'MEM_WRITE_WATCH, GetWriteWatch, ResetWriteWatch',
    why: "refused with ERROR_NOT_SUPPORTED (50), as a Windows without write watches refuses them; soft-dirty bits would count the child's own writes too. Later steps fail with them.",
  },
  {
    case: 'kernel32 test_MapViewOfFile: a named pagefile-backed section',
    steps: [0, 1, 2, 3, 4, 7, 8, 9, 10],
    what: 'CreateFileMapping, OpenFileMapping, MapViewOfFile',
    why: 'no live Linux implementation: ERROR_NOT_SUPPORTED (50) without a call',
  },
  {
    case: 'ntdll info.c: KUSER_SHARED_DATA, the process heap, a pagefile-backed view',
    steps: [0, 2, 3, 4, 5, 6],
    what: 'VirtualQuery of KUSER_SHARED_DATA, GetProcessHeap, CreateFileMapping, MapViewOfFile',
    why: 'a Linux process has no KUSER_SHARED_DATA page (nothing is mapped at 0x7FFE0000), no Windows heap and no sections: ERROR_NOT_SUPPORTED (50) without a call',
  },
  {
    case: 'kernel32 test_HeapCreate: a growable heap',
    // Steps 7, 8 and 12 only ask that the call fail with NULL, which the refusal does too.
    steps: range(0, 38).filter((step) => ![7, 8, 12].includes(step)),
    what: 'HeapCreate and the other Heap* calls',
    why: "no live Linux implementation (glibc's malloc is no Windows heap): ERROR_NOT_SUPPORTED (50) without a call",
  },
  {
    case: 'kernel32 test_heap_sizes: first reservations',
    steps: [1, 5, 9],
    what: "HeapCreate's reservations",
    why: 'the same: no heaps on the live Linux engine',
  },
  {
    case: 'psapi test_QueryWorkingSetEx: private pages',
    steps: [1, 3, 5, 7, 9, 11, 14, 15, 16, 17, 19, 20, 22],
    what: 'QueryWorkingSetEx',
    why: 'no live Linux implementation (mincore tells residency, not a Windows working set): ERROR_NOT_SUPPORTED (50) without a call',
  },
];

/** The markdown table docs/sandbox.md carries for the differences. */
export function linuxDifferenceTable(): string {
  const rows = LINUX_DIFFERENCES.map(
    (d) => `| ${d.case} | ${d.steps.length} | ${d.what} | ${d.why} |`,
  );
  return ['| Case of the ported table | Steps | Calls | Why |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}
