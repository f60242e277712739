/**
 * The live engine's operations on Windows: the child makes the real calls themselves through
 * koffi (VirtualAlloc, VirtualFree, VirtualProtect, VirtualQuery, VirtualLock/Unlock,
 * SetProcessWorkingSetSize, K32EmptyWorkingSet, GetProcessMemoryInfo, GetSystemInfo) and reads,
 * writes and executes the memory for real. Every result and every error is the real one:
 * GetLastError after each failed call. A real access violation or guard-page fault kills this
 * process; the service reports it and replays the earlier steps in a fresh child.
 *
 * What the child refuses to do: touch, free, protect or lock memory the sandbox did not allocate
 * (its own Node heap, code and stacks). Such a step makes no call and says so; free memory and
 * the sandbox's own allocations get the real call.
 */
import { koffi } from '../../ffi/koffi';
import { formatAddress } from '../../../shared/address';
import type { PageCell, SandboxAllocation } from '../../../shared/sandboxSession';
import { MAX_GRID_PAGES } from '../../../shared/sandboxSession';
import type { ScriptOpName, ScriptStep, ScriptStepOf } from '../../../shared/sandboxScript';
import {
  FILE_MAP_FLAGS,
  MEM_FLAGS as M,
  PAGE_FLAGS as P,
  WRITE_WATCH_FAILED,
  protectName,
  winError,
  type AccessKind,
} from '../../../shared/winConstants';
import type { Counters } from '../../../shared/model';
import { type Handle, isInvalidHandle, win32, type Win32 } from '../../sources/windows/bindings';
import { readCounters } from '../../sources/windows/counters';
import { SystemProcessTable } from '../../sources/windows/systemProcesses';
import {
  decodeMemoryBasicInformation,
  decodePerformanceInfo,
  decodeSystemInfo,
  MEMORY_BASIC_INFORMATION_SIZE,
  PERFORMANCE_INFORMATION_SIZE,
  SYSTEM_INFO_SIZE,
  sizedBuffer,
} from '../../sources/windows/win32Structs';
import {
  addPage,
  emptyWorkingSet,
  fillWorkingSetQuery,
  workingSetBits,
  workingSetExJson,
  pageAttributes,
  WORKING_SET_EX_ENTRY_SIZE,
} from '../../win32/workingSetBits';
import type { MemoryBasicInfo } from '../../win32/memoryBasicInfo';
import { mbiJson } from '../../win32/mbiJson';
import { LiveMemoryBase } from './liveMemory';
import type { FileMappingOp, HeapOp } from './liveOps';
import {
  ERROR_NOT_SUPPORTED,
  errorByCode,
  exceptionOutcome,
  fail,
  ok,
  type Outcome,
  refused,
} from './liveOutcome';
import { SandboxHeaps } from './windowsHeaps';
import type { LiveCaps } from './protocol';

const PAGE = 0x1000n;
const ADDRESS_SPACE = 1n << 64n;
/** SetErrorMode: no dialog box and no Windows Error Reporting when a fault ends the child. */
const SEM_FAILCRITICALERRORS = 0x1;
const SEM_NOGPFAULTERRORBOX = 0x2;
const EXECUTABLE =
  P.PAGE_EXECUTE | P.PAGE_EXECUTE_READ | P.PAGE_EXECUTE_READWRITE | P.PAGE_EXECUTE_WRITECOPY;
const READABLE_EXECUTABLE =
  P.PAGE_EXECUTE_READ | P.PAGE_EXECUTE_READWRITE | P.PAGE_EXECUTE_WRITECOPY;
/** Reads go through a bounded buffer: a 6 MiB read is six 1 MiB copies. */
const READ_CHUNK = 1n << 20n;

const hex = (n: bigint): string => formatAddress(n);
const pageOf = (address: bigint): bigint => address - (address % PAGE);
const pageEnd = (address: bigint): bigint => pageOf(address + PAGE - 1n);

