/**
 * The simulated sandbox engine: runs a parsed script step by step on a fresh simulated machine
 * and process, and reports each step as the public JSON (docs/sandbox-script.md). A failing step
 * never stops the script. Names bound with `as` hold the step's returned address, or 0 when it
 * failed, just as a C variable would hold NULL, so later steps fail the way a real program would.
 */
import type {
  AddressExpr,
  SandboxRunResult,
  SandboxScript,
  ScriptOpName,
  ScriptStep,
  ScriptStepOf,
  StepResult,
} from '../../shared/sandboxScript';
import { formatAddress } from '../../shared/address';
import { VmscopeError } from '../../shared/errors';
import { exceptionCodeHex, protectName, winError } from '../../shared/winConstants';
import { mbiJson } from './mbiJson';
import { GRANULARITY, PAGE_SIZE, USER_MAX, USER_MIN } from '../sim/layout';
import { processCounters, processRegions } from '../sim/report';
import type { AccessResult, WinResult } from '../sim/results';
import type { HeapResult } from '../sim/heap';
import type { SimProcess } from '../sim/process';
import { createSimulation, type Simulation } from '../sim/simulation';
import { SimulatedMachine, defaultCast } from '../sources/simulated/simulatedMachine';

const ADDRESS_SPACE = 1n << 64n;
/** GetWriteWatch and ResetWriteWatch fail with (UINT)-1. */
const WRITE_WATCH_FAILED = 0xffffffff;

interface RunContext {
  sim: Simulation;
  bindings: Map<string, bigint>;
  /** The simulated source's machine, when a step acts in one of its processes (`"process": NAME`). */
  cast: SimulatedMachine | null;
}

/** What an op produced before it becomes JSON; `address` is what `as` binds. */
type Outcome = Omit<StepResult, 'op'> & { address?: bigint };

type OpHandler<K extends ScriptOpName> = (ctx: RunContext, step: ScriptStepOf<K>) => Outcome;

function resolve(ctx: RunContext, expr: AddressExpr): bigint | null {
  if (expr.kind === 'null') return null;
  if (expr.kind === 'absolute') return expr.value % ADDRESS_SPACE;
  // Pointer arithmetic wraps like a 64-bit register.
  const base = ctx.bindings.get(expr.name) ?? 0n;
  return (((base + expr.offset) % ADDRESS_SPACE) + ADDRESS_SPACE) % ADDRESS_SPACE;
}

const addressOf = (ctx: RunContext, expr: AddressExpr): bigint => resolve(ctx, expr) ?? 0n;

/** An API call's result: `returned` on success, `failed` (NULL, FALSE, 0) with GetLastError otherwise. */
function call<T>(result: WinResult<T>, returned: (value: T) => StepResult['returned'], failed: StepResult['returned']): Outcome {
  if (result.ok) return { ok: true, returned: returned(result.value), lastError: null, exception: null, info: null };
  return { ok: false, returned: failed, lastError: winError(result.error), exception: null, info: null };
}

function accessOutcome(result: AccessResult): Outcome {
  const info = { faults: result.faults };
  if (result.ok) return { ok: true, returned: null, lastError: null, exception: null, info };
  const e = result.exception;
  return {
    ok: false,
    returned: null,
    lastError: null,
    exception: { code: exceptionCodeHex(e.name), name: e.name, address: formatAddress(e.address), access: e.access },
    info,
  };
}

/** The process a step acts in: the script's own, or a simulated one named by `process`. */
function target(ctx: RunContext, step: { process?: string }): SimProcess {
  if (!step.process) return ctx.sim.process;
  // Names were checked before the script ran (runSimulated).
  return ctx.cast!.processes().find((p) => p.member.name === step.process)!.process;
}

/** A heap call: failures may carry no last error (HeapSize, HeapValidate) or raise STATUS_NO_MEMORY instead. */
function heapCall<T>(result: HeapResult<T>, returned: (value: T) => StepResult['returned'], failed: StepResult['returned']): Outcome {
  if (result.ok) return { ok: true, returned: returned(result.value), lastError: null, exception: null, info: null };
  if (result.exception) {
    // STATUS_NO_MEMORY is raised by the heap, not by an access: it has no faulting address.
    const exception = { code: exceptionCodeHex(result.exception), name: result.exception, address: '0x0', access: 'write' as const };
    return { ok: false, returned: failed, lastError: null, exception, info: null };
  }
  return { ok: false, returned: failed, lastError: result.error ? winError(result.error) : null, exception: null, info: null };
}

const hex = (n: number | bigint): string => formatAddress(BigInt(n));
const num = (ctx: RunContext, expr: AddressExpr): number => Number(addressOf(ctx, expr));
/** An address-returning call: `as` binds the address, or 0 when it failed. */
const bound = (out: Outcome, r: { ok: boolean; value?: number | bigint }): Outcome => ({ ...out, address: r.ok ? BigInt(r.value!) : 0n });

