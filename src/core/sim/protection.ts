/**
 * Protection values: which ones VirtualAlloc / VirtualProtect accept for private memory, and
 * what each allows. The rules follow the memory-protection-constants documentation and Wine's
 * conformance tests (dlls/kernel32/tests/virtual.c: protect 0, PAGE_READONLY|PAGE_EXECUTE and
 * PAGE_READWRITE|PAGE_EXECUTE_WRITECOPY all fail with ERROR_INVALID_PARAMETER).
 */
import { PAGE_FLAGS as P, type AccessKind } from '../../shared/winConstants';
import type { Secured } from './allocation';

const BASE_MASK = 0xff;
const CACHE_BITS = P.PAGE_NOCACHE | P.PAGE_WRITECOMBINE;
const KNOWN = BASE_MASK | P.PAGE_GUARD | CACHE_BITS;

/** Private memory takes these base protections (the WRITECOPY ones belong to mapped views). */
const PRIVATE_BASES = new Set<number>([
  P.PAGE_NOACCESS,
  P.PAGE_READONLY,
  P.PAGE_READWRITE,
  P.PAGE_EXECUTE,
  P.PAGE_EXECUTE_READ,
  P.PAGE_EXECUTE_READWRITE,
]);

/** Whether `protect` is a valid protection for private memory. */
export function isValidPrivateProtect(protect: number): boolean {
  if (protect & ~KNOWN) return false;
  const base = protect & BASE_MASK;
  if (!PRIVATE_BASES.has(base)) return false;
  const guard = (protect & P.PAGE_GUARD) !== 0;
  const nocache = (protect & P.PAGE_NOCACHE) !== 0;
  const combine = (protect & P.PAGE_WRITECOMBINE) !== 0;
  // Documented exclusions: no modifier with PAGE_NOACCESS; NOCACHE, WRITECOMBINE and GUARD are mutually exclusive.
  if (base === P.PAGE_NOACCESS && (guard || nocache || combine)) return false;
  return Number(guard) + Number(nocache) + Number(combine) <= 1;
}

/**
 * Recent Windows keeps caching attributes per allocation: a VirtualProtect (or commit) inside an
 * allocation made with PAGE_NOCACHE keeps NOCACHE, and one made without it cannot add it (Wine's
 * test_VirtualAlloc, "PAGE_NOCACHE cannot be set per page in recent Windows").
 */
export function withAllocationCaching(protect: number, allocationProtect: number): number {
  return (protect & ~CACHE_BITS) | (allocationProtect & CACHE_BITS);
}

export const isGuard = (protect: number): boolean => (protect & P.PAGE_GUARD) !== 0;
export const withoutGuard = (protect: number): number => protect & ~P.PAGE_GUARD;

const READABLE = new Set<number>([
  P.PAGE_READONLY,
  P.PAGE_READWRITE,
  P.PAGE_WRITECOPY,
  // x64 page tables cannot express execute-only, so PAGE_EXECUTE pages are readable in practice.
  P.PAGE_EXECUTE,
  P.PAGE_EXECUTE_READ,
  P.PAGE_EXECUTE_READWRITE,
  P.PAGE_EXECUTE_WRITECOPY,
]);
const WRITABLE = new Set<number>([
  P.PAGE_READWRITE,
  P.PAGE_WRITECOPY,
  P.PAGE_EXECUTE_READWRITE,
  P.PAGE_EXECUTE_WRITECOPY,
]);
const EXECUTABLE = new Set<number>([
  P.PAGE_EXECUTE,
  P.PAGE_EXECUTE_READ,
  P.PAGE_EXECUTE_READWRITE,
  P.PAGE_EXECUTE_WRITECOPY,
]);

/** Whether a committed page with `protect` allows `access` (DEP is always on for x64 processes). */
export function allows(protect: number, access: AccessKind): boolean {
  const base = protect & BASE_MASK;
  if (access === 'read') return READABLE.has(base);
  if (access === 'write') return WRITABLE.has(base);
  return EXECUTABLE.has(base);
}

/**
 * Whether `protect` may replace the protection of a secured allocation (the PEB, a TEB,
 * KUSER_SHARED_DATA): NtProtectVirtualMemory answers STATUS_INVALID_PAGE_PROTECTION (Win32 87) to
 * a protection that no longer allows reading and writing a read-write one, or to any change of a
 * no-change one (ReactOS MiCheckSecuredVad).
 */
export function securedAllows(secured: Secured, protect: number): boolean {
  if (secured === 'noChange') return false;
  return protect === P.PAGE_READWRITE || protect === P.PAGE_EXECUTE_READWRITE;
}
