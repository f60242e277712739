/**
 * Short scripts on the sandbox's classic experiments. The playground's menu offers the lessons
 * (src/shared/lessons), which cover these with explanations; these stay as the scripts the live
 * engine is cross-checked with under Wine (test/windows/liveSandbox.wine.ts) and in
 * test/sandbox/presets.test.ts. Copy-on-write needs the file-mapping ops, so it is included only
 * when the op table has them.
 */
import { SCRIPT_OPS } from '../../../../shared/sandboxScript';

export interface Preset {
  name: string;
  /** One line on what to watch. */
  lesson: string;
  script: { machine?: Record<string, number>; steps: Record<string, unknown>[] };
}

const KiB = 1024;
const MiB = 1024 * KiB;

const COPY_ON_WRITE: Preset = {
  name: 'Copy-on-write',
  lesson:
    'Two views of one section: writing the FILE_MAP_COPY view gives that page a private copy (PAGE_WRITECOPY becomes PAGE_READWRITE); the copy view was charged commit in full when it was mapped.',
  script: {
    steps: [
      { op: 'GetProcessMemoryInfo', note: 'the commit process start left (images, stack, heap)' },
      { op: 'CreateFileMapping', protect: 'PAGE_READWRITE', size: 64 * KiB, as: 'section' },
      { op: 'MapViewOfFile', handle: 'section', access: 'FILE_MAP_WRITE', as: 'shared' },
      { op: 'MapViewOfFile', handle: 'section', access: 'FILE_MAP_COPY', as: 'copy' },
      {
        op: 'Write',
        address: 'shared',
        size: 4,
        note: 'the shared view writes the section itself',
      },
      { op: 'GetProcessMemoryInfo', note: 'the copy view is charged already: 64 KiB more' },
      { op: 'VirtualQuery', address: 'copy', note: 'PAGE_WRITECOPY' },
      { op: 'Write', address: 'copy', size: 4, note: 'copy-on-write: this page becomes private' },
      { op: 'VirtualQuery', address: 'copy', note: 'PAGE_READWRITE now' },
      { op: 'VirtualQuery', address: 'copy+0x1000', note: 'the next page is still PAGE_WRITECOPY' },
      { op: 'GetProcessMemoryInfo', note: 'the same commit after the copy' },
    ],
  },
};

