import type { RegionKind, RegionType } from '../../../shared/model';
import { isExecutable, isShared } from './protection';
import type { SmapsMapping } from './smapsScanner';

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
export const fileKey = (m: SmapsMapping): string => `${m.device}:${m.inode}`;

/**
 * The type and kind of one mapping. `images` holds the files (device:inode) that are ELF objects:
 * mapped executable somewhere in the process, or found to start with the ELF magic.
 */
// Shared by every mapping of these kinds: a big process has tens of thousands of them.
const ANONYMOUS: MappingClass = Object.freeze({ type: 'private', kind: 'privateData', path: null, details: null, anonymous: true });
const SHARED_ANONYMOUS: MappingClass = Object.freeze({
  type: 'mapped',
  kind: 'shareable',
  path: null,
  details: 'shared anonymous memory',
  anonymous: false,
});
const HEAP: MappingClass = Object.freeze({ type: 'private', kind: 'heap', path: null, details: 'brk heap', anonymous: false });
const STACK: MappingClass = Object.freeze({ type: 'private', kind: 'stack', path: null, details: null, anonymous: false });

export function classifyMapping(m: SmapsMapping, images: ReadonlySet<string>): MappingClass {
  const path = m.path;
  if (path === '') return isShared(m.perms) ? SHARED_ANONYMOUS : ANONYMOUS;
  if (path === '[heap]') return HEAP;
  if (path === '[stack]') return STACK;
  const special = SPECIAL[path];
  if (special) return { type: special, kind: 'other', path: null, details: path, anonymous: false };
  const shmem = shmemDetails(path);
  if (shmem !== null) {
    const shown = path.startsWith('/dev/zero') || path.startsWith('[') ? null : path.replace(DELETED, '');
    return { type: 'mapped', kind: 'shareable', path: shown, details: shmem, anonymous: false };
  }
  if (path.startsWith('[anon:')) {
    return { type: 'private', kind: 'privateData', path: null, details: path.slice(6, -1), anonymous: true };
  }
  if (path.startsWith('[')) return { type: 'private', kind: 'other', path: null, details: path, anonymous: false };
  const deleted = path.endsWith(DELETED);
  const file = deleted ? path.slice(0, -DELETED.length) : path;
  const details = deleted ? 'file deleted' : null;
  return images.has(fileKey(m))
    ? { type: 'image', kind: 'image', path: file, details, anonymous: false }
    : { type: 'mapped', kind: 'mappedFile', path: file, details, anonymous: false };
}

/** Files mapped executable anywhere in the process: ELF objects the loader (or the kernel) mapped. */
export function executableFiles(mappings: readonly SmapsMapping[]): Set<string> {
  const files = new Set<string>();
  for (const m of mappings) if (m.inode !== 0 && isExecutable(m.perms)) files.add(fileKey(m));
  return files;
}

/** One representative mapping per file that is mapped but never executable: candidates for the magic check. */
export function nonExecutableFiles(mappings: readonly SmapsMapping[], executable: ReadonlySet<string>): SmapsMapping[] {
  const seen = new Map<string, SmapsMapping>();
  for (const m of mappings) {
    if (m.inode === 0 || !m.path.startsWith('/') || shmemDetails(m.path) !== null) continue;
    const key = fileKey(m);
    if (!executable.has(key) && !seen.has(key)) seen.set(key, m);
  }
  return [...seen.values()];
}
