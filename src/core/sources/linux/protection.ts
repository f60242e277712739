/**
 * Linux permissions in Windows terms. smaps prints `rwxp`/`rwxs`; Windows names a protection by
 * what it allows. x86 page tables cannot express write-only, so PROT_WRITE always implies read and
 * `-w-` reads as PAGE_READWRITE (likewise `-wx`).
 */
const PROTECT_BY_RWX: Record<string, string> = {
  '---': 'PAGE_NOACCESS',
  'r--': 'PAGE_READONLY',
  '-w-': 'PAGE_READWRITE',
  'rw-': 'PAGE_READWRITE',
  '--x': 'PAGE_EXECUTE',
  'r-x': 'PAGE_EXECUTE_READ',
  '-wx': 'PAGE_EXECUTE_READWRITE',
  'rwx': 'PAGE_EXECUTE_READWRITE',
};

/** Keyed by the whole perms string (`r-xp`, `rw-s`, ...) so the hot path does no slicing. */
const PROTECT_BY_PERMS = new Map<string, string>(
  Object.entries(PROTECT_BY_RWX).flatMap(([rwx, name]) => [
    [`${rwx}p`, name],
    [`${rwx}s`, name],
  ]),
);

/** The PAGE_* name of a perms string such as `r-xp`. */
export function protectOf(perms: string): string {
  return PROTECT_BY_PERMS.get(perms) ?? 'PAGE_NOACCESS';
}

/** `---p`/`---s`: address space held but not usable, Windows' MEM_RESERVE. */
export function isReserved(perms: string): boolean {
  return perms.startsWith('---');
}

export function isShared(perms: string): boolean {
  return perms.charCodeAt(3) === 115; // 's'
}

export function isExecutable(perms: string): boolean {
  return perms.charCodeAt(2) === 120; // 'x'
}
