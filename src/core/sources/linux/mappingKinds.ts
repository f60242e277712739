import type { RegionKind, RegionType } from '../../../shared/model';
import { keepShapes } from '../../../shared/keptShapes';
import { BLOCK } from '../../../shared/rowBlocks';
import { PERM_EXEC, PERM_SHARED, type SmapsMapping, SmapsScanner } from './smapsScanner';

/** What a mapping is, in VMMap's terms, before allocations and thread stacks are worked out. */
export interface MappingClass {
  type: RegionType;
  kind: RegionKind;
  /** The file shown for the region (null for anonymous memory). */
  path: string | null;
  details: string | null;
  /** Anonymous private memory: the only kind grouped into allocations by the guard rules. */
  anonymous: boolean;
}

const DELETED = ' (deleted)';

/** Kernel-provided mappings every process has; shown as `other` with their name. */
const SPECIAL: Record<string, RegionType> = {
  // The vDSO is a small ELF object the kernel maps into every process.
  '[vdso]': 'image',
  // Pages of kernel data (clock, vsyscall page) shared read-only with every process.
  '[vvar]': 'mapped',
  '[vvar_vclock]': 'mapped',
  '[vsyscall]': 'mapped',
};

/**
 * Memory backed by shmem rather than a file: shared anonymous mappings (the kernel names them
 * `/dev/zero (deleted)`), System V segments, memfd objects, POSIX shared memory in /dev/shm.
 */
function shmemDetails(path: string): string | null {
  if (path.startsWith('/dev/zero')) return 'shared anonymous memory';
  if (path.startsWith('/SYSV')) return `System V shared memory key 0x${path.slice(5, 13)}`;
  if (path.startsWith('/memfd:')) return `memfd ${path.slice(7).replace(DELETED, '')}`;
  if (path.startsWith('/dev/shm/')) return 'POSIX shared memory';
  if (path.startsWith('[anon_shmem:')) return `shared anonymous memory ${path.slice(12, -1)}`;
  return null;
}

/** Device and inode: the identity of a mapped file, whatever name it was opened under. */
export const fileKey = (m: Pick<SmapsMapping, 'device' | 'inode'>): string =>
  `${m.device}:${m.inode}`;

/**
 * The file identity (device:inode) of every mapping, null for those without a file. Neighbours
 * are usually the same file (a library's segments), so a key is only built when it changes.
 */
export function fileKeys(s: SmapsScanner): (string | null)[] {
  const keys = new Array<string | null>(s.count).fill(null);
  for (let from = 0; from < s.count; from += BLOCK)
    keysOfBlock(s, keys, from, Math.min(s.count, from + BLOCK));
  return keys;
}

/** fileKeys for mappings [from, to) (rowBlocks.ts). */
function keysOfBlock(s: SmapsScanner, keys: (string | null)[], from: number, to: number): void {
  let lastDevice = -1;
  let lastInode = -1;
  let last = '';
  for (let i = from; i < to; i++) {
    const inode = s.inode[i]!;
    if (inode === 0) continue;
    const device = s.device[i]!;
    if (device !== lastDevice || inode !== lastInode) {
      last = `${s.devices[device]}:${inode}`;
      lastDevice = device;
      lastInode = inode;
    }
    keys[i] = last;
  }
}

// Shared by every mapping of these kinds: a big process has tens of thousands of them.
const ANONYMOUS: MappingClass = Object.freeze({
  type: 'private',
  kind: 'privateData',
  path: null,
  details: null,
  anonymous: true,
});
const SHARED_ANONYMOUS: MappingClass = Object.freeze({
  type: 'mapped',
  kind: 'shareable',
  path: null,
  details: 'shared anonymous memory',
  anonymous: false,
});
const HEAP: MappingClass = Object.freeze({
  type: 'private',
  kind: 'heap',
  path: null,
  details: 'brk heap',
  anonymous: false,
});
const STACK: MappingClass = Object.freeze({
  type: 'private',
  kind: 'stack',
  path: null,
  details: null,
  anonymous: false,
});

/**
 * The type and kind of one mapping from its path (`''` for none), whether it is shared, and
 * whether its file is an ELF object (mapped executable somewhere in the process, or found to
 * start with the ELF magic).
 */