/** MEM_* bits as `MEM_RESERVE|MEM_COMMIT` for the call lines. */
function memFlags(value: number): string {
  const names = Object.entries(M).filter(
    ([name, bit]) => name !== 'MEM_IMAGE' && (value & bit) !== 0,
  );
  const rest = names.reduce((bits, [, bit]) => bits & ~bit, value);
  const parts = names.map(([name]) => name);
  if (rest !== 0 || parts.length === 0) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.join('|');
}

const protectText = (value: number): string => protectName(value) ?? '0';
const fileMapText = (access: number): string =>
  access === FILE_MAP_FLAGS.FILE_MAP_ALL_ACCESS
    ? 'FILE_MAP_ALL_ACCESS'
    : Object.entries(FILE_MAP_FLAGS)
        .filter(([name, bit]) => name !== 'FILE_MAP_ALL_ACCESS' && (access & bit) !== 0)
        .map(([name]) => name)
        .join('|') || '0';
/** CreateFileMapping's file for a pagefile-backed section. */
const INVALID_HANDLE_VALUE = (1n << 64n) - 1n;
type Proto = ReturnType<ReturnType<typeof koffi>['proto']>;
let codeProto: Proto | null = null;
/** The signature Execute calls a page with, declared once per process (koffi refuses a second). */
const executeProto = (): Proto =>
  (codeProto ??= koffi().proto('void vmscope_sandbox_windows_code(void)'));

type WriteWatchCall = ReturnType<ReturnType<ReturnType<typeof koffi>['load']>['func']>;
let writeWatchCalls: { get: WriteWatchCall; reset: WriteWatchCall } | null = null;
/** GetWriteWatch and ResetWriteWatch, bound on first use (only the sandbox makes them). */
function writeWatchApi(): { get: WriteWatchCall; reset: WriteWatchCall } {
  if (writeWatchCalls) return writeWatchCalls;
  const kernel32 = koffi().load('kernel32.dll');
  writeWatchCalls = {
    get: kernel32.func(
      'uint32_t GetWriteWatch(uint32_t flags, uintptr_t base, uintptr_t size, void *addresses, void *count, void *granularity)',
    ),
    reset: kernel32.func('uint32_t ResetWriteWatch(uintptr_t base, uintptr_t size)'),
  };
  return writeWatchCalls;
}

export class WindowsLiveMemory extends LiveMemoryBase {
  private readonly api: Win32 = win32();
  private readonly self: Handle;
  /** The allocations the sandbox made (their AllocationBase), with their reserved size. */
  private readonly reservations = new Map<bigint, bigint>();
  /** The heaps the sandbox created; Read and Write may touch their segments. */
  private readonly heaps: SandboxHeaps;
  /** Section handles the sandbox holds (CreateFileMapping, OpenFileMapping): the only ones it maps or closes. */
  private readonly sections = new Set<bigint>();
  /** Committed pages the sandbox has touched: the touched-bytes cap. */
  private readonly touched = new Set<bigint>();
  /** Soft and hard fault counts for GetProcessMemoryInfo's step info. */
  private readonly processTable = new SystemProcessTable(this.api);

  /** `announce` records each real access just before it is made (see TOUCH_LINE). */
  constructor(
    private readonly caps: LiveCaps,
    private readonly announce: (address: bigint, access: AccessKind) => void,
  ) {
    super();
    this.self = this.api.GetCurrentProcess();
    this.heaps = new SandboxHeaps({
      api: this.api,
      record: (line) => void this.calls.push(line),
      boolCall: (text, call, returned) => this.boolCall(text, call, returned),
      lastError: (text, result) => this.lastError(text, result),
      allocationOf: (address) => this.query(address, false)?.allocationBase ?? null,
    });
    this.api.SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
  }

  override setWorkingSetSize(step: ScriptStepOf<'SetProcessWorkingSetSize'>): Outcome {
    const bound = (n: number): bigint => (n === -1 ? ADDRESS_SPACE - 1n : BigInt(n));
    const text = (n: number): string => (n === -1 ? '(SIZE_T)-1' : String(n));
    return this.boolCall(
      `SetProcessWorkingSetSize(GetCurrentProcess(), ${text(step.minimum)}, ${text(step.maximum)})`,
      () => this.api.SetProcessWorkingSetSize(this.self, bound(step.minimum), bound(step.maximum)),
    );
  }

