/**
 * Windows memory-management constants by name: flag values (winnt.h), Win32 error codes
 * (winerror.h) with a one-line explanation for the UI, and the NTSTATUS exception codes the
 * simulator raises. Pure: shared by the simulator, the sandbox script format and the UI.
 */

export const PAGE_FLAGS = {
  PAGE_NOACCESS: 0x01,
  PAGE_READONLY: 0x02,
  PAGE_READWRITE: 0x04,
  PAGE_WRITECOPY: 0x08,
  PAGE_EXECUTE: 0x10,
  PAGE_EXECUTE_READ: 0x20,
  PAGE_EXECUTE_READWRITE: 0x40,
  PAGE_EXECUTE_WRITECOPY: 0x80,
  PAGE_GUARD: 0x100,
  PAGE_NOCACHE: 0x200,
  PAGE_WRITECOMBINE: 0x400,
} as const;
export type PageFlagName = keyof typeof PAGE_FLAGS;

/** The bits of a protection that are modifiers rather than the base access. */
export const PAGE_MODIFIERS =
  PAGE_FLAGS.PAGE_GUARD | PAGE_FLAGS.PAGE_NOCACHE | PAGE_FLAGS.PAGE_WRITECOMBINE;

export const MEM_FLAGS = {
  MEM_COMMIT: 0x1000,
  MEM_RESERVE: 0x2000,
  MEM_DECOMMIT: 0x4000,
  MEM_RELEASE: 0x8000,
  MEM_FREE: 0x10000,
  MEM_PRIVATE: 0x20000,
  MEM_MAPPED: 0x40000,
  MEM_RESET: 0x80000,
  MEM_TOP_DOWN: 0x100000,
  MEM_WRITE_WATCH: 0x200000,
  MEM_PHYSICAL: 0x400000,
  MEM_RESET_UNDO: 0x1000000,
  MEM_IMAGE: 0x1000000,
  MEM_LARGE_PAGES: 0x20000000,
} as const;
export type MemFlagName = keyof typeof MEM_FLAGS;

/** HeapCreate / HeapAlloc / HeapReAlloc flags. */
export const HEAP_FLAGS = {
  HEAP_NO_SERIALIZE: 0x1,
  HEAP_GENERATE_EXCEPTIONS: 0x4,
  HEAP_ZERO_MEMORY: 0x8,
  HEAP_REALLOC_IN_PLACE_ONLY: 0x10,
  HEAP_CREATE_ENABLE_EXECUTE: 0x40000,
} as const;

/** MapViewOfFile / OpenFileMapping access rights. */
export const FILE_MAP_FLAGS = {
  FILE_MAP_COPY: 0x1,
  FILE_MAP_WRITE: 0x2,
  FILE_MAP_READ: 0x4,
  FILE_MAP_EXECUTE: 0x20,
  FILE_MAP_ALL_ACCESS: 0xf001f,
} as const;

/** GetWriteWatch flags. */
export const WRITE_WATCH_FLAGS = {
  WRITE_WATCH_FLAG_RESET: 0x1,
} as const;

/** GetWriteWatch and ResetWriteWatch return 0, or (UINT)-1 with the last error set. */
export const WRITE_WATCH_FAILED = 0xffffffff;

/** Every flag name a script may use for `type` or `protect`, with its value. */
export const FLAG_VALUES: Readonly<Record<string, number>> = { ...PAGE_FLAGS, ...MEM_FLAGS };

export interface WinErrorInfo {
  code: number;
  /** One line for the UI: what the error means in memory-management terms. */
  explanation: string;
}