export function classifyMapping(path: string, shared: boolean, image: boolean): MappingClass {
  if (path === '') return shared ? SHARED_ANONYMOUS : ANONYMOUS;
  if (path === '[heap]') return HEAP;
  if (path === '[stack]') return STACK;
  // Only bracketed names are special: a file path never looked up by name (a keyed lookup with a
  // new string costs a string-table search, 15,000 of them in a core of as many libraries).
  const special = path.startsWith('[') ? SPECIAL[path] : undefined;
  if (special) return { type: special, kind: 'other', path: null, details: path, anonymous: false };
  const shmem = shmemDetails(path);
  if (shmem !== null) {
    const shown =
      path.startsWith('/dev/zero') || path.startsWith('[') ? null : path.replace(DELETED, '');
    return { type: 'mapped', kind: 'shareable', path: shown, details: shmem, anonymous: false };
  }
  if (path.startsWith('[anon:')) {
    return {
      type: 'private',
      kind: 'privateData',
      path: null,
      details: path.slice(6, -1),
      anonymous: true,
    };
  }
  if (path.startsWith('['))
    return { type: 'private', kind: 'other', path: null, details: path, anonymous: false };
  const deleted = path.endsWith(DELETED);
  const file = deleted ? path.slice(0, -DELETED.length) : path;
  const details = deleted ? 'file deleted' : null;
  return image
    ? { type: 'image', kind: 'image', path: file, details, anonymous: false }
    : { type: 'mapped', kind: 'mappedFile', path: file, details, anonymous: false };
}

/** A path is an ordinary file, the only kind whose class depends on the ELF test. */
const isPlainFile = (path: string): boolean => path.startsWith('/') && shmemDetails(path) === null;

/** Every mapping's class, as an index into a short list (a process has few distinct ones). */
export interface MappingClasses {
  list: MappingClass[];
  of: Int32Array;
}

export function classifyMappings(
  s: SmapsScanner,
  keys: readonly (string | null)[],
  images: ReadonlySet<string>,
): MappingClasses {
  const classes: MappingClasses = {
    list: [ANONYMOUS, SHARED_ANONYMOUS],
    of: new Int32Array(s.count),
  };
  // Per path index: its class, and for plain files the class when it is an image.
  const byPath = new Int32Array(s.paths.length).fill(-1);
  const byImagePath = new Int32Array(s.paths.length).fill(-1);
  for (let from = 0; from < s.count; from += BLOCK)
    classesOfBlock(
      s,
      keys,
      images,
      classes,
      byPath,
      byImagePath,
      from,
      Math.min(s.count, from + BLOCK),
    );
  return classes;
}

/** classifyMappings for mappings [from, to) (rowBlocks.ts). */
function classesOfBlock(
  s: SmapsScanner,
  keys: readonly (string | null)[],
  images: ReadonlySet<string>,
  { list, of }: MappingClasses,
  byPath: Int32Array,
  byImagePath: Int32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const p = s.path[i]!;
    if (p < 0) {
      of[i] = s.perms[i]! & PERM_SHARED ? 1 : 0;
      continue;
    }
    const key = keys[i];
    const image = key !== null && key !== undefined && images.has(key);
    const cache = image ? byImagePath : byPath;
    if (cache[p] === -1) {
      cache[p] = list.length;
      list.push(classifyMapping(s.paths[p]!, (s.perms[i]! & PERM_SHARED) !== 0, image));
    }
    of[i] = cache[p]!;
  }
}

// The classes are made per snapshot and read by its per-mapping loops: one is kept (keptShapes.ts).
keepShapes(classifyMappings(new SmapsScanner(1), [], new Set()));

/** Files mapped executable anywhere in the process: ELF objects the loader (or the kernel) mapped. */
export function executableFiles(
  s: SmapsScanner,
  keys: readonly (string | null)[] = fileKeys(s),
): Set<string> {
  const files = new Set<string>();
  for (let from = 0; from < s.count; from += BLOCK)
    executableOfBlock(s, keys, files, from, Math.min(s.count, from + BLOCK));
  return files;
}

/** executableFiles for mappings [from, to) (rowBlocks.ts). */
function executableOfBlock(
  s: SmapsScanner,
  keys: readonly (string | null)[],
  files: Set<string>,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++)
    if (keys[i] !== null && s.perms[i]! & PERM_EXEC) files.add(keys[i]!);
}

/** One representative mapping per file that is mapped but never executable: candidates for the magic check. */
export function nonExecutableFiles(
  s: SmapsScanner,
  keys: readonly (string | null)[],
  executable: ReadonlySet<string>,
): SmapsMapping[] {
  const seen = new Map<string, number>();
  for (let from = 0; from < s.count; from += BLOCK)
    candidatesOfBlock(s, keys, executable, seen, from, Math.min(s.count, from + BLOCK));
  return [...seen.values()].map((i) => s.mapping(i));
}

/** nonExecutableFiles for mappings [from, to) (rowBlocks.ts). */
function candidatesOfBlock(
  s: SmapsScanner,
  keys: readonly (string | null)[],
  executable: ReadonlySet<string>,
  seen: Map<string, number>,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const key = keys[i];
    if (key === null || key === undefined || executable.has(key) || seen.has(key)) continue;
    if (isPlainFile(s.pathOf(i))) seen.set(key, i);
  }
}
