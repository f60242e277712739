import type { LinuxRegionInfo, Region, WorkingSet } from '../../../shared/model';
import { allocationStarts } from './allocations';
import { type MappingClass, classifyMapping } from './mappingKinds';
import { isReserved, protectOf } from './protection';
import { FIELD, FIELD_COUNT, type SmapsMapping, type SmapsScanner } from './smapsScanner';

export interface RegionOptions {
  /** Files (device:inode) that are ELF objects: their mappings are images. */
  images: ReadonlySet<string>;
  /** Thread id → user stack pointer, for finding the stacks of threads other than the main one. */
  stackPointers: ReadonlyMap<number, number>;
  /** The process id: the main thread's id, owner of [stack]. */
  pid: number;
  includeFree: boolean;
  /** One past the highest user address (0x800000000000 on x86-64); gaps are found below it. */
  userEnd: number;
}

const NO_WORKING_SET: WorkingSet = Object.freeze({ total: 0, private: 0, shareable: 0, shared: 0, locked: 0 });

const hexAddress = (digits: string): string => {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return `0x${digits.slice(i)}`;
};

function freeRegion(start: number, end: number): Region {
  return {
    base: `0x${start.toString(16)}`,
    size: end - start,
    allocationBase: null,
    state: 'free',
    // VirtualQueryEx reports free memory as PAGE_NOACCESS.
    protect: 'PAGE_NOACCESS',
    allocationProtect: null,
    type: null,
    kind: 'free',
    committed: 0,
    workingSet: NO_WORKING_SET,
    path: null,
    details: null,
  };
}

/** smaps values are NaN where this kernel does not print the field; they count as 0. */
function valueOf(fields: Float64Array, row: number, column: number): number {
  const v = fields[row + column]!;
  return v === v ? v : 0;
}

/** A value as the kernel printed it, or undefined (left out of JSON) where this kernel lacks the field. */
function rawValue(fields: Float64Array, row: number, column: number): number | undefined {
  const v = fields[row + column]!;
  return v === v ? v : undefined;
}

/** One object shape for every region (a literal, not a loop of assignments), so V8 keeps it fast. */
function linuxInfo(m: SmapsMapping, fields: Float64Array): LinuxRegionInfo {
  const row = m.slot * FIELD_COUNT;
  return {
    perms: m.perms,
    vmFlags: m.vmFlags,
    offset: m.offset,
    device: m.device,
    inode: m.inode,
    pss: valueOf(fields, row, FIELD.Pss),
    swap: valueOf(fields, row, FIELD.Swap),
    anonymous: valueOf(fields, row, FIELD.Anonymous),
    referenced: valueOf(fields, row, FIELD.Referenced),
    size: rawValue(fields, row, FIELD.Size),
    kernelPageSize: rawValue(fields, row, FIELD.KernelPageSize),
    mmuPageSize: rawValue(fields, row, FIELD.MMUPageSize),
    rss: rawValue(fields, row, FIELD.Rss),
    pssDirty: rawValue(fields, row, FIELD.Pss_Dirty),
    pssAnon: rawValue(fields, row, FIELD.Pss_Anon),
    pssFile: rawValue(fields, row, FIELD.Pss_File),
    pssShmem: rawValue(fields, row, FIELD.Pss_Shmem),
    sharedClean: rawValue(fields, row, FIELD.Shared_Clean),
    sharedDirty: rawValue(fields, row, FIELD.Shared_Dirty),
    privateClean: rawValue(fields, row, FIELD.Private_Clean),
    privateDirty: rawValue(fields, row, FIELD.Private_Dirty),
    ksm: rawValue(fields, row, FIELD.KSM),
    lazyFree: rawValue(fields, row, FIELD.LazyFree),
    anonHugePages: rawValue(fields, row, FIELD.AnonHugePages),
    shmemPmdMapped: rawValue(fields, row, FIELD.ShmemPmdMapped),
    filePmdMapped: rawValue(fields, row, FIELD.FilePmdMapped),
    sharedHugetlb: rawValue(fields, row, FIELD.Shared_Hugetlb),
    privateHugetlb: rawValue(fields, row, FIELD.Private_Hugetlb),
    swapPss: rawValue(fields, row, FIELD.SwapPss),
    locked: rawValue(fields, row, FIELD.Locked),
    thpEligible: rawValue(fields, row, FIELD.THPeligible),
    protectionKey: rawValue(fields, row, FIELD.ProtectionKey),
  };
}