const handlers: { [K in ScriptOpName]: OpHandler<K> } = {
  VirtualAlloc: (ctx, s) => {
    const r = ctx.sim.process.virtualAlloc(resolve(ctx, s.address), s.size, s.type, s.protect);
    return { ...call(r, formatAddress, null), ...(r.ok ? { address: r.value } : { address: 0n }) };
  },
  VirtualFree: (ctx, s) => call(ctx.sim.process.virtualFree(resolve(ctx, s.address), s.size, s.type), () => true, false),
  VirtualProtect: (ctx, s) =>
    call(
      ctx.sim.process.virtualProtect(addressOf(ctx, s.address), s.size, s.protect, s.oldProtect !== null),
      (old) => protectName(old) ?? 0,
      false,
    ),
  VirtualQuery: (ctx, s) => {
    const r = ctx.sim.process.virtualQuery(addressOf(ctx, s.address));
    // VirtualQuery returns the bytes written: sizeof(MEMORY_BASIC_INFORMATION) on x64, or 0.
    const out = call(r, () => 48, 0);
    return r.ok ? { ...out, info: mbiJson(r.value) } : out;
  },
  VirtualLock: (ctx, s) => call(ctx.sim.process.virtualLock(addressOf(ctx, s.address), s.size), () => true, false),
  VirtualUnlock: (ctx, s) => call(ctx.sim.process.virtualUnlock(addressOf(ctx, s.address), s.size), () => true, false),
  Read: (ctx, s) => accessOutcome(ctx.sim.process.access('read', addressOf(ctx, s.address), s.size)),
  Write: (ctx, s) => accessOutcome(ctx.sim.process.access('write', addressOf(ctx, s.address), s.size)),
  Execute: (ctx, s) => accessOutcome(ctx.sim.process.access('execute', addressOf(ctx, s.address))),
  // Both return a UINT: 0 on success, (UINT)-1 on failure with the last error set.
  GetWriteWatch: (ctx, s) => {
    const r = ctx.sim.process.getWriteWatch(s.flags, addressOf(ctx, s.address), s.size, s.count);
    const out = call(r, () => 0, WRITE_WATCH_FAILED);
    return r.ok ? { ...out, info: { count: r.value.length, addresses: r.value.map(hex), granularity: PAGE_SIZE } } : out;
  },
  ResetWriteWatch: (ctx, s) => call(ctx.sim.process.resetWriteWatch(addressOf(ctx, s.address), s.size), () => 0, WRITE_WATCH_FAILED),
  SetProcessWorkingSetSize: (ctx, s) =>
    call(ctx.sim.process.setWorkingSetSize(s.minimum, s.maximum), () => true, false),
  EmptyWorkingSet: (ctx) => call(ctx.sim.process.emptyWorkingSet(), () => true, false),
  GetProcessMemoryInfo: (ctx) => ({
    ok: true,
    returned: true,
    lastError: null,
    exception: null,
    info: { ...processCounters(ctx.sim.process) },
  }),
  GetSystemInfo: (ctx) => ({
    ok: true,
    returned: null,
    lastError: null,
    exception: null,
    info: {
      dwPageSize: PAGE_SIZE,
      lpMinimumApplicationAddress: formatAddress(USER_MIN),
      lpMaximumApplicationAddress: formatAddress(USER_MAX),
      dwAllocationGranularity: Number(GRANULARITY),
      physicalMemory: ctx.sim.machine.totalPages * PAGE_SIZE,
      commitLimit: ctx.sim.machine.commitLimitPages * PAGE_SIZE,
    },
  }),
  GetProcessHeap: (ctx, s) => {
    const handle = target(ctx, s).heaps.processHeap.handle;
    return { ok: true, returned: hex(handle), lastError: null, exception: null, info: null, address: BigInt(handle) };
  },
  GetProcessHeaps: (ctx, s) => {
    const handles = target(ctx, s).heaps.handles();
    return { ok: true, returned: handles.length, lastError: null, exception: null, info: { heaps: handles.map(hex) } };
  },
  HeapCreate: (ctx, s) => {
    const r = target(ctx, s).heaps.create(s.options, Number(s.initialSize), Number(s.maximumSize));
    return bound(heapCall(r, hex, null), r);
  },
  HeapAlloc: (ctx, s) => {
    const r = target(ctx, s).heaps.alloc(num(ctx, s.heap), s.flags, Number(s.size));
    return bound(heapCall(r, hex, null), r);
  },
  HeapFree: (ctx, s) => heapCall(target(ctx, s).heaps.free(num(ctx, s.heap), s.flags, num(ctx, s.address)), () => true, false),
  HeapReAlloc: (ctx, s) => {
    const r = target(ctx, s).heaps.realloc(num(ctx, s.heap), s.flags, num(ctx, s.address), Number(s.size));
    return bound(heapCall(r, hex, null), r);
  },
  // HeapSize returns (SIZE_T)-1 on failure.
  HeapSize: (ctx, s) => heapCall(target(ctx, s).heaps.size(num(ctx, s.heap), num(ctx, s.address)), (n) => n, -1),
  HeapValidate: (ctx, s) => heapCall(target(ctx, s).heaps.validate(num(ctx, s.heap), num(ctx, s.address)), () => true, false),
  HeapWalk: (ctx, s) => {
    const r = target(ctx, s).heaps.walk(num(ctx, s.heap));
    const out = heapCall(r, (entries) => entries.length, 0);
    if (!r.ok) return out;
    const entries = r.value.map((e) => ({ ...e, lpData: hex(e.lpData), ...(e.region ? { region: { ...e.region, lpFirstBlock: hex(e.region.lpFirstBlock), lpLastBlock: hex(e.region.lpLastBlock) } } : {}) }));
    // The walk ends as Windows' does: HeapWalk returns FALSE with ERROR_NO_MORE_ITEMS.
    return { ...out, info: { entries, end: winError('ERROR_NO_MORE_ITEMS') } };
  },
  HeapDestroy: (ctx, s) => heapCall(target(ctx, s).heaps.destroy(num(ctx, s.heap)), () => true, false),
  CreateFileMapping: (ctx, s) => {
    const r = target(ctx, s).mappings.create(s.file, s.protect, Number(s.size), s.name);
    const out = bound(call(r, (m) => hex(m.handle), null), { ok: r.ok, value: r.ok ? r.value.handle : 0 });
    // A name that exists already: the call succeeds with that section and GetLastError() == ERROR_ALREADY_EXISTS.
    return r.ok && r.value.alreadyExists ? { ...out, lastError: winError('ERROR_ALREADY_EXISTS') } : out;
  },
  OpenFileMapping: (ctx, s) => {
    const r = target(ctx, s).mappings.open(s.access, s.name);
    return bound(call(r, hex, null), r);
  },
  MapViewOfFile: (ctx, s) => {
    const p = target(ctx, s);
    const r = p.mappings.map(num(ctx, s.handle), s.access, Number(s.offset), Number(s.size), resolve(ctx, s.address));
    return bound(call(r, formatAddress, null), r);
  },
  UnmapViewOfFile: (ctx, s) => call(target(ctx, s).unmapView(addressOf(ctx, s.address)), () => true, false),
  FlushViewOfFile: (ctx, s) => call(target(ctx, s).flushView(addressOf(ctx, s.address), s.size), () => true, false),
  CloseHandle: (ctx, s) => call(target(ctx, s).mappings.close(num(ctx, s.handle)), () => true, false),
};