export const WIN_ERRORS = {
  ERROR_FILE_NOT_FOUND: {
    code: 2,
    explanation: 'No object by that name exists (OpenFileMapping of a name nobody created).',
  },
  ERROR_ACCESS_DENIED: {
    code: 5,
    explanation:
      'The view asks for more than the mapping allows (write access to a read-only section, or past its end).',
  },
  ERROR_INVALID_HANDLE: {
    code: 6,
    explanation: 'The handle is not a heap or file-mapping handle of this process.',
  },
  ERROR_NOT_ENOUGH_MEMORY: {
    code: 8,
    explanation: 'No free range of the address space is large enough for the reservation.',
  },
  ERROR_INVALID_PARAMETER: {
    code: 87,
    explanation:
      'A flag, size or protection is not valid for this call (or an invalid flag combination).',
  },
  ERROR_NOT_LOCKED: {
    code: 158,
    explanation:
      'The range is not locked; VirtualUnlock removed the pages from the working set instead.',
  },
  ERROR_ALREADY_EXISTS: {
    code: 183,
    explanation:
      'A named object by that name already exists; the call returned a handle to it (not an error for CreateFileMapping).',
  },
  ERROR_NO_MORE_ITEMS: {
    code: 259,
    explanation: 'HeapWalk reached the end of the heap.',
  },
  ERROR_INVALID_ADDRESS: {
    code: 487,
    explanation:
      'The address range is not in the state the call needs (free, already reserved, not committed, or spans two allocations).',
  },
  ERROR_NOACCESS: {
    code: 998,
    explanation:
      'The call touched memory it may not access (a NULL out-pointer or a PAGE_NOACCESS page).',
  },
  ERROR_WORKING_SET_QUOTA: {
    code: 1453,
    explanation:
      'Locking these pages would exceed the working-set minimum, which is the lock quota.',
  },
  /** Not a winerror.h code: VirtualLock sets the NTSTATUS itself as the last error (Wine test_guard_page). */
  STATUS_GUARD_PAGE_VIOLATION: {
    code: 0x80000001,
    explanation:
      'VirtualLock reached a guard page; that page has lost its guard, so calling again succeeds.',
  },
  ERROR_FILE_INVALID: {
    code: 1006,
    explanation: 'An empty file cannot be mapped: give the mapping a size, which extends the file.',
  },
  ERROR_MAPPED_ALIGNMENT: {
    code: 1132,
    explanation: "A view's file offset must be a multiple of the allocation granularity (64 KiB).",
  },
  ERROR_COMMITMENT_LIMIT: {
    code: 1455,
    explanation:
      'The system commit charge would exceed the commit limit (physical memory plus pagefile).',
  },
} as const satisfies Record<string, WinErrorInfo>;
export type WinErrorName = keyof typeof WIN_ERRORS;

export const WIN_EXCEPTIONS = {
  EXCEPTION_ACCESS_VIOLATION: 0xc0000005,
  STATUS_GUARD_PAGE_VIOLATION: 0x80000001,
  STATUS_NO_MEMORY: 0xc0000017,
} as const;
export type WinExceptionName = keyof typeof WIN_EXCEPTIONS;

/** The kind of access an exception reports (EXCEPTION_RECORD.ExceptionInformation[0]: 0, 1, 8). */
export type AccessKind = 'read' | 'write' | 'execute';

const BASE_NAMES = Object.entries(PAGE_FLAGS).filter(([, v]) => (v & PAGE_MODIFIERS) === 0);
const MODIFIER_NAMES = Object.entries(PAGE_FLAGS).filter(([, v]) => (v & PAGE_MODIFIERS) !== 0);

/**
 * A protection value as the model's public name: `PAGE_READWRITE|PAGE_GUARD`; null for 0 (what
 * VirtualQuery reports for reserved and free memory). Unknown bits are kept as hex.
 */
export function protectName(value: number): string | null {
  if (value === 0) return null;
  const parts: string[] = [];
  let rest = value;
  for (const [name, bit] of BASE_NAMES) {
    if ((value & 0xff) === bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  for (const [name, bit] of MODIFIER_NAMES) {
    if (value & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.join('|');
}

/** MEMORY_BASIC_INFORMATION.State / .Type as a name. */
export function memName(value: number): string | null {
  for (const name of [
    'MEM_COMMIT',
    'MEM_RESERVE',
    'MEM_FREE',
    'MEM_PRIVATE',
    'MEM_MAPPED',
    'MEM_IMAGE',
  ] as const) {
    if (MEM_FLAGS[name] === value) return name;
  }
  return value === 0 ? null : `0x${value.toString(16)}`;
}

export function winError(name: WinErrorName): { code: number; name: WinErrorName } {
  return { code: WIN_ERRORS[name].code, name };
}

/** `0xc0000005` style, as the sandbox JSON prints exception codes. */
export function exceptionCodeHex(name: WinExceptionName): string {
  return `0x${WIN_EXCEPTIONS[name].toString(16).padStart(8, '0')}`;
}
