import { PERM_EXEC, PERM_READ, PERM_SHARED, PERM_WRITE } from '../sources/linux/smapsScanner';
import type { ElfCore } from './elfCore';

/**
 * The mappings of a core as /proc/PID/maps would have printed them, so that the Linux source's
 * rules (mappingKinds, allocations, stacks) apply unchanged. A core does not record everything
 * maps shows, so some of it is inferred here, and docs/dumps.md says how:
 * - the names the kernel gives special mappings come from the auxiliary vector ([vdso] at
 *   AT_SYSINFO_EHDR, [stack] holding AT_EXECFN / AT_RANDOM), from the fixed [vsyscall] address,
 *   from adjacency ([vvar] pages right below the vDSO) and from the brk rule ([heap]: the first
 *   anonymous read-write mapping above the executable, within brk's randomization range);
 * - a core keeps no device or inode, so each distinct path gets a stand-in inode (its rank);
 * - the shared bit is not recorded: only shmem paths (/dev/zero, /SYSV, memfd, /dev/shm) are shared.
 *
 * Columns, row i of each array being mapping i in address order: no object per mapping.
 */
export interface CoreMappings {
  count: number;
  /** Page-aligned addresses, exact as numbers (elfCore.ts). */
  start: Float64Array;
  end: Float64Array;
  /** PF_R/PF_W/PF_X, or UNKNOWN_FLAGS where the core lists the file (NT_FILE) but not the mapping (gcore). */
  flags: Int8Array;
  offset: Float64Array;
  /** Index into `names`, NO_PATH for an anonymous mapping. */
  path: Int32Array;
  /** The files' paths (ElfCore.files.paths), then the special names given here ([vdso], [heap], …). */
  names: string[];
  /** The stand-in inode: the rank of its file in address order, 0 for none. */
  inode: Float64Array;
  /** The PT_LOAD holding its bytes (a row of ElfCore.segments), or NO_SEGMENT. */
  segment: Int32Array;
}

export const UNKNOWN_FLAGS = -1;
export const NO_PATH = -1;
export const NO_SEGMENT = -1;

const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const AT_RANDOM = 25;
const AT_EXECFN = 31;
const AT_SYSINFO_EHDR = 33;
const AT_PHDR = 3;
const VSYSCALL = 0xffffffffff600000;
/** brk starts up to 32 MiB (x86-64) or 1 GiB (arm64) above the end of the executable's data. */
const BRK_RANGE = 2 ** 30;
const SHARED_PATH = /^(\/dev\/zero|\/SYSV|\/memfd:|\/dev\/shm\/)/;

/** The PERM_* bits maps would print for each mapping (smapsScanner.ts). */
export function permsOf(m: CoreMappings): Uint8Array {
  const sharedName = m.names.map((name) => SHARED_PATH.test(name));
  const perms = new Uint8Array(m.count);
  // As locals: an imported binding is read through a getter in some loaders (tsx).
  const [read, write, exec, shared] = [PERM_READ, PERM_WRITE, PERM_EXEC, PERM_SHARED];
  for (let i = 0; i < m.count; i++) {
    const f = m.flags[i] === UNKNOWN_FLAGS ? PF_R : m.flags[i]!;
    const p = m.path[i]!;
    perms[i] =
      (f & PF_R ? read : 0) |
      (f & PF_W ? write : 0) |
      (f & PF_X ? exec : 0) |
      (p !== NO_PATH && sharedName[p] ? shared : 0);
  }
  return perms;
}

/** The rows of NT_FILE in address order, or null when they are (the kernel and gdb write them so). */
function fileOrder(files: ElfCore['files']): Int32Array | null {
  for (let i = 1; i < files.count; i++)
    if (files.start[i - 1]! >= files.start[i]!) {
      const order = new Int32Array(files.count);
      for (let j = 0; j < order.length; j++) order[j] = j;
      return order.sort((a, b) => files.start[a]! - files.start[b]!);
    }
  return null;
}

