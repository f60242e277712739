/**
 * The one op table: for every script op, what the simulated engine does (calls on the Windows
 * model) and what the live child does (the platform's real calls, live/liveMemory.ts). Adding an
 * op is one entry in SCRIPT_OPS (src/shared/sandboxScript.ts, its fields) and one entry here (both
 * engines); the runner (runner.ts) resolves its addresses and binds its `as` name.
 */
import type { ScriptOpName, ScriptStepOf, StepResult } from '../../shared/sandboxScript';
import { formatAddress } from '../../shared/address';
import {
  WRITE_WATCH_FAILED,
  exceptionCodeHex,
  protectName,
  winError,
} from '../../shared/winConstants';
import { GRANULARITY, PAGE_SIZE, USER_MAX, USER_MIN } from '../sim/layout';
import { processCounters } from '../sim/report';
import type { AccessResult, WinResult } from '../sim/results';
import type { HeapResult } from '../sim/heap';
import type { SimProcess } from '../sim/process';
import type { Simulation } from '../sim/simulation';
import type { SimulatedMachine } from '../sources/simulated/simulatedMachine';
import type { FileMappingOp, HeapOp, LiveOpTarget } from './live/liveOps';
import type { Outcome } from './live/liveOutcome';
import { mbiJson } from '../win32/mbiJson';
import { workingSetExJson } from '../win32/workingSetBits';
import type { OpContext, OpHandler } from './runner';

/** What the simulated engine's ops act on. */
export interface SimTarget {
  sim: Simulation;
  /** The simulated source's machine, when a step acts in one of its processes (`"process": NAME`). */
  cast: SimulatedMachine | null;
}

type Sim = OpContext<SimTarget>;
type Live = OpContext<LiveOpTarget>;

export interface OpEntry<K extends ScriptOpName> {
  simulated: OpHandler<SimTarget, ScriptStepOf<K>>;
  live: OpHandler<LiveOpTarget, ScriptStepOf<K>>;
}

/** An API call's result: `returned` on success, `failed` (NULL, FALSE, 0) with GetLastError otherwise. */
function call<T>(
  result: WinResult<T>,
  returned: (value: T) => StepResult['returned'],
  failed: StepResult['returned'],
): Outcome {
  if (result.ok)
    return {
      ok: true,
      returned: returned(result.value),
      lastError: null,
      exception: null,
      info: null,
    };
  return {
    ok: false,
    returned: failed,
    lastError: winError(result.error),
    exception: null,
    info: null,
  };
}

function accessOutcome(result: AccessResult): Outcome {
  const info = { faults: result.faults };
  if (result.ok) return { ok: true, returned: null, lastError: null, exception: null, info };
  const e = result.exception;
  return {
    ok: false,
    returned: null,
    lastError: null,
    exception: {
      code: exceptionCodeHex(e.name),
      name: e.name,
      address: formatAddress(e.address),
      access: e.access,
    },
    info,
  };
}

/** The process a step acts in: the script's own, or a simulated one named by `process`. */
function target(ctx: Sim, step: { process?: string }): SimProcess {
  if (!step.process) return ctx.target.sim.process;
  // Names were checked before the step ran (the simulated engine's cast).
  return ctx.target.cast!.processes().find((p) => p.member.name === step.process)!.process;
}

/** A heap call: failures may carry no last error (HeapSize, HeapValidate) or raise STATUS_NO_MEMORY instead. */
function heapCall<T>(
  result: HeapResult<T>,
  returned: (value: T) => StepResult['returned'],
  failed: StepResult['returned'],
): Outcome {
  if (result.ok)
    return {
      ok: true,
      returned: returned(result.value),
      lastError: null,
      exception: null,
      info: null,
    };
  if (result.exception) {
    // STATUS_NO_MEMORY is raised by the heap, not by an access: it has no faulting address.
    const exception = {
      code: exceptionCodeHex(result.exception),
      name: result.exception,
      address: '0x0',
      access: 'write' as const,
    };
    return { ok: false, returned: failed, lastError: null, exception, info: null };
  }
  return {
    ok: false,
    returned: failed,
    lastError: result.error ? winError(result.error) : null,
    exception: null,
    info: null,
  };
}