  emptyWorkingSet(): Outcome {
    return this.boolCall('K32EmptyWorkingSet(GetCurrentProcess())', () =>
      this.api.K32EmptyWorkingSet(this.self),
    );
  }

  memoryInfo(): Outcome {
    const counters = this.counters();
    this.calls.push(
      'GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(PROCESS_MEMORY_COUNTERS_EX2)) = TRUE',
    );
    return ok(true, { ...counters });
  }

  unsupported(op: ScriptOpName, why?: 'process'): Outcome {
    const reason =
      why === 'process'
        ? `${op} names a simulated process ("process"), which the live engine does not have`
        : `${op} is not in the live Windows engine`;
    return fail(ERROR_NOT_SUPPORTED, false, { note: `${reason}; no call was made` });
  }

  /**
   * The real GetWriteWatch / ResetWriteWatch. They only read and clear the write-watch bits of
   * MEM_WRITE_WATCH allocations (anything else fails with 87), so any range gets the real call.
   */
  override writeWatch(step: ScriptStepOf<'GetWriteWatch' | 'ResetWriteWatch'>): Outcome {
    const address = this.resolve(step.address);
    const failed = (text: string): Outcome =>
      fail(this.lastError(text, '(UINT)-1'), WRITE_WATCH_FAILED);
    if (step.op === 'ResetWriteWatch') {
      const text = `ResetWriteWatch(${hex(address)}, ${step.size})`;
      if (writeWatchApi().reset(address, step.size) !== 0) return failed(text);
      this.calls.push(`${text} = 0`);
      return ok(0);
    }
    const addresses = new BigUint64Array(Math.max(step.count, 1));
    const count = new BigUint64Array([BigInt(step.count)]);
    const granularity = new Uint32Array(1);
    const text = `GetWriteWatch(${step.flags ? 'WRITE_WATCH_FLAG_RESET' : '0'}${step.flags & ~1 ? `|0x${(step.flags & ~1).toString(16)}` : ''}, ${hex(address)}, ${step.size}, addresses, &count = ${step.count}, &granularity)`;
    if (writeWatchApi().get(step.flags, address, step.size, addresses, count, granularity) !== 0)
      return failed(text);
    const found = [...addresses.subarray(0, Number(count[0]))].map(hex);
    this.calls.push(`${text} = 0; count = ${found.length}`);
    return ok(0, { count: found.length, addresses: found, granularity: granularity[0]! });
  }

  override fileMapping(step: ScriptStepOf<FileMappingOp>): Outcome {
    switch (step.op) {
      case 'CreateFileMapping':
        return this.createFileMapping(step);
      case 'OpenFileMapping': {
        const text = `OpenFileMappingW(${fileMapText(step.access)}, FALSE, "${step.name}")`;
        return this.section(text, this.api.OpenFileMappingW(step.access, 0, step.name), false);
      }
      case 'MapViewOfFile':
        return this.mapView(step);
      case 'UnmapViewOfFile':
        return this.unmapView(this.resolve(step.address));
      case 'FlushViewOfFile': {
        const address = this.resolve(step.address);
        const theirs = this.foreign(address, step.size);
        if (theirs) return this.refuseForeign(theirs);
        return this.boolCall(`FlushViewOfFile(${hex(address)}, ${step.size})`, () =>
          this.api.FlushViewOfFile(address, step.size),
        );
      }
      case 'CloseHandle': {
        const handle = this.resolve(step.handle);
        if (!this.sections.has(handle)) return this.refuseHandle(handle);
        return this.boolCall(
          `CloseHandle(${hex(handle)})`,
          () => this.api.CloseHandle(handle),
          () => {
            this.sections.delete(handle);
            return ok(true);
          },
        );
      }
    }
  }

  override heap(step: ScriptStepOf<HeapOp>): Outcome {
    return this.heaps.run(step, (expr) => this.resolve(expr));
  }

