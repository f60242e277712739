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
import { exceptionCodeHex, memName, protectName, winError } from '../../shared/winConstants';
import { GRANULARITY, PAGE_SIZE, USER_MAX, USER_MIN } from '../sim/layout';
import type { MemoryBasicInfo } from '../sim/process';
import { processCounters, processRegions } from '../sim/report';
import type { AccessResult, WinResult } from '../sim/results';
import { createSimulation, type Simulation } from '../sim/simulation';

const ADDRESS_SPACE = 1n << 64n;

interface RunContext {
  sim: Simulation;
  bindings: Map<string, bigint>;
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

/** MEMORY_BASIC_INFORMATION with Windows' field names, flag names and hex addresses. */
export function mbiJson(mbi: MemoryBasicInfo): Record<string, unknown> {
  return {
    BaseAddress: formatAddress(mbi.baseAddress),
    AllocationBase: formatAddress(mbi.allocationBase),
    AllocationProtect: protectName(mbi.allocationProtect),
    RegionSize: Number(mbi.regionSize),
    State: memName(mbi.state),
    Protect: protectName(mbi.protect),
    Type: memName(mbi.type),
  };
}

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
};

function runStep(ctx: RunContext, step: ScriptStep): StepResult {
  const handler = handlers[step.op] as OpHandler<typeof step.op>;
  const { address, ...outcome } = handler(ctx, step as never);
  if (step.as) ctx.bindings.set(step.as, address ?? 0n);
  return { op: step.op, ...outcome };
}

/** Run a validated script on a fresh simulated machine. Same script, same output. */
export function runSimulated(script: SandboxScript): SandboxRunResult {
  const ctx: RunContext = { sim: createSimulation(script.machine), bindings: new Map() };
  const steps = script.steps.map((step) => runStep(ctx, step));
  return { steps, regions: processRegions(ctx.sim.process) };
}