export function coreMappings(core: ElfCore): CoreMappings {
  const { segments, files } = core;
  const capacity = segments.count + files.count;
  const m: CoreMappings = {
    count: 0,
    start: new Float64Array(capacity),
    end: new Float64Array(capacity),
    flags: new Int8Array(capacity),
    offset: new Float64Array(capacity),
    path: new Int32Array(capacity),
    names: [...files.paths],
    inode: new Float64Array(capacity),
    segment: new Int32Array(capacity),
  };
  const inodes = new Int32Array(files.paths.length);
  let nextInode = 1;
  const push = (start: number, end: number, flags: number, file: number, segment: number): void => {
    const i = m.count++;
    m.start[i] = start;
    m.end[i] = end;
    m.flags[i] = flags;
    m.segment[i] = segment;
    if (file < 0) {
      m.offset[i] = 0;
      m.path[i] = NO_PATH;
      m.inode[i] = 0;
      return;
    }
    const path = files.path[file]!;
    m.offset[i] = files.offset[file]!;
    m.path[i] = path;
    m.inode[i] = inodes[path] ||= nextInode++;
  };
  const lastEnd = (): number => (m.count > 0 ? m.end[m.count - 1]! : -1);
  /** An NT_FILE entry no segment holds (gcore left it out), where it fits below `limit`. */
  const fileOnly = (file: number, limit: number): void => {
    const start = files.start[file]!;
    const end = files.end[file]!;
    if (end > start && end <= limit && start >= lastEnd())
      push(start, end, UNKNOWN_FLAGS, file, NO_SEGMENT);
  };
  // The kernel and gdb write both lists in address order: one merge walk pairs them.
  const order = fileOrder(files);
  const row = (f: number): number => (order === null ? f : order[f]!);
  let f = 0;
  for (let s = 0; s < segments.count; s++) {
    const start = segments.start[s]!;
    const end = segments.end[s]!;
    for (; f < files.count && files.start[row(f)]! < start; f++) fileOnly(row(f), start);
    const file = f < files.count ? row(f) : -1;
    const matches = file >= 0 && files.start[file] === start && files.end[file] === end;
    if (matches) f++;
    push(start, end, segments.flags[s]! & (PF_R | PF_W | PF_X), matches ? file : -1, s);
  }
  for (; f < files.count; f++) fileOnly(row(f), Infinity);
  nameSpecialMappings(core, m);
  return m;
}

/** Index of the mapping holding `address`, or -1. */
export function indexAt(m: CoreMappings, at: bigint | number | undefined): number {
  if (at === undefined) return -1;
  const address = Number(at);
  let lo = 0;
  let hi = m.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (address < m.start[mid]!) hi = mid - 1;
    else if (address >= m.end[mid]!) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function nameSpecialMappings(core: ElfCore, m: CoreMappings): void {
  const anonymous = (i: number): boolean => i >= 0 && m.path[i] === NO_PATH;
  const setName = (i: number, name: string): void => {
    let index = m.names.indexOf(name, core.files.paths.length);
    if (index < 0) index = m.names.push(name) - 1;
    m.path[i] = index;
  };
  const name = (i: number, path: string): void => {
    if (anonymous(i)) setName(i, path);
  };
  const vdso = indexAt(m, core.auxv.get(AT_SYSINFO_EHDR));
  name(vdso, '[vdso]');
  // The vvar pages sit directly below the vDSO: [vvar], or since Linux 6.13 [vvar] then [vvar_vclock].
  const vvar: number[] = [];
  for (let i = vdso - 1; i >= 0 && vdso >= 0 && vvar.length < 2; i--) {
    if (!anonymous(i) || m.end[i] !== m.start[i + 1] || m.flags[i] !== PF_R) break;
    vvar.unshift(i);
  }
  vvar.forEach((i, n) => setName(i, n === 0 ? '[vvar]' : '[vvar_vclock]'));
  name(indexAt(m, core.auxv.get(AT_EXECFN) ?? core.auxv.get(AT_RANDOM)), '[stack]');
  name(indexAt(m, VSYSCALL), '[vsyscall]');
  const heap = brkHeap(m, indexAt(m, core.auxv.get(AT_PHDR)));
  if (heap >= 0) setName(heap, '[heap]');
}

/**
 * The brk heap: the first anonymous read-write mapping above the executable's last mapping (and
 * not touching it, which would be its .bss), within brk's randomization range.
 */
function brkHeap(m: CoreMappings, exe: number): number {
  if (exe < 0 || m.path[exe] === NO_PATH) return -1;
  const path = m.path[exe];
  let last = exe;
  while (last + 1 < m.count && m.path[last + 1] === path) last++;
  let end = m.end[last]!;
  let i = last + 1;
  if (i < m.count && m.path[i] === NO_PATH && m.start[i] === end) end = m.end[i++]!;
  for (; i < m.count && m.start[i]! < end + BRK_RANGE; i++) {
    if (m.path[i] === NO_PATH && m.flags[i] === (PF_R | PF_W)) return i;
    if (m.path[i] !== NO_PATH) return -1;
  }
  return -1;
}