  /** Only pagefile-backed sections: a script's files are the simulated machine's, not this one's. */
  private createFileMapping(s: ScriptStepOf<'CreateFileMapping'>): Outcome {
    if (s.file !== null) {
      return fail(ERROR_NOT_SUPPORTED, null, {
        note: `"${s.file}" is a file of the simulated machine; the live engine maps only pagefile-backed sections (file: null); no call was made`,
      });
    }
    if (s.size > BigInt(this.caps.commitBytes))
      return {
        ...refused(
          'commit',
          Number(s.size),
          this.caps.commitBytes,
          winError('ERROR_COMMITMENT_LIMIT'),
        ),
        returned: null,
      };
    const [high, low] = [Number(s.size >> 32n), Number(s.size & 0xffffffffn)];
    const text = `CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, ${protectText(s.protect)}, ${high}, ${low}, ${s.name === null ? 'NULL' : `"${s.name}"`})`;
    return this.section(
      text,
      this.api.CreateFileMappingW(INVALID_HANDLE_VALUE, null, s.protect, high, low, s.name),
      true,
    );
  }

  /**
   * A new section handle, or the failure. After CreateFileMapping succeeds, GetLastError says
   * ERROR_ALREADY_EXISTS when the name was taken; OpenFileMapping sets nothing on success.
   */
  private section(text: string, handle: Handle, created: boolean): Outcome {
    if (isInvalidHandle(handle))
      return { ...fail(this.lastError(text, 'NULL'), null), address: 0n };
    const existed = created && this.api.GetLastError() === winError('ERROR_ALREADY_EXISTS').code;
    const value = BigInt(handle!);
    this.sections.add(value);
    this.calls.push(
      `${text} = ${hex(value)}${existed ? '; GetLastError() = 183 (ERROR_ALREADY_EXISTS)' : ''}`,
    );
    return {
      ...ok(hex(value)),
      ...(existed ? { lastError: winError('ERROR_ALREADY_EXISTS') } : {}),
      address: value,
    };
  }

  private refuseHandle(handle: bigint): Outcome {
    this.calls.push(`(no call made: ${hex(handle)} is not a section handle the sandbox holds)`);
    return { ...fail(winError('ERROR_INVALID_HANDLE'), null), address: 0n };
  }

  private mapView(s: ScriptStepOf<'MapViewOfFile'>): Outcome {
    const handle = this.resolve(s.handle);
    if (!this.sections.has(handle)) return this.refuseHandle(handle);
    const base = this.resolve(s.address);
    const theirs = base === 0n ? null : this.foreign(base, s.size);
    if (theirs) return { ...this.refuseForeign(theirs), returned: null, address: 0n };
    const [high, low] = [Number(s.offset >> 32n), Number(s.offset & 0xffffffffn)];
    const text = `MapViewOfFileEx(${hex(handle)}, ${fileMapText(s.access)}, ${high}, ${low}, ${s.size}, ${base === 0n ? 'NULL' : hex(base)})`;
    const got = BigInt(this.api.MapViewOfFileEx(handle, s.access, high, low, s.size, base));
    if (got === 0n) return { ...fail(this.lastError(text, 'NULL'), null), address: 0n };
    this.calls.push(`${text} = ${hex(got)}`);
    this.reservations.set(got, this.allocationSize(got));
    return { ...ok(hex(got)), address: got };
  }

  private unmapView(address: bigint): Outcome {
    const theirs = this.foreign(address, 1n);
    if (theirs) return this.refuseForeign(theirs);
    const base = this.query(address, false)?.allocationBase ?? 0n;
    return this.boolCall(
      `UnmapViewOfFile(${hex(address)})`,
      () => this.api.UnmapViewOfFile(address),
      () => {
        this.forgetTouched(base, base + (this.reservations.get(base) ?? 0n));
        this.reservations.delete(base);
        return ok(true);
      },
    );
  }

  /** Records a BOOL call as `text = TRUE`, or `= FALSE; GetLastError() = N (NAME)`, and returns the outcome. */
  private boolCall(
    text: string,
    call: () => number,
    returned: (value: number) => Outcome = () => ok(true),
  ): Outcome {
    const value = call();
    if (value) {
      this.calls.push(`${text} = TRUE`);
      return returned(value);
    }
    const error = this.lastError(text, 'FALSE');
    return fail(error);
  }