const hex = (n: number | bigint): string => formatAddress(BigInt(n));
const num = (ctx: Sim, expr: Parameters<Sim['address']>[0]): number => Number(ctx.address(expr));
/** An address-returning call: `as` binds the address, or 0 when it failed. */
const bound = (out: Outcome, r: { ok: boolean; value?: number | bigint }): Outcome => ({
  ...out,
  address: r.ok ? BigInt(r.value!) : 0n,
});

/** Heap and file-mapping ops on the live engine: a `process` names a simulated process, which a real machine does not have. */
const liveHeap = (ctx: Live, s: ScriptStepOf<HeapOp>): Outcome =>
  s.process ? ctx.target.unsupported(s.op, 'process') : ctx.target.heap(s);
const liveMapping = (ctx: Live, s: ScriptStepOf<FileMappingOp>): Outcome =>
  s.process ? ctx.target.unsupported(s.op, 'process') : ctx.target.fileMapping(s);

export const OPS: { [K in ScriptOpName]: OpEntry<K> } = {
  VirtualAlloc: {
    simulated: (ctx, s) => {
      const r = ctx.target.sim.process.virtualAlloc(
        ctx.resolve(s.address),
        s.size,
        s.type,
        s.protect,
      );
      return { ...call(r, formatAddress, null), address: r.ok ? r.value : 0n };
    },
    live: (ctx, s) => ctx.target.virtualAlloc(s),
  },
  VirtualFree: {
    simulated: (ctx, s) =>
      call(
        ctx.target.sim.process.virtualFree(ctx.resolve(s.address), s.size, s.type),
        () => true,
        false,
      ),
    live: (ctx, s) => ctx.target.virtualFree(s),
  },
  VirtualProtect: {
    // A BOOL; the old protection goes to the out-parameter lpflOldProtect.
    simulated: (ctx, s) => {
      const r = ctx.target.sim.process.virtualProtect(
        ctx.address(s.address),
        s.size,
        s.protect,
        s.oldProtect !== null,
      );
      const out = call(r, () => true, false);
      return r.ok ? { ...out, info: { oldProtect: protectName(r.value) } } : out;
    },
    live: (ctx, s) => ctx.target.virtualProtect(s),
  },
  VirtualQuery: {
    simulated: (ctx, s) => {
      const r = ctx.target.sim.process.virtualQuery(ctx.address(s.address));
      // VirtualQuery returns the bytes written: sizeof(MEMORY_BASIC_INFORMATION) on x64, or 0.
      const out = call(r, () => 48, 0);
      return r.ok ? { ...out, info: mbiJson(r.value) } : out;
    },
    live: (ctx, s) => ctx.target.virtualQuery(ctx.address(s.address)),
  },
  QueryWorkingSetEx: {
    simulated: (ctx, s) => {
      const bits = ctx.target.sim.process.queryWorkingSetEx(ctx.address(s.address));
      return {
        ok: true,
        returned: true,
        lastError: null,
        exception: null,
        info: workingSetExJson(bits),
      };
    },
    live: (ctx, s) => ctx.target.queryWorkingSetEx(ctx.address(s.address)),
  },
  VirtualLock: {
    simulated: (ctx, s) =>
      call(ctx.target.sim.process.virtualLock(ctx.address(s.address), s.size), () => true, false),
    live: (ctx, s) => ctx.target.lock(s.op, ctx.address(s.address), s.size),
  },
  VirtualUnlock: {
    simulated: (ctx, s) =>
      call(ctx.target.sim.process.virtualUnlock(ctx.address(s.address), s.size), () => true, false),
    live: (ctx, s) => ctx.target.lock(s.op, ctx.address(s.address), s.size),
  },
  Read: {
    simulated: (ctx, s) =>
      accessOutcome(ctx.target.sim.process.access('read', ctx.address(s.address), s.size)),
    live: (ctx, s) => ctx.target.access('read', ctx.address(s.address), s.size > 0n ? s.size : 1n),
  },
  Write: {
    simulated: (ctx, s) =>
      accessOutcome(ctx.target.sim.process.access('write', ctx.address(s.address), s.size)),
    live: (ctx, s) => ctx.target.access('write', ctx.address(s.address), s.size > 0n ? s.size : 1n),
  },
  Execute: {
    simulated: (ctx, s) =>
      accessOutcome(ctx.target.sim.process.access('execute', ctx.address(s.address))),
    live: (ctx, s) => ctx.target.access('execute', ctx.address(s.address), 1n),
  },
  // Both return a UINT: 0 on success, (UINT)-1 on failure with the last error set.
  GetWriteWatch: {
    simulated: (ctx, s) => {
      const r = ctx.target.sim.process.getWriteWatch(
        s.flags,
        ctx.address(s.address),
        s.size,
        s.count,
      );
      const out = call(r, () => 0, WRITE_WATCH_FAILED);
      return r.ok
        ? {
            ...out,
            info: { count: r.value.length, addresses: r.value.map(hex), granularity: PAGE_SIZE },
          }
        : out;
    },
    live: (ctx, s) => ctx.target.writeWatch(s),
  },
  ResetWriteWatch: {
    simulated: (ctx, s) =>
      call(
        ctx.target.sim.process.resetWriteWatch(ctx.address(s.address), s.size),
        () => 0,
        WRITE_WATCH_FAILED,
      ),
    live: (ctx, s) => ctx.target.writeWatch(s),
  },
  SetProcessWorkingSetSize: {
    simulated: (ctx, s) =>
      call(ctx.target.sim.process.setWorkingSetSize(s.minimum, s.maximum), () => true, false),
    live: (ctx, s) => ctx.target.setWorkingSetSize(s),
  },
  EmptyWorkingSet: {
    simulated: (ctx) => call(ctx.target.sim.process.emptyWorkingSet(), () => true, false),
    live: (ctx) => ctx.target.emptyWorkingSet(),
  },
  GetProcessMemoryInfo: {
    simulated: (ctx) => ({
      ok: true,
      returned: true,
      lastError: null,
      exception: null,
      info: { ...processCounters(ctx.target.sim.process) },
    }),
    live: (ctx) => ctx.target.memoryInfo(),
  },
  GetSystemInfo: {
    simulated: (ctx) => ({
      ok: true,
      returned: null,
      lastError: null,
      exception: null,
      info: {
        dwPageSize: PAGE_SIZE,
        lpMinimumApplicationAddress: formatAddress(USER_MIN),
        lpMaximumApplicationAddress: formatAddress(USER_MAX),
        dwAllocationGranularity: Number(GRANULARITY),
        physicalMemory: ctx.target.sim.machine.totalPages * PAGE_SIZE,
        commitLimit: ctx.target.sim.machine.commitLimitPages * PAGE_SIZE,
      },
    }),
    live: (ctx) => ctx.target.systemInfo(),
  },
  GetProcessHeap: {
    simulated: (ctx, s) => {
      const handle = target(ctx, s).heaps.processHeap.handle;
      return {
        ok: true,
        returned: hex(handle),
        lastError: null,
        exception: null,
        info: null,
        address: BigInt(handle),
      };
    },
    live: liveHeap,
  },
  GetProcessHeaps: {
    simulated: (ctx, s) => {
      const handles = target(ctx, s).heaps.handles();
      return {
        ok: true,
        returned: handles.length,
        lastError: null,
        exception: null,
        info: { heaps: handles.map(hex) },
      };
    },
    live: liveHeap,
  },
  HeapCreate: {
    simulated: (ctx, s) => {
      const r = target(ctx, s).heaps.create(
        s.options,
        Number(s.initialSize),
        Number(s.maximumSize),
      );
      return bound(heapCall(r, hex, null), r);
    },
    live: liveHeap,
  },
  HeapAlloc: {
    simulated: (ctx, s) => {
      const r = target(ctx, s).heaps.alloc(num(ctx, s.heap), s.flags, Number(s.size));
      return bound(heapCall(r, hex, null), r);
    },
    live: liveHeap,
  },
  HeapFree: {
    simulated: (ctx, s) =>
      heapCall(
        target(ctx, s).heaps.free(num(ctx, s.heap), s.flags, num(ctx, s.address)),
        () => true,
        false,
      ),
    live: liveHeap,
  },
  HeapReAlloc: {
    simulated: (ctx, s) => {
      const r = target(ctx, s).heaps.realloc(
        num(ctx, s.heap),
        s.flags,
        num(ctx, s.address),
        Number(s.size),
      );
      return bound(heapCall(r, hex, null), r);
    },
    live: liveHeap,
  },
  HeapSize: {
    // HeapSize returns (SIZE_T)-1 on failure.
    simulated: (ctx, s) =>
      heapCall(target(ctx, s).heaps.size(num(ctx, s.heap), num(ctx, s.address)), (n) => n, -1),
    live: liveHeap,
  },
  HeapValidate: {
    simulated: (ctx, s) =>
      heapCall(
        target(ctx, s).heaps.validate(num(ctx, s.heap), num(ctx, s.address)),
        () => true,
        false,
      ),
    live: liveHeap,
  },
  HeapWalk: {
    simulated: (ctx, s) => {
      const r = target(ctx, s).heaps.walk(num(ctx, s.heap));
      const out = heapCall(r, (entries) => entries.length, 0);
      if (!r.ok) return out;
      const entries = r.value.map((e) => ({
        ...e,
        lpData: hex(e.lpData),
        ...(e.region
          ? {
              region: {
                ...e.region,
                lpFirstBlock: hex(e.region.lpFirstBlock),
                lpLastBlock: hex(e.region.lpLastBlock),
              },
            }
          : {}),
      }));
      // The walk ends as Windows' does: HeapWalk returns FALSE with ERROR_NO_MORE_ITEMS.
      return { ...out, info: { entries, end: winError('ERROR_NO_MORE_ITEMS') } };
    },
    live: liveHeap,
  },
  HeapDestroy: {
    simulated: (ctx, s) =>
      heapCall(target(ctx, s).heaps.destroy(num(ctx, s.heap)), () => true, false),
    live: liveHeap,
  },
  CreateFileMapping: {
    simulated: (ctx, s) => {
      const r = target(ctx, s).mappings.create(s.file, s.protect, Number(s.size), s.name);
      const out = bound(
        call(r, (m) => hex(m.handle), null),
        { ok: r.ok, value: r.ok ? r.value.handle : 0 },
      );
      // A name that exists already: the call succeeds with that section and GetLastError() == ERROR_ALREADY_EXISTS.
      return r.ok && r.value.alreadyExists
        ? { ...out, lastError: winError('ERROR_ALREADY_EXISTS') }
        : out;
    },
    live: liveMapping,
  },
  OpenFileMapping: {
    simulated: (ctx, s) => {
      const r = target(ctx, s).mappings.open(s.access, s.name);
      return bound(call(r, hex, null), r);
    },
    live: liveMapping,
  },
  MapViewOfFile: {
    simulated: (ctx, s) => {
      const r = target(ctx, s).mappings.map(
        num(ctx, s.handle),
        s.access,
        Number(s.offset),
        Number(s.size),
        ctx.resolve(s.address),
      );
      return bound(call(r, formatAddress, null), r);
    },
    live: liveMapping,
  },
  UnmapViewOfFile: {
    simulated: (ctx, s) =>
      call(target(ctx, s).unmapView(ctx.address(s.address)), () => true, false),
    live: liveMapping,
  },
  FlushViewOfFile: {
    simulated: (ctx, s) =>
      call(target(ctx, s).flushView(ctx.address(s.address), s.size), () => true, false),
    live: liveMapping,
  },
  CloseHandle: {
    simulated: (ctx, s) =>
      call(target(ctx, s).mappings.close(num(ctx, s.handle)), () => true, false),
    live: liveMapping,
  },
};

export const simulatedHandler = (op: ScriptOpName): OpHandler<SimTarget, never> =>
  OPS[op].simulated as OpHandler<SimTarget, never>;
export const liveHandler = (op: ScriptOpName): OpHandler<LiveOpTarget, never> =>
  OPS[op].live as OpHandler<LiveOpTarget, never>;
