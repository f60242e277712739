/**
 * What the live child drives: one platform's real memory calls (linuxMemory.ts, windowsMemory.ts).
 * The base class runs a step the same way on both, through the one runner and op table
 * (core/sandbox/runner.ts, ops.ts), and collects the real calls it made.
 */
import { formatAddress } from '../../../shared/address';
import type { Counters } from '../../../shared/model';
import type { SandboxAllocation } from '../../../shared/sandboxSession';
import type {
  AddressExpr,
  ScriptOpName,
  ScriptStep,
  ScriptStepOf,
  StepResult,
} from '../../../shared/sandboxScript';
import type { AccessKind } from '../../../shared/winConstants';
import { NOTHING_CALLED, PARTLY_CALLED, type Outcome } from './liveOutcome';
import type { FileMappingOp, HeapOp, LiveOpTarget } from './liveOps';
import { liveHandler } from '../ops';
import { StepRunner } from '../runner';

/** One platform's real memory calls, as the child runs them. */
export interface LiveMemory {
  /** Run one step; returns its result and the real calls it made. */
  run(step: ScriptStep): { result: StepResult; calls: string[] };
  /** The names bound with `as` so far and their addresses (hex): a fresh child's differ from the last one's. */
  bound(): Record<string, string>;
  /** Every allocation the sandbox made, page by page. */
  allocations(): SandboxAllocation[];
  /** The child's counters read from inside (Windows: GetProcessMemoryInfo); null where the service reads them (/proc). */
  counters(): Counters | null;
  /**
   * A real guard-page fault in `step` ended the previous child. The system clears a guard before
   * it raises the exception, so a fresh child that replayed the steps before it clears that guard
   * too, for real; returns the calls made.
   */
  clearGuard(step: ScriptStep): string[];
}

/**
 * The calls the op table's `live` side makes (core/sandbox/ops.ts); each platform implements them.
 * Public because the table, not this class, decides which op calls which.
 */
export abstract class LiveMemoryBase implements LiveMemory, LiveOpTarget {
  /** The real calls of the step running now, as `call(args) = result` lines. */
  protected calls: string[] = [];
  private readonly runner = new StepRunner<LiveMemoryBase>(this, liveHandler);

  run(step: ScriptStep): { result: StepResult; calls: string[] } {
    this.calls = [];
    const result = this.runner.run(step);
    return { result: this.honestRefusal(result), calls: this.calls };
  }

  bound(): Record<string, string> {
    return Object.fromEntries(
      [...this.runner.bindings].map(([name, value]) => [name, formatAddress(value)]),
    );
  }

  /** An address expression's value (NULL is 0), resolved by the one runner. */
  protected resolve(expr: AddressExpr): bigint {
    return this.runner.address(expr);
  }

  /** A cap reached part way through a step: the calls before it were made, so the refusal says so. */
  private honestRefusal(result: StepResult): StepResult {
    const refused = result.info?.['refused'];
    if (typeof refused !== 'string' || this.calls.length === 0) return result;
    return {
      ...result,
      info: { ...result.info, refused: refused.replace(NOTHING_CALLED, PARTLY_CALLED) },
    };
  }

  abstract virtualAlloc(step: ScriptStepOf<'VirtualAlloc'>): Outcome;
  abstract virtualFree(step: ScriptStepOf<'VirtualFree'>): Outcome;
  abstract virtualProtect(step: ScriptStepOf<'VirtualProtect'>): Outcome;
  abstract virtualQuery(address: bigint): Outcome;
  abstract lock(op: 'VirtualLock' | 'VirtualUnlock', address: bigint, size: bigint): Outcome;
  abstract access(kind: AccessKind, address: bigint, size: bigint): Outcome;
  abstract emptyWorkingSet(): Outcome;
  abstract memoryInfo(): Outcome;
  abstract systemInfo(): Outcome;
  /**
   * An op this platform's live engine does not make: no call, ERROR_NOT_SUPPORTED with a note naming
   * it; `process` when the step names one of the simulated machine's processes, which do not exist here.
   */
  abstract unsupported(op: ScriptOpName, why?: 'process'): Outcome;

  setWorkingSetSize(step: ScriptStepOf<'SetProcessWorkingSetSize'>): Outcome {
    return this.unsupported(step.op);
  }

  /** QueryWorkingSetEx: a platform without it makes no call (ERROR_NOT_SUPPORTED). */
  queryWorkingSetEx(_address: bigint): Outcome {
    return this.unsupported('QueryWorkingSetEx');
  }

  /** GetWriteWatch / ResetWriteWatch: a platform without write watches makes no call (ERROR_NOT_SUPPORTED). */
  writeWatch(step: ScriptStepOf<'GetWriteWatch' | 'ResetWriteWatch'>): Outcome {
    return this.unsupported(step.op);
  }

  fileMapping(step: ScriptStepOf<FileMappingOp>): Outcome {
    return this.unsupported(step.op);
  }

  heap(step: ScriptStepOf<HeapOp>): Outcome {
    return this.unsupported(step.op);
  }

  abstract allocations(): SandboxAllocation[];
  abstract counters(): Counters | null;
  abstract clearGuard(step: ScriptStep): string[];
}
