/**
 * The live engine's Windows operations as real Linux calls, made in the sandbox child through
 * koffi: mmap(PROT_NONE, MAP_NORESERVE) reserves, mprotect commits and protects,
 * madvise(MADV_DONTNEED) + mprotect(PROT_NONE) decommits, munmap releases, mlock/munlock lock,
 * madvise(MADV_FREE) is MEM_RESET, and Read/Write touch the memory for real.
 *
 * Linux keeps no reserved/committed distinction, so the child keeps Windows' bookkeeping per page
 * (state, protection, lock, guard) and answers the parameter checks from it. Everything that
 * reaches memory is real: an access to a PROT_NONE or read-only page raises SIGSEGV and kills
 * this process, which is the point (the service reports it). Guard pages do not exist on Linux:
 * they are PROT_NONE pages whose first touch the child turns into STATUS_GUARD_PAGE_VIOLATION
 * itself, and that is said in the call line.
 */
import { koffi } from '../../ffi/koffi';
import { formatAddress } from '../../../shared/address';
import type { PageCell, SandboxAllocation } from '../../../shared/sandboxSession';
import { MAX_GRID_PAGES } from '../../../shared/sandboxSession';
import type { ScriptOpName, ScriptStepOf } from '../../../shared/sandboxScript';
import {
  MEM_FLAGS as M,
  PAGE_FLAGS as P,
  PAGE_MODIFIERS,
  protectName,
  winError,
  type AccessKind,
} from '../../../shared/winConstants';
import type { LiveCaps } from './protocol';
import { withAllocationCaching } from '../../sim/protection';
import { LiveMemoryBase } from './liveMemory';
import {
  ERROR_NOT_SUPPORTED,
  exceptionOutcome,
  fail,
  ok,
  type Outcome,
  refused,
} from './liveOutcome';

const PAGE = 4096;
const PROT_READ = 1;
const PROT_WRITE = 2;
const PROT_EXEC = 4;
const MAP_PRIVATE = 0x02;
const MAP_ANONYMOUS = 0x20;
const MAP_NORESERVE = 0x4000;
const MAP_FIXED_NOREPLACE = 0x100000;
const MADV_DONTNEED = 4;
const MADV_FREE = 8;
const MADV_PAGEOUT = 21;
/** mmap's failure, (void *)-1; koffi hands uintptr_t values above 2^53 back as BigInt. */
const MAP_FAILED = -1;
/** Below this nothing can be mapped (vm.mmap_min_addr), so a real access there always faults. */
const LOW_LIMIT = 0x10000;
/** Windows' allocation granularity: reservations start on it here too, so bases round as on Windows. */
const GRANULE = 0x10000;
/** The user range as 64-bit Windows has it: VirtualAlloc, VirtualFree, VirtualProtect and VirtualQuery fail with 87 outside it. */
const USER_MIN = 0x10000n;
const USER_MAX = 0x7ffffffeffffn;
const aboveUserRange = (address: bigint): boolean => address > USER_MAX;

/** Windows base protection → Linux PROT_* (x86 cannot express execute-only: PAGE_EXECUTE reads too). */
const LINUX_PROT: Readonly<Record<number, number>> = {
  [P.PAGE_NOACCESS]: 0,
  [P.PAGE_READONLY]: PROT_READ,
  [P.PAGE_READWRITE]: PROT_READ | PROT_WRITE,
  [P.PAGE_EXECUTE]: PROT_READ | PROT_EXEC,
  [P.PAGE_EXECUTE_READ]: PROT_READ | PROT_EXEC,
  [P.PAGE_EXECUTE_READWRITE]: PROT_READ | PROT_WRITE | PROT_EXEC,
};

const STATE_RESERVED = 0;
const STATE_COMMITTED = 1;

interface Reservation {
  base: number;
  pages: number;
  /** VirtualAlloc's protection when the reservation was made: AllocationProtect. */
  allocationProtect: number;
  state: Uint8Array;
  /** The Windows protection of each committed page (0 while reserved). */
  protect: Uint16Array;
  locked: Uint8Array;
  touched: Uint8Array;
}