  /** GetLastError right after a failed call, recorded with the call. */
  private lastError(text: string, result: string): ReturnType<typeof errorByCode> {
    const error = errorByCode(this.api.GetLastError());
    this.calls.push(`${text} = ${result}; GetLastError() = ${error.code} (${error.name})`);
    return error;
  }

  /** VirtualQuery for the checks around a call (recorded too: it is a real call); null above the user range. */
  private query(address: bigint, record = true): MemoryBasicInfo | null {
    const buf = Buffer.alloc(MEMORY_BASIC_INFORMATION_SIZE);
    const written = Number(this.api.VirtualQuery(address, buf, buf.length));
    if (written === 0) return null;
    const mbi = decodeMemoryBasicInformation(buf);
    if (record)
      this.calls.push(
        `VirtualQuery(${hex(address)}) = ${mbi.state === M.MEM_FREE ? 'MEM_FREE' : `allocation ${hex(mbi.allocationBase)}`}, ${mbi.regionSize} bytes`,
      );
    return mbi;
  }

  private ours(mbi: MemoryBasicInfo): boolean {
    return (
      mbi.state === M.MEM_FREE ||
      this.reservations.has(mbi.allocationBase) ||
      this.heaps.owns(mbi.allocationBase)
    );
  }

  /**
   * The first region of [address, address+size) that is neither free nor the sandbox's: the
   * child's own memory, which no step may change. Null when the range is safe to pass to the call
   * (including ranges above the user range, where the real call fails by itself).
   */
  private foreign(address: bigint, size: bigint): MemoryBasicInfo | null {
    const end = address + (size > 0n ? size : 1n);
    let at = address;
    while (at < end) {
      const mbi = this.query(at);
      if (!mbi) return null;
      if (!this.ours(mbi)) return mbi;
      at = mbi.baseAddress + mbi.regionSize;
    }
    return null;
  }

  private refuseForeign(mbi: MemoryBasicInfo): Outcome {
    this.calls.push(
      `(no call made: ${hex(mbi.baseAddress)} belongs to the child's own process, allocation ${hex(mbi.allocationBase)}, not to the sandbox)`,
    );
    return fail(winError('ERROR_INVALID_ADDRESS'), false, {
      note: 'the address is in memory the sandbox did not allocate; the live engine never changes it',
    });
  }

  /** Walks the regions of [from, to) that belong to `base`, calling `each` with the part inside. */
  private regions(
    from: bigint,
    to: bigint,
    each: (mbi: MemoryBasicInfo, start: bigint, end: bigint) => void,
  ): void {
    let at = from;
    while (at < to) {
      const mbi = this.query(at, false);
      if (!mbi || mbi.regionSize === 0n) return;
      const end = mbi.baseAddress + mbi.regionSize;
      each(mbi, at, end < to ? end : to);
      at = end;
    }
  }

  private committedBytes(): bigint {
    let total = 0n;
    for (const [base, size] of this.reservations) {
      this.regions(base, base + size, (mbi, start, end) => {
        if (mbi.state === M.MEM_COMMIT && mbi.allocationBase === base) total += end - start;
      });
    }
    return total;
  }

  /** Bytes of [address, address+size) that a commit would add to the commit charge. */
  private uncommitted(address: bigint, size: bigint): bigint {
    let bytes = 0n;
    this.regions(pageOf(address), pageEnd(address + size), (mbi, start, end) => {
      if (mbi.state !== M.MEM_COMMIT) bytes += end - start;
    });
    return bytes;
  }

  private reservedBytes(): bigint {
    let total = 0n;
    for (const size of this.reservations.values()) total += size;
    return total;
  }

  /** The size of the allocation at `base`: its regions up to the first one of another allocation. */
  private allocationSize(base: bigint): bigint {
    let at = base;
    for (;;) {
      const mbi = this.query(at, false);
      if (!mbi || mbi.state === M.MEM_FREE || mbi.allocationBase !== base) return at - base;
      at = mbi.baseAddress + mbi.regionSize;
    }
  }

  private forgetTouched(from: bigint, to: bigint): void {
    for (const page of this.touched) if (page >= from && page < to) this.touched.delete(page);
  }