function mappingSize(m: SmapsMapping): number {
  return m.high ? Number(BigInt(`0x${m.endHex}`) - BigInt(`0x${m.startHex}`)) : m.end - m.start;
}

/** Index of the mapping holding `address`, or -1 (mappings are sorted and disjoint). */
function mappingAt(mappings: readonly SmapsMapping[], address: number): number {
  let lo = 0;
  let hi = mappings.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = mappings[mid]!;
    if (address < m.start) hi = mid - 1;
    else if (address >= m.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Marks thread stacks: the allocation holding a thread's stack pointer becomes kind `stack` with
 * that thread's id, guard page included, if it is anonymous private memory or [stack]. (A stack
 * pointer elsewhere, in a Go heap arena or a signal stack inside a file mapping, is left alone.)
 */
function markStacks(
  mappings: readonly SmapsMapping[],
  classes: MappingClass[],
  starts: Int32Array,
  options: RegionOptions,
): Int32Array {
  const threadIds = new Int32Array(mappings.length);
  const mainStack = mappings.findIndex((m) => m.path === '[stack]');
  const mark = (i: number, tid: number): void => {
    classes[i] = { ...classes[i]!, kind: 'stack', details: `thread ${tid}` };
    threadIds[i] = tid;
  };
  if (mainStack >= 0) mark(mainStack, options.pid);
  for (const [tid, sp] of options.stackPointers) {
    const at = mappingAt(mappings, sp);
    if (at < 0 || at === mainStack || !classes[at]!.anonymous) continue;
    const first = starts[at]!;
    for (let i = first; i < mappings.length && starts[i] === first; i++) mark(i, tid);
  }
  return threadIds;
}

/** Every mapping as a Region, in address order, with the free gaps of the user range between them. */
export function regionsFromSmaps(scanner: SmapsScanner, options: RegionOptions): Region[] {
  const { mappings, fields } = scanner;
  const classes = mappings.map((m) => classifyMapping(m, options.images));
  const starts = allocationStarts(mappings, classes);
  const threadIds = markStacks(mappings, classes, starts, options);
  const regions: Region[] = [];
  const { userEnd, includeFree } = options;
  // Free gaps are found below userEnd only; mappings above it ([vsyscall]) follow the last gap.
  let cursor = 0;
  let allocationBase = '';
  for (let i = 0; i < mappings.length; i++) {
    const m = mappings[i]!;
    const gapEnd = m.high ? userEnd : Math.min(m.start, userEnd);
    if (includeFree && gapEnd > cursor) regions.push(freeRegion(cursor, gapEnd));
    cursor = Math.max(cursor, gapEnd, m.high ? userEnd : Math.min(m.end, userEnd));
    const cls = classes[i]!;
    const row = m.slot * FIELD_COUNT;
    const reserved = isReserved(m.perms);
    const size = mappingSize(m);
    const rss = valueOf(fields, row, FIELD.Rss);
    const first = mappings[starts[i]!]!;
    const base = hexAddress(m.startHex);
    if (first === m) allocationBase = base;
    const region: Region = {
      base,
      size,
      allocationBase,
      state: reserved ? 'reserved' : 'committed',
      protect: protectOf(m.perms),
      allocationProtect: protectOf(first.perms),
      type: cls.type,
      kind: cls.kind,
      committed: reserved ? 0 : size,
      workingSet: {
        total: rss,
        private: valueOf(fields, row, FIELD.Private_Clean) + valueOf(fields, row, FIELD.Private_Dirty),
        // Resident pages that could be shared: all of a file or shmem mapping's pages except the
        // ones a private mapping has copied on write (those are Anonymous).
        shareable: cls.type === 'private' ? 0 : Math.max(0, rss - valueOf(fields, row, FIELD.Anonymous)),
        shared: valueOf(fields, row, FIELD.Shared_Clean) + valueOf(fields, row, FIELD.Shared_Dirty),
        locked: valueOf(fields, row, FIELD.Locked),
      },
      path: cls.path,
      details: cls.details,
      linux: linuxInfo(m, fields),
    };
    if (threadIds[i]) region.threadId = threadIds[i]!;
    regions.push(region);
  }
  if (includeFree && cursor < userEnd) regions.push(freeRegion(cursor, userEnd));
  return regions;
}
