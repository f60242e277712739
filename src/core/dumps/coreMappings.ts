import { PERM_EXEC, PERM_READ, PERM_SHARED, PERM_WRITE } from '../sources/linux/smapsScanner';
import type { CoreSegment, ElfCore } from './elfCore';

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
 */
export interface CoreMapping {
  /** Page-aligned addresses, exact as numbers (elfCore.ts). */
  start: number;
  end: number;
  /** PF_R/PF_W/PF_X, or null where the core lists the file (NT_FILE) but not the mapping (gcore). */
  flags: number | null;
  offset: number;
  path: string;
  inode: number;
  /** The PT_LOAD holding its bytes, or null. */
  segment: CoreSegment | null;
}

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

/** The PERM_* bits maps would print for a mapping (smapsScanner.ts). */
export function permsOf(m: CoreMapping): number {
  const f = m.flags ?? PF_R;
  return (
    (f & PF_R ? PERM_READ : 0) |
    (f & PF_W ? PERM_WRITE : 0) |
    (f & PF_X ? PERM_EXEC : 0) |
    (SHARED_PATH.test(m.path) ? PERM_SHARED : 0)
  );
}

const byAddress = (a: { start: number }, b: { start: number }): number => a.start - b.start;

const isSorted = <T extends { start: number }>(list: readonly T[]): boolean =>
  list.every((x, i) => i === 0 || list[i - 1]!.start < x.start);

export function coreMappings(core: ElfCore): CoreMapping[] {
  // The kernel and gdb write both lists in address order: one merge walk pairs them.
  const files = isSorted(core.files) ? core.files : [...core.files].sort(byAddress);
  const inodes = new Map<string, number>();
  const inodeOf = (path: string): number => {
    let inode = inodes.get(path);
    if (inode === undefined) inodes.set(path, (inode = inodes.size + 1));
    return inode;
  };
  const mappings: CoreMapping[] = [];
  const unlisted: CoreMapping[] = [];
  let f = 0;
  for (const s of core.segments) {
    const { start, end } = s;
    // NT_FILE entries below this segment that no segment holds: gcore left them out.
    for (; f < files.length && files[f]!.start < start; f++) {
      const file = files[f]!;
      const last = mappings[mappings.length - 1];
      if (file.end > file.start && file.end <= start && !(last && file.start < last.end))
        unlisted.push(fileOnly(file, inodeOf(file.path)));
    }
    const file = files[f];
    const matches = file !== undefined && file.start === start && file.end === end;
    if (matches) f++;
    mappings.push({
      start,
      end,
      flags: s.flags & (PF_R | PF_W | PF_X),
      offset: matches ? file.offset : 0,
      path: matches ? file.path : '',
      inode: matches ? inodeOf(file.path) : 0,
      segment: s,
    });
  }
  const last = mappings[mappings.length - 1];
  for (; f < files.length; f++) {
    const file = files[f]!;
    if (file.end > file.start && !(last && file.start < last.end))
      unlisted.push(fileOnly(file, inodeOf(file.path)));
  }
  if (unlisted.length > 0) {
    mappings.push(...unlisted);
    mappings.sort(byAddress);
  }
  nameSpecialMappings(core, mappings);
  return mappings;
}

function fileOnly(file: ElfCore['files'][number], inode: number): CoreMapping {
  return {
    start: file.start,
    end: file.end,
    flags: null,
    offset: file.offset,
    path: file.path,
    inode,
    segment: null,
  };
}

/** Index of the mapping holding `address`, or -1. */
function indexAt(mappings: readonly CoreMapping[], at: bigint | number | undefined): number {
  if (at === undefined) return -1;
  const address = Number(at);
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

function nameSpecialMappings(core: ElfCore, mappings: CoreMapping[]): void {
  const anonymous = (i: number): boolean => i >= 0 && mappings[i]!.path === '';
  const name = (i: number, path: string): void => {
    if (anonymous(i)) mappings[i]!.path = path;
  };
  const vdso = indexAt(mappings, core.auxv.get(AT_SYSINFO_EHDR));
  name(vdso, '[vdso]');
  // The vvar pages sit directly below the vDSO: [vvar], or since Linux 6.13 [vvar] then [vvar_vclock].
  const vvar: number[] = [];
  for (let i = vdso - 1; i >= 0 && vdso >= 0 && vvar.length < 2; i--) {
    const m = mappings[i]!;
    if (!anonymous(i) || m.end !== mappings[i + 1]!.start || m.flags !== PF_R) break;
    vvar.unshift(i);
  }
  vvar.forEach((i, n) => (mappings[i]!.path = n === 0 ? '[vvar]' : '[vvar_vclock]'));
  name(indexAt(mappings, core.auxv.get(AT_EXECFN) ?? core.auxv.get(AT_RANDOM)), '[stack]');
  name(indexAt(mappings, VSYSCALL), '[vsyscall]');
  const heap = brkHeap(mappings, indexAt(mappings, core.auxv.get(AT_PHDR)));
  if (heap >= 0) mappings[heap]!.path = '[heap]';
}

/**
 * The brk heap: the first anonymous read-write mapping above the executable's last mapping (and
 * not touching it, which would be its .bss), within brk's randomization range.
 */
function brkHeap(mappings: readonly CoreMapping[], exe: number): number {
  if (exe < 0 || mappings[exe]!.path === '') return -1;
  const path = mappings[exe]!.path;
  let last = exe;
  while (last + 1 < mappings.length && mappings[last + 1]!.path === path) last++;
  let end = mappings[last]!.end;
  let i = last + 1;
  if (i < mappings.length && mappings[i]!.path === '' && mappings[i]!.start === end)
    end = mappings[i++]!.end;
  for (; i < mappings.length && mappings[i]!.start < end + BRK_RANGE; i++) {
    const m = mappings[i]!;
    if (m.path === '' && m.flags === (PF_R | PF_W)) return i;
    if (m.path !== '') return -1;
  }
  return -1;
}