  virtualAlloc(s: ScriptStepOf<'VirtualAlloc'>): Outcome {
    const address = this.resolve(s.address);
    if (address !== 0n) {
      const theirs = this.foreign(address, s.size);
      if (theirs) return { ...this.refuseForeign(theirs), returned: null };
    }
    const reserving = address === 0n || (s.type & M.MEM_RESERVE) !== 0;
    if (reserving) {
      const after = this.reservedBytes() + pageEnd(s.size);
      if (after > BigInt(this.caps.reserveBytes))
        return refused(
          'reserved address space',
          Number(after),
          this.caps.reserveBytes,
          winError('ERROR_NOT_ENOUGH_MEMORY'),
        );
    }
    if ((s.type & M.MEM_COMMIT) !== 0) {
      const added = reserving ? pageEnd(s.size) : this.uncommitted(address, s.size);
      const after = this.committedBytes() + added;
      if (after > BigInt(this.caps.commitBytes))
        return {
          ...refused(
            'commit',
            Number(after),
            this.caps.commitBytes,
            winError('ERROR_COMMITMENT_LIMIT'),
          ),
          returned: null,
        };
    }
    const text = `VirtualAlloc(${address === 0n ? 'NULL' : hex(address)}, ${s.size}, ${memFlags(s.type)}, ${protectText(s.protect)})`;
    const got = BigInt(this.api.VirtualAlloc(address, s.size, s.type, s.protect));
    if (got === 0n) return { ...fail(this.lastError(text, 'NULL'), null), address: 0n };
    this.calls.push(`${text} = ${hex(got)}`);
    const mbi = this.query(got, false);
    if (mbi && !this.reservations.has(mbi.allocationBase))
      this.reservations.set(mbi.allocationBase, this.allocationSize(mbi.allocationBase));
    return { ...ok(hex(got)), address: got };
  }

  virtualFree(s: ScriptStepOf<'VirtualFree'>): Outcome {
    const address = this.resolve(s.address);
    const theirs = address === 0n ? null : this.foreign(address, s.size);
    if (theirs) return this.refuseForeign(theirs);
    const before = address === 0n ? null : this.query(address, false);
    const text = `VirtualFree(${address === 0n ? 'NULL' : hex(address)}, ${s.size}, ${memFlags(s.type)})`;
    return this.boolCall(
      text,
      () => this.api.VirtualFree(address, s.size, s.type),
      () => {
        const base = before?.allocationBase ?? 0n;
        if ((s.type & M.MEM_RELEASE) !== 0 && this.reservations.has(base)) {
          this.forgetTouched(base, base + this.reservations.get(base)!);
          this.reservations.delete(base);
        } else {
          // A decommit of size 0 decommits the whole allocation from `address`'s region on.
          const end =
            s.size === 0n ? base + (this.reservations.get(base) ?? 0n) : pageEnd(address + s.size);
          this.forgetTouched(pageOf(address), end);
        }
        return ok(true);
      },
    );
  }

  virtualProtect(s: ScriptStepOf<'VirtualProtect'>): Outcome {
    const address = this.resolve(s.address);
    const theirs = this.foreign(address, s.size);
    if (theirs) return this.refuseForeign(theirs);
    const old = new Uint32Array(1);
    const pointer = s.oldProtect === null ? 'NULL' : '&old';
    const text = `VirtualProtect(${hex(address)}, ${s.size}, ${protectText(s.protect)}, ${pointer})`;
    return this.boolCall(
      text,
      () => this.api.VirtualProtect(address, s.size, s.protect, s.oldProtect === null ? null : old),
      () => {
        this.calls.push(`  old protection ${protectText(old[0]!)}`);
        return ok(true, { oldProtect: protectName(old[0]!) });
      },
    );
  }

  virtualQuery(address: bigint): Outcome {
    const buf = Buffer.alloc(MEMORY_BASIC_INFORMATION_SIZE);
    const text = `VirtualQuery(${hex(address)}, &mbi, ${MEMORY_BASIC_INFORMATION_SIZE})`;
    const written = Number(this.api.VirtualQuery(address, buf, buf.length));
    if (written === 0) return fail(this.lastError(text, '0'), 0);
    this.calls.push(`${text} = ${written}`);
    return ok(written, mbiJson(decodeMemoryBasicInformation(buf)));
  }

