import { PERM_EXEC, PERM_READ, PERM_WRITE } from './smapsScanner';

/**
 * Linux permissions in Windows terms. smaps prints `rwxp`/`rwxs` (the scanner keeps them as
 * PERM_* bits); Windows names a protection by what it allows. x86 page tables cannot express
 * write-only, so PROT_WRITE always implies read and `-w-` reads as PAGE_READWRITE (likewise `-wx`).
 */
const PROTECT_BY_RWX: Record<string, string> = {
  '---': 'PAGE_NOACCESS',
  'r--': 'PAGE_READONLY',
  '-w-': 'PAGE_READWRITE',
  'rw-': 'PAGE_READWRITE',
  '--x': 'PAGE_EXECUTE',
  'r-x': 'PAGE_EXECUTE_READ',
  '-wx': 'PAGE_EXECUTE_READWRITE',
  rwx: 'PAGE_EXECUTE_READWRITE',
};

const RWX = PERM_READ | PERM_WRITE | PERM_EXEC;

/** The PAGE_* name of perms bits (the shared bit does not change it). */
export function protectOf(perms: number): string {
  const rwx = perms & RWX;
  return PROTECT_BY_RWX[
    `${rwx & PERM_READ ? 'r' : '-'}${rwx & PERM_WRITE ? 'w' : '-'}${rwx & PERM_EXEC ? 'x' : '-'}`
  ]!;
}

/** `---p`/`---s`: address space held but not usable, Windows' MEM_RESERVE. */
export function isReserved(perms: number): boolean {
  return (perms & RWX) === 0;
}