function runStep(ctx: RunContext, step: ScriptStep): StepResult {
  const handler = handlers[step.op] as OpHandler<typeof step.op>;
  const { address, ...outcome } = handler(ctx, step as never);
  if (step.as) ctx.bindings.set(step.as, address ?? 0n);
  return { op: step.op, ...outcome };
}

/**
 * The simulated source's machine (fresh, seeded, its clock stopped after the warm-up) when a step
 * names one of its processes; the script's own process then lives on that machine too, so it can
 * share named sections with them. Unknown names are a script error, before anything runs.
 */
function castFor(script: SandboxScript): SimulatedMachine | null {
  const names = script.steps.flatMap((s, i) => ('process' in s && s.process ? [{ name: s.process, i }] : []));
  if (names.length === 0) return null;
  const known = new Set(defaultCast().map((m) => m.name));
  const bad = names.find((n) => !known.has(n.name));
  if (bad) throw new VmscopeError('invalid-input', `steps.${bad.i}.process: no simulated process "${bad.name}" (there are: ${[...known].join(', ')})`);
  return new SimulatedMachine({ now: () => 0 });
}

/** Run a validated script on a fresh simulated machine. Same script, same output. */
export function runSimulated(script: SandboxScript): SandboxRunResult {
  return replaySimulated(script).result;
}

/** runSimulated, and the sandbox process it leaves, for what only the model knows (each page's state). */
export function replaySimulated(script: SandboxScript): { result: SandboxRunResult; process: SimProcess } {
  const cast = castFor(script);
  const sim = createSimulation(script.machine, cast?.machine);
  const ctx: RunContext = { sim, bindings: new Map(), cast };
  const steps = script.steps.map((step) => runStep(ctx, step));
  return { result: { steps, regions: processRegions(ctx.sim.process) }, process: ctx.sim.process };
}