  /** The real QueryWorkingSetEx for one page: it only reads, so any address gets the call. */
  override queryWorkingSetEx(address: bigint): Outcome {
    const buf = Buffer.alloc(WORKING_SET_EX_ENTRY_SIZE);
    fillWorkingSetQuery(buf, address, 1, Number(PAGE));
    const text = `QueryWorkingSetEx(GetCurrentProcess(), {VirtualAddress ${hex(address)}}, ${buf.length})`;
    if (this.api.QueryWorkingSetEx(this.self, buf, buf.length) === 0)
      return fail(this.lastError(text, 'FALSE'), false);
    this.calls.push(`${text} = TRUE`);
    return ok(true, workingSetExJson(workingSetBits(pageAttributes(buf, 0))));
  }

  lock(op: 'VirtualLock' | 'VirtualUnlock', address: bigint, size: bigint): Outcome {
    const theirs = this.foreign(address, size);
    if (theirs) return this.refuseForeign(theirs);
    const text = `${op}(${hex(address)}, ${size})`;
    return this.boolCall(text, () =>
      op === 'VirtualLock'
        ? this.api.VirtualLock(address, size)
        : this.api.VirtualUnlock(address, size),
    );
  }

  /**
   * Reads, writes or executes [address, address+size) for real, one region at a time, announcing
   * each region's first byte before touching it: if the touch kills the process, that byte is
   * the faulting address (every page of a region has the same state and protection).
   */
  access(kind: AccessKind, address: bigint, size: bigint): Outcome {
    const end = address + size;
    let at = address;
    while (at < end) {
      const mbi = this.query(at);
      if (mbi && !this.ours(mbi)) {
        this.calls.push(
          `(no access made: ${hex(at)} is in the child's own memory, allocation ${hex(mbi.allocationBase)}, not the sandbox's)`,
        );
        return exceptionOutcome('EXCEPTION_ACCESS_VIOLATION', at, kind);
      }
      const regionEnd = mbi ? mbi.baseAddress + mbi.regionSize : pageEnd(at + 1n);
      const to = regionEnd < end ? regionEnd : end;
      const committed = mbi?.state === M.MEM_COMMIT;
      if (committed) {
        let fresh = 0;
        for (let page = pageOf(at); page < to; page += PAGE) if (!this.touched.has(page)) fresh++;
        const after = (this.touched.size + fresh) * Number(PAGE);
        if (fresh > 0 && after > this.caps.touchedBytes)
          return refused(
            'touched memory',
            after,
            this.caps.touchedBytes,
            winError('ERROR_WORKING_SET_QUOTA'),
          );
      }
      const protect = mbi?.protect ?? 0;
      const runs =
        kind === 'execute' &&
        committed &&
        (protect & EXECUTABLE) !== 0 &&
        (protect & P.PAGE_GUARD) === 0;
      this.announce(at, kind);
      if (runs) {
        // The sandbox never runs a page's bytes (they are whatever a script wrote): an executable
        // page is read instead, which faults it in just as fetching the instruction would.
        if ((protect & READABLE_EXECUTABLE) !== 0) this.api.memcpy(Buffer.alloc(1), at, 1n);
        this.calls.push(
          `(${hex(at)} is executable: not run; ${(protect & READABLE_EXECUTABLE) !== 0 ? 'one byte read instead' : 'nothing touched'})`,
        );
      } else if (kind === 'execute') {
        this.calls.push(`call ${hex(at)}`);
        koffi().call(at, executeProto());
      } else if (kind === 'write') {
        this.api.memset(at, 0xab, to - at);
        this.calls.push(`memset(${hex(at)}, 0xab, ${to - at})`);
      } else {
        for (let from = at; from < to; from += READ_CHUNK) {
          const bytes = to - from < READ_CHUNK ? to - from : READ_CHUNK;
          this.api.memcpy(Buffer.alloc(Number(bytes)), from, bytes);
        }
        this.calls.push(`memcpy(buffer, ${hex(at)}, ${to - at})`);
      }
      if (committed) for (let page = pageOf(at); page < to; page += PAGE) this.touched.add(page);
      if (kind === 'execute') break;
      at = to;
    }
    return ok(null);
  }