type LibcFunction = ReturnType<ReturnType<ReturnType<typeof koffi>['load']>['func']>;
let mmap!: LibcFunction;
let munmap!: LibcFunction;
let mprotect!: LibcFunction;
let madvise!: LibcFunction;
let mlock!: LibcFunction;
let munlock!: LibcFunction;
let mincore!: LibcFunction;
let memset!: LibcFunction;
let memcpy!: LibcFunction;
let strerror!: LibcFunction;
let codeProto!: ReturnType<ReturnType<typeof koffi>['proto']>;
let libcBound = false;

/**
 * Binds libc on first use, not at import: the CLI bundle imports this module for its `sandbox child`
 * command, and on Windows (or anywhere without libc.so.6) a load at import would kill every command.
 */
function bindLibc(): void {
  if (libcBound) return;
  const libc = koffi().load('libc.so.6');
  mmap = libc.func(
    'uintptr_t mmap(uintptr_t addr, size_t len, int prot, int flags, int fd, long off)',
  );
  munmap = libc.func('int munmap(uintptr_t addr, size_t len)');
  mprotect = libc.func('int mprotect(uintptr_t addr, size_t len, int prot)');
  madvise = libc.func('int madvise(uintptr_t addr, size_t len, int advice)');
  mlock = libc.func('int mlock(uintptr_t addr, size_t len)');
  munlock = libc.func('int munlock(uintptr_t addr, size_t len)');
  mincore = libc.func('int mincore(uintptr_t addr, size_t len, void *vec)');
  memset = libc.func('uintptr_t memset(uintptr_t s, int c, size_t n)');
  memcpy = libc.func('uintptr_t memcpy(void *dst, uintptr_t src, size_t n)');
  strerror = libc.func('const char *strerror(int errnum)');
  codeProto = koffi().proto('void vmscope_sandbox_code(void)');
  libcBound = true;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function protName(prot: number): string {
  if (prot === 0) return 'PROT_NONE';
  return [
    prot & PROT_READ && 'PROT_READ',
    prot & PROT_WRITE && 'PROT_WRITE',
    prot & PROT_EXEC && 'PROT_EXEC',
  ]
    .filter(Boolean)
    .join('|');
}

/** A valid private-memory protection (the simulator's rules, simplified): one base access, at most one modifier. */
function validProtect(protect: number): boolean {
  const base = protect & ~PAGE_MODIFIERS;
  const mods = protect & PAGE_MODIFIERS;
  if (!(base in LINUX_PROT)) return false;
  if (mods !== 0 && (base === P.PAGE_NOACCESS || (mods & (mods - 1)) !== 0)) return false;
  return true;
}

const realProt = (protect: number): number =>
  (protect & P.PAGE_GUARD) !== 0 ? 0 : LINUX_PROT[protect & ~PAGE_MODIFIERS]!;

export class LinuxLiveMemory extends LiveMemoryBase {
  private readonly reservations: Reservation[] = [];
  private committedPages = 0;
  private touchedPages = 0;
  private reservedPages = 0;

  /** `announce` records each real access just before it is made (see TOUCH_LINE). */
  constructor(
    private readonly caps: LiveCaps,
    private readonly announce: (address: number, access: AccessKind) => void,
  ) {
    super();
    bindLibc();
  }

  emptyWorkingSet(): Outcome {
    for (const r of this.reservations)
      this.sys(
        `madvise(${hex(r.base)}, ${r.pages * PAGE}, MADV_PAGEOUT)`,
        madvise(r.base, r.pages * PAGE, MADV_PAGEOUT),
      );
    return ok(true);
  }

  /** The service fills in the counters from /proc/PID/status (it reads them for the chart anyway). */
  memoryInfo(): Outcome {
    return ok(true);
  }

  systemInfo(): Outcome {
    return ok(null, {
      dwPageSize: PAGE,
      dwAllocationGranularity: PAGE,
      note: 'Linux maps at page granularity, not 64 KiB',
    });
  }

  unsupported(op: ScriptOpName, why?: 'process'): Outcome {
    const reason =
      why === 'process'
        ? '"process" names a simulated process, which the live engine does not have'
        : `${op} has no live Linux implementation`;
    return fail(ERROR_NOT_SUPPORTED, false, { note: `${reason}; no call was made` });
  }

  /** Make a real call and record it as `name(args) = result`; returns the raw result. */
  private sys<T extends number>(text: string, result: T, failed = result === -1): T {
    const errno = failed ? koffi().errno() : 0;
    this.calls.push(
      `${text} = ${failed ? `-1 (${strerror(errno) as string})` : /^(mmap|memset|memcpy)\(/.test(text) ? hex(result) : result}`,
    );
    return result;
  }

  /** mmap as a number, MAP_FAILED (-1) on failure, recorded like every call. */
  private mmap(text: string, address: number, length: number, prot: number, flags: number): number {
    const raw = mmap(address, length, prot, flags, -1, 0) as number | bigint;
    return this.sys(
      text,
      typeof raw === 'bigint' ? (raw >= 1n << 63n ? MAP_FAILED : Number(raw)) : raw,
    );
  }

  /**
   * A fresh reservation at a 64 KiB boundary, as Windows places them: map a granule more than
   * needed and unmap the slack on both sides. Null when there is no room.
   */
  private reserveAligned(bytes: number): number | null {
    const span = bytes + GRANULE - PAGE;
    const flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    const got = this.mmap(
      `mmap(NULL, ${span}, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)`,
      0,
      span,
      0,
      flags,
    );
    if (got === MAP_FAILED) return null;
    const base = Math.ceil(got / GRANULE) * GRANULE;
    if (base > got) this.sys(`munmap(${hex(got)}, ${base - got})`, munmap(got, base - got));
    const tail = got + span - (base + bytes);
    if (tail > 0) this.sys(`munmap(${hex(base + bytes)}, ${tail})`, munmap(base + bytes, tail));
    return base;
  }

  private find(address: number): Reservation | undefined {
    return this.reservations.find((r) => address >= r.base && address < r.base + r.pages * PAGE);
  }

  /** The reservation holding all of [address, address+size) as page indexes, or null. */
  private span(address: number, size: number): { r: Reservation; from: number; to: number } | null {
    const r = this.find(address);
    if (!r || size <= 0) return null;
    const from = Math.floor((address - r.base) / PAGE);
    const to = Math.ceil((address + size - r.base) / PAGE);
    return to <= r.pages ? { r, from, to } : null;
  }

  private commit(r: Reservation, from: number, to: number, protect: number): Outcome | null {
    let added = 0;
    for (let p = from; p < to; p++) if (r.state[p] !== STATE_COMMITTED) added++;
    const after = (this.committedPages + added) * PAGE;
    if (after > this.caps.commitBytes)
      return refused('commit', after, this.caps.commitBytes, winError('ERROR_COMMITMENT_LIMIT'));
    const address = r.base + from * PAGE;
    // PAGE_NOCACHE / PAGE_WRITECOMBINE belong to the allocation, not the page (Wine test_VirtualAlloc).
    protect = withAllocationCaching(protect, r.allocationProtect);
    const prot = realProt(protect);
    if (
      this.sys(
        `mprotect(${hex(address)}, ${(to - from) * PAGE}, ${protName(prot)})`,
        mprotect(address, (to - from) * PAGE, prot),
      ) !== 0
    ) {
      return fail(winError('ERROR_NOT_ENOUGH_MEMORY'), null);
    }
    for (let p = from; p < to; p++) {
      r.state[p] = STATE_COMMITTED;
      r.protect[p] = protect;
    }
    this.committedPages += added;
    return null;
  }

  virtualAlloc(s: ScriptStepOf<'VirtualAlloc'>): Outcome {
    const size = Number(s.size);
    const requested = this.resolve(s.address);
    const address = Number(requested);
    const known = M.MEM_RESERVE | M.MEM_COMMIT | M.MEM_TOP_DOWN;
    if (size === 0 || !validProtect(s.protect))
      return fail(winError('ERROR_INVALID_PARAMETER'), null);
    // A non-NULL address below 64 KiB or past the user range: STATUS_INVALID_PARAMETER_2 (87), as on
    // Windows; 0xF000 does not round down to NULL.
    if (
      requested !== 0n &&
      (requested < USER_MIN || aboveUserRange(requested) || requested + s.size - 1n > USER_MAX)
    )
      return fail(winError('ERROR_INVALID_PARAMETER'), null);
    if (s.type === M.MEM_RESET) {
      const span = this.span(address, size);
      if (!span) return fail(winError('ERROR_INVALID_ADDRESS'), null);
      const at = span.r.base + span.from * PAGE;
      this.sys(
        `madvise(${hex(at)}, ${(span.to - span.from) * PAGE}, MADV_FREE)`,
        madvise(at, (span.to - span.from) * PAGE, MADV_FREE),
      );
      return ok(formatAddress(BigInt(at)), null);
    }
    // Write watches are refused as a Windows without them refuses them (Wine test_write_watch skips
    // on ERROR_NOT_SUPPORTED): soft-dirty bits would also see the child's own writes to the page.
    if ((s.type & M.MEM_WRITE_WATCH) !== 0 && (s.type & M.MEM_RESERVE) !== 0) {
      return fail(ERROR_NOT_SUPPORTED, null, {
        note: 'MEM_WRITE_WATCH has no live Linux implementation; no call was made',
      });
    }
    if ((s.type & ~known) !== 0 || (s.type & (M.MEM_RESERVE | M.MEM_COMMIT)) === 0)
      return fail(winError('ERROR_INVALID_PARAMETER'), null);
    if ((s.type & M.MEM_RESERVE) !== 0 || address === 0) {
      const base = address === 0 ? 0 : address - (address % GRANULE);
      const pages = Math.ceil((address + size - base) / PAGE);
      const after = (this.reservedPages + pages) * PAGE;
      if (after > this.caps.reserveBytes)
        return refused(
          'reserved address space',
          after,
          this.caps.reserveBytes,
          winError('ERROR_NOT_ENOUGH_MEMORY'),
        );
      // The tail of a granule another reservation of the sandbox starts in is taken, as on Windows
      // (every reservation here starts on a granule, so a base rounded down to one lands on it).
      if (base && this.find(base)) return fail(winError('ERROR_INVALID_ADDRESS'), null);
      const flagText = 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_FIXED_NOREPLACE';
      const got = base
        ? this.mmap(
            `mmap(${hex(base)}, ${pages * PAGE}, PROT_NONE, ${flagText}, -1, 0)`,
            base,
            pages * PAGE,
            0,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
          )
        : (this.reserveAligned(pages * PAGE) ?? MAP_FAILED);
      if (got === MAP_FAILED)
        return fail(winError(base ? 'ERROR_INVALID_ADDRESS' : 'ERROR_NOT_ENOUGH_MEMORY'), null);
      if (base && got !== base) {
        // A kernel without MAP_FIXED_NOREPLACE (before 4.17) takes the address as a hint: the range was taken.
        this.sys(`munmap(${hex(got)}, ${pages * PAGE})`, munmap(got, pages * PAGE));
        return fail(winError('ERROR_INVALID_ADDRESS'), null);
      }
      const r: Reservation = {
        base: got,
        pages,
        allocationProtect: s.protect,
        state: new Uint8Array(pages),
        protect: new Uint16Array(pages),
        locked: new Uint8Array(pages),
        touched: new Uint8Array(pages),
      };
      this.reservations.push(r);
      this.reservations.sort((a, b) => a.base - b.base);
      this.reservedPages += pages;
      if ((s.type & M.MEM_COMMIT) !== 0) {
        const failed = this.commit(r, 0, pages, s.protect);
        if (failed) {
          this.release(r);
          return { ...failed, returned: null };
        }
      }
      return { ...ok(formatAddress(BigInt(got))), address: BigInt(got) };
    }
    const span = this.span(address, size);
    if (!span) return fail(winError('ERROR_INVALID_ADDRESS'), null);
    const failed = this.commit(span.r, span.from, span.to, s.protect);
    const at = span.r.base + span.from * PAGE;
    return failed
      ? { ...failed, returned: null }
      : { ...ok(formatAddress(BigInt(at))), address: BigInt(at) };
  }

  private release(r: Reservation): void {
    this.sys(`munmap(${hex(r.base)}, ${r.pages * PAGE})`, munmap(r.base, r.pages * PAGE));
    this.forget(r, 0, r.pages);
    this.reservations.splice(this.reservations.indexOf(r), 1);
    this.reservedPages -= r.pages;
  }

  /** The counters of pages leaving the committed state. */
  private forget(r: Reservation, from: number, to: number): void {
    for (let p = from; p < to; p++) {
      if (r.state[p] === STATE_COMMITTED) this.committedPages--;
      if (r.touched[p]) this.touchedPages--;
      r.state[p] = STATE_RESERVED;
      r.protect[p] = 0;
      r.touched[p] = 0;
      r.locked[p] = 0;
    }
  }

  virtualFree(s: ScriptStepOf<'VirtualFree'>): Outcome {
    const requested = this.resolve(s.address);
    const address = Number(requested);
    const size = Number(s.size);
    if (s.type !== M.MEM_DECOMMIT && s.type !== M.MEM_RELEASE)
      return fail(winError('ERROR_INVALID_PARAMETER'));
    if (s.type === M.MEM_RELEASE && size !== 0) return fail(winError('ERROR_INVALID_PARAMETER'));
    if (aboveUserRange(requested)) return fail(winError('ERROR_INVALID_PARAMETER'));
    const r = this.find(address);
    if (!r) return fail(winError('ERROR_INVALID_ADDRESS'));
    if (size === 0 && address - r.base >= PAGE) return fail(winError('ERROR_INVALID_ADDRESS'));
    if (s.type === M.MEM_RELEASE) {
      this.release(r);
      return ok(true);
    }
    // A decommit running past the reservation: STATUS_UNABLE_TO_FREE_VM, 87 (ReactOS NtFreeVirtualMemory apitest).
    const span = size === 0 ? { r, from: 0, to: r.pages } : this.span(address, size);
    if (!span) return fail(winError('ERROR_INVALID_PARAMETER'));
    const at = r.base + span.from * PAGE;
    const bytes = (span.to - span.from) * PAGE;
    this.sys(`madvise(${hex(at)}, ${bytes}, MADV_DONTNEED)`, madvise(at, bytes, MADV_DONTNEED));
    this.sys(`mprotect(${hex(at)}, ${bytes}, PROT_NONE)`, mprotect(at, bytes, 0));
    this.forget(r, span.from, span.to);
    return ok(true);
  }

  private committedSpan(
    address: number,
    size: number,
  ): { r: Reservation; from: number; to: number } | null {
    const span = this.span(address, size);
    if (!span) return null;
    for (let p = span.from; p < span.to; p++) if (span.r.state[p] !== STATE_COMMITTED) return null;
    return span;
  }

  virtualProtect(s: ScriptStepOf<'VirtualProtect'>): Outcome {
    if (!validProtect(s.protect) || Number(s.size) === 0 || aboveUserRange(this.resolve(s.address)))
      return fail(winError('ERROR_INVALID_PARAMETER'));
    if (s.oldProtect === null) return fail(winError('ERROR_NOACCESS'));
    const span = this.committedSpan(Number(this.resolve(s.address)), Number(s.size));
    if (!span) return fail(winError('ERROR_INVALID_ADDRESS'));
    const { r, from, to } = span;
    const old = r.protect[from]!;
    const at = r.base + from * PAGE;
    const protect = withAllocationCaching(s.protect, r.allocationProtect);
    const prot = realProt(protect);
    this.sys(
      `mprotect(${hex(at)}, ${(to - from) * PAGE}, ${protName(prot)})`,
      mprotect(at, (to - from) * PAGE, prot),
    );
    r.protect.fill(protect, from, to);
    // A BOOL; the old protection goes to the out-parameter lpflOldProtect.
    return ok(true, { oldProtect: protectName(old) });
  }

  virtualQuery(at: bigint): Outcome {
    // Past the user range VirtualQuery fails with 87 and writes nothing.
    if (aboveUserRange(at)) return fail(winError('ERROR_INVALID_PARAMETER'), 0);
    const address = Number(at);
    const r = this.find(address);
    if (!r) {
      const page = address - (address % PAGE);
      const next = this.reservations.find((n) => n.base > page);
      return ok(48, {
        BaseAddress: hex(page),
        AllocationBase: '0x0',
        AllocationProtect: null,
        RegionSize: next ? next.base - page : PAGE,
        State: 'MEM_FREE',
        Protect: 'PAGE_NOACCESS',
        Type: null,
      });
    }
    const first = Math.floor((address - r.base) / PAGE);
    let end = first + 1;
    while (end < r.pages && r.state[end] === r.state[first] && r.protect[end] === r.protect[first])
      end++;
    return ok(48, {
      BaseAddress: hex(r.base + first * PAGE),
      AllocationBase: hex(r.base),
      AllocationProtect: protectName(r.allocationProtect),
      RegionSize: (end - first) * PAGE,
      State: r.state[first] === STATE_COMMITTED ? 'MEM_COMMIT' : 'MEM_RESERVE',
      Protect: protectName(r.protect[first]!),
      Type: 'MEM_PRIVATE',
    });
  }

  lock(op: 'VirtualLock' | 'VirtualUnlock', start: bigint, length: bigint): Outcome {
    const [locking, address, size] = [op === 'VirtualLock', Number(start), Number(length)];
    const span = this.committedSpan(address, size);
    if (!span) return fail(winError('ERROR_INVALID_ADDRESS'));
    const { r, from, to } = span;
    if (!locking && r.locked.subarray(from, to).includes(0))
      return fail(winError('ERROR_NOT_LOCKED'));
    if (locking) {
      // Locking faults the pages in: a guard page among them fires (it is emulated here) and the call
      // fails with STATUS_GUARD_PAGE_VIOLATION as its last error; the next call succeeds (Wine test_guard_page).
      const guard = r.protect.subarray(from, to).findIndex((p) => (p & P.PAGE_GUARD) !== 0);
      if (guard >= 0) {
        const page = from + guard;
        const protect = r.protect[page]! & ~P.PAGE_GUARD;
        this.calls.push('(guard page: emulated, Linux has none)');
        this.sys(
          `mprotect(${hex(r.base + page * PAGE)}, ${PAGE}, ${protName(realProt(protect))})`,
          mprotect(r.base + page * PAGE, PAGE, realProt(protect)),
        );
        r.protect[page] = protect;
        return fail(winError('STATUS_GUARD_PAGE_VIOLATION'));
      }
    }
    const at = r.base + from * PAGE;
    const bytes = (to - from) * PAGE;
    const result = locking
      ? this.sys(`mlock(${hex(at)}, ${bytes})`, mlock(at, bytes))
      : this.sys(`munlock(${hex(at)}, ${bytes})`, munlock(at, bytes));
    // mlock fails with ENOMEM/EPERM over RLIMIT_MEMLOCK: Windows' answer to an exceeded lock quota.
    if (result !== 0)
      return fail(locking ? winError('ERROR_WORKING_SET_QUOTA') : winError('ERROR_NOT_LOCKED'));
    r.locked.fill(locking ? 1 : 0, from, to);
    return ok(true);
  }

  /**
   * Touch each page of the access for real, announcing it first: if the touch kills
   * the process, the service knows which address and access it was.
   */
  access(kind: AccessKind, from: bigint, bytes: bigint): Outcome {
    const [address, size] = [Number(from), Number(bytes)];
    let at = address;
    const end = address + size;
    while (at < end) {
      const pageEnd = Math.min(end, at - (at % PAGE) + PAGE);
      const r = this.find(at);
      if (!r && at >= LOW_LIMIT) {
        // The child's own memory (Node's heap, code) is off limits: no real access outside the sandbox.
        this.calls.push(`(no access made: ${hex(at)} is outside the sandbox's allocations)`);
        return exceptionOutcome('EXCEPTION_ACCESS_VIOLATION', BigInt(at), kind);
      }
      const page = r ? Math.floor((at - r.base) / PAGE) : -1;
      if (r && (r.protect[page]! & P.PAGE_GUARD) !== 0) {
        const protect = r.protect[page]! & ~P.PAGE_GUARD;
        const pageAt = r.base + page * PAGE;
        this.calls.push('(guard page: emulated, Linux has none)');
        this.sys(
          `mprotect(${hex(pageAt)}, ${PAGE}, ${protName(realProt(protect))})`,
          mprotect(pageAt, PAGE, realProt(protect)),
        );
        r.protect[page] = protect;
        return exceptionOutcome('STATUS_GUARD_PAGE_VIOLATION', BigInt(at), kind);
      }
      if (r && r.state[page] === STATE_COMMITTED && !r.touched[page]) {
        if ((this.touchedPages + 1) * PAGE > this.caps.touchedBytes) {
          return refused(
            'touched memory',
            (this.touchedPages + 1) * PAGE,
            this.caps.touchedBytes,
            winError('ERROR_WORKING_SET_QUOTA'),
          );
        }
      }
      if (
        kind === 'execute' &&
        r &&
        r.state[page] === STATE_COMMITTED &&
        (realProt(r.protect[page]!) & PROT_EXEC) !== 0
      ) {
        this.calls.push(
          `(${hex(at)} is executable: not run, the live engine never runs the page's bytes)`,
        );
        return ok(null);
      }
      this.announce(at, kind);
      if (kind === 'write')
        this.sys(
          `memset(${hex(at)}, 0xab, ${pageEnd - at})`,
          memset(at, 0xab, pageEnd - at),
          false,
        );
      else if (kind === 'read')
        this.sys(
          `memcpy(buffer, ${hex(at)}, ${pageEnd - at})`,
          memcpy(Buffer.alloc(pageEnd - at), at, pageEnd - at),
          false,
        );
      else koffi().call(at, codeProto);
      if (r && !r.touched[page]) {
        r.touched[page] = 1;
        this.touchedPages++;
      }
      at = pageEnd;
    }
    return ok(null);
  }

  /** The service reads the counters from /proc/PID/status. */
  counters(): null {
    return null;
  }

  /** Guard pages are emulated here (Linux has none), so a guard never kills this child. */
  clearGuard(): string[] {
    return [];
  }

  /** Every reservation page by page; residency from mincore (no pagemap needed). */
  allocations(): SandboxAllocation[] {
    return this.reservations.map((r) => {
      const shown = Math.min(r.pages, MAX_GRID_PAGES);
      const resident = Buffer.alloc(shown);
      mincore(r.base, shown * PAGE, resident);
      const pages: PageCell[] = [];
      for (let p = 0; p < shown; p++) {
        const protect = r.protect[p]!;
        pages.push({
          state: r.state[p] === STATE_COMMITTED ? 'committed' : 'reserved',
          protect: protectName(protect),
          inWorkingSet: (resident[p]! & 1) === 1,
          locked: r.locked[p] === 1,
          guard: (protect & P.PAGE_GUARD) !== 0,
          dirty: null,
        });
      }
      return {
        base: hex(r.base),
        size: r.pages * PAGE,
        type: 'private',
        pages,
        truncated: shown < r.pages,
      };
    });
  }
}