export const PRESETS: Preset[] = [
  {
    name: 'Dynamic array',
    lesson:
      'Reserve room for three pages; each write past the committed end faults, and the handler commits one more page.',
    script: {
      steps: [
        {
          op: 'VirtualAlloc',
          size: 3 * 4096,
          type: 'MEM_RESERVE',
          protect: 'PAGE_NOACCESS',
          as: 'array',
        },
        {
          op: 'Write',
          address: 'array',
          size: 4,
          note: 'access violation: reserved, not committed',
        },
        {
          op: 'VirtualAlloc',
          address: 'array',
          size: 4096,
          type: 'MEM_COMMIT',
          protect: 'PAGE_READWRITE',
        },
        { op: 'Write', address: 'array', size: 4, note: 'a demand-zero fault brings the page in' },
        {
          op: 'Write',
          address: 'array+0x1000',
          size: 4,
          note: 'next page: another access violation',
        },
        {
          op: 'VirtualAlloc',
          address: 'array+0x1000',
          size: 4096,
          type: 'MEM_COMMIT',
          protect: 'PAGE_READWRITE',
        },
        { op: 'Write', address: 'array+0x1000', size: 4 },
      ],
    },
  },
  {
    name: 'Reserve vs commit',
    lesson:
      'Reserving costs no commit charge; committing charges it; only touching adds pages to the working set.',
    script: {
      steps: [
        { op: 'VirtualAlloc', size: MiB, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'r' },
        {
          op: 'GetProcessMemoryInfo',
          note: 'the reservation adds nothing to what process start left (images, stack, heap)',
        },
        {
          op: 'VirtualAlloc',
          address: 'r',
          size: 256 * KiB,
          type: 'MEM_COMMIT',
          protect: 'PAGE_READWRITE',
        },
        { op: 'GetProcessMemoryInfo', note: 'commit up 256 KiB, working set unchanged' },
        { op: 'Write', address: 'r', size: 64 * KiB },
        { op: 'GetProcessMemoryInfo', note: 'working set up 64 KiB' },
      ],
    },
  },
  {
    name: 'Decommit vs release',
    lesson:
      'Decommit returns pages to reserved (the range stays yours); release frees the whole allocation.',
    script: {
      steps: [
        {
          op: 'VirtualAlloc',
          size: 64 * KiB,
          type: 'MEM_RESERVE|MEM_COMMIT',
          protect: 'PAGE_READWRITE',
          as: 'a',
        },
        { op: 'Write', address: 'a', size: 64 * KiB },
        { op: 'VirtualFree', address: 'a+0x4000', size: 8 * KiB, type: 'MEM_DECOMMIT' },
        { op: 'VirtualQuery', address: 'a+0x4000', note: 'MEM_RESERVE, Protect 0' },
        { op: 'Write', address: 'a+0x4000', note: 'access violation: decommitted' },
        {
          op: 'VirtualFree',
          address: 'a+0x4000',
          type: 'MEM_RELEASE',
          note: 'fails: release needs the allocation base',
        },
        { op: 'VirtualFree', address: 'a', type: 'MEM_RELEASE' },
        { op: 'VirtualQuery', address: 'a', note: 'MEM_FREE' },
      ],
    },
  },
  {
    name: 'Guard pages',
    lesson:
      'The first touch of a PAGE_GUARD page raises STATUS_GUARD_PAGE_VIOLATION and clears the guard; the next touch succeeds.',
    script: {
      steps: [
        {
          op: 'VirtualAlloc',
          size: 3 * 4096,
          type: 'MEM_RESERVE|MEM_COMMIT',
          protect: 'PAGE_READWRITE',
          as: 'stack',
        },
        {
          op: 'VirtualProtect',
          address: 'stack',
          size: 4096,
          protect: 'PAGE_READWRITE|PAGE_GUARD',
        },
        { op: 'Write', address: 'stack', size: 4 },
        { op: 'Write', address: 'stack', size: 4 },
      ],
    },
  },
  {
    name: 'DEP',
    lesson: 'Executing a read-write page is an access violation (DEP); make it executable first.',
    script: {
      steps: [
        {
          op: 'VirtualAlloc',
          size: 4096,
          type: 'MEM_RESERVE|MEM_COMMIT',
          protect: 'PAGE_READWRITE',
          as: 'code',
        },
        { op: 'Write', address: 'code', size: 16, note: 'write the code' },
        { op: 'Execute', address: 'code', note: 'DEP: access violation on execute' },
        { op: 'VirtualProtect', address: 'code', size: 4096, protect: 'PAGE_EXECUTE_READ' },
        { op: 'Execute', address: 'code' },
      ],
    },
  },
  {
    name: 'Working-set trimming',
    lesson:
      'A 4 MiB machine: writing 6 MiB trims old pages to the modified list and the pagefile; reading them back is a hard fault, a page still on standby a soft one.',
    script: {
      machine: { physicalMemory: 4 * MiB, pagefileSize: 16 * MiB },
      steps: [
        {
          op: 'VirtualAlloc',
          size: 6 * MiB,
          type: 'MEM_RESERVE|MEM_COMMIT',
          protect: 'PAGE_READWRITE',
          as: 'big',
        },
        { op: 'Write', address: 'big', size: 6 * MiB },
        { op: 'GetProcessMemoryInfo' },
        { op: 'Read', address: 'big', size: 64 * KiB, note: 'written out long ago: hard faults' },
        {
          op: 'Read',
          address: 'big+0x5f0000',
          size: 64 * KiB,
          note: 'recent pages: still resident',
        },
        { op: 'EmptyWorkingSet' },
        {
          op: 'Read',
          address: 'big+0x5f0000',
          size: 64 * KiB,
          note: 'on the standby/modified lists: soft faults',
        },
        { op: 'GetProcessMemoryInfo' },
      ],
    },
  },
  ...('MapViewOfFile' in SCRIPT_OPS ? [COPY_ON_WRITE] : []),
];