  counters(): Counters {
    return readCounters(
      this.api,
      { pid: this.api.GetCurrentProcessId(), handle: this.self, canReadMemory: true },
      this.processTable,
    );
  }

  systemInfo(): Outcome {
    const buf = Buffer.alloc(SYSTEM_INFO_SIZE);
    this.api.GetSystemInfo(buf);
    const info = decodeSystemInfo(buf);
    const perf = sizedBuffer(PERFORMANCE_INFORMATION_SIZE);
    const performance = this.api.GetPerformanceInfo(perf, perf.length)
      ? decodePerformanceInfo(perf)
      : null;
    this.calls.push(
      'GetSystemInfo(&info)',
      `GetPerformanceInfo(&performance, ${PERFORMANCE_INFORMATION_SIZE}) = ${performance ? 'TRUE' : 'FALSE'}`,
    );
    return ok(null, {
      dwPageSize: info.pageSize,
      lpMinimumApplicationAddress: hex(info.minimumApplicationAddress),
      lpMaximumApplicationAddress: hex(info.maximumApplicationAddress),
      dwAllocationGranularity: info.allocationGranularity,
      physicalMemory: performance?.physicalTotal ?? null,
      commitLimit: performance?.commitLimit ?? null,
    });
  }

  clearGuard(step: ScriptStep): string[] {
    this.calls = [];
    if (!('address' in step)) return [];
    const address = this.resolve(step.address);
    const size = 'size' in step && typeof step.size === 'bigint' && step.size > 0n ? step.size : 1n;
    this.regions(address, address + size, (mbi, start) => {
      if (this.calls.length > 0 || (mbi.protect & P.PAGE_GUARD) === 0) return;
      const page = pageOf(start);
      const protect = mbi.protect & ~P.PAGE_GUARD;
      const old = new Uint32Array(1);
      const done = this.api.VirtualProtect(page, PAGE, protect, old);
      this.calls.push(
        `VirtualProtect(${hex(page)}, 4096, ${protectText(protect)}, &old) = ${done ? 'TRUE' : 'FALSE'} (the guard the fault cleared in the previous child)`,
      );
    });
    return this.calls;
  }

  /** Every allocation the sandbox made, page by page: states and protections from VirtualQuery, residency and locks from QueryWorkingSetEx. */
  allocations(): SandboxAllocation[] {
    return [...this.reservations.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([base, size]) => {
        const count = Number(size / PAGE);
        const shown = Math.min(count, MAX_GRID_PAGES);
        const pages: PageCell[] = [];
        let type: SandboxAllocation['type'] = 'private';
        this.regions(base, base + BigInt(shown) * PAGE, (mbi, start, end) => {
          if (mbi.type === M.MEM_MAPPED) type = 'mapped';
          for (let page = start; page < end; page += PAGE) {
            pages.push({
              state: mbi.state === M.MEM_COMMIT ? 'committed' : 'reserved',
              protect: mbi.state === M.MEM_COMMIT ? protectName(mbi.protect) : null,
              inWorkingSet: false,
              locked: false,
              guard: (mbi.protect & P.PAGE_GUARD) !== 0,
              dirty: null,
            });
          }
        });
        const info = Buffer.alloc(pages.length * WORKING_SET_EX_ENTRY_SIZE);
        fillWorkingSetQuery(info, base, pages.length, Number(PAGE));
        const known =
          pages.length > 0 && this.api.QueryWorkingSetEx(this.self, info, info.length) !== 0;
        pages.forEach((cell, i) => {
          if (!known) {
            cell.inWorkingSet = null;
            cell.locked = null;
            return;
          }
          const ws = emptyWorkingSet();
          addPage(ws, pageAttributes(info, i), Number(PAGE));
          cell.inWorkingSet = ws.total > 0;
          cell.locked = ws.locked > 0;
        });
        return { base: hex(base), size: Number(size), type, pages, truncated: shown < count };
      });
  }
}
