/**
 * What the live child drives: one platform's real memory calls (linuxMemory.ts, windowsMemory.ts).
 * The base class runs a step the same way on both: it resolves addresses and the names bound with
 * `as`, hands each op to the platform, and collects the real calls it made.
 */
import { formatAddress } from '../../../shared/address';
import type { Counters } from '../../../shared/model';
import type { SandboxAllocation } from '../../../shared/sandboxSession';
import type { AddressExpr, ScriptOpName, ScriptStep, ScriptStepOf, StepResult } from '../../../shared/sandboxScript';
import type { AccessKind } from '../../../shared/winConstants';
import type { Outcome } from './liveOutcome';

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

const ADDRESS_SPACE = 1n << 64n;

export type HeapOp = 'GetProcessHeap' | 'GetProcessHeaps' | 'HeapCreate' | 'HeapAlloc' | 'HeapFree' | 'HeapReAlloc' | 'HeapSize' | 'HeapValidate' | 'HeapWalk' | 'HeapDestroy';
export type FileMappingOp = 'CreateFileMapping' | 'OpenFileMapping' | 'MapViewOfFile' | 'UnmapViewOfFile' | 'FlushViewOfFile' | 'CloseHandle';

export abstract class LiveMemoryBase implements LiveMemory {
  protected readonly bindings = new Map<string, bigint>();
  /** The real calls of the step running now, as `call(args) = result` lines. */
  protected calls: string[] = [];

  run(step: ScriptStep): { result: StepResult; calls: string[] } {
    this.calls = [];
    const { address, ...outcome } = this.dispatch(step);
    if (step.as) this.bindings.set(step.as, address ?? 0n);
    return { result: { op: step.op, ...outcome }, calls: this.calls };
  }

  bound(): Record<string, string> {
    return Object.fromEntries([...this.bindings].map(([name, value]) => [name, formatAddress(value)]));
  }

  /** An address expression's value; pointer arithmetic wraps like a 64-bit register, as in the simulated engine. */
  protected resolve(expr: AddressExpr): bigint {
    if (expr.kind === 'null') return 0n;
    if (expr.kind === 'absolute') return expr.value % ADDRESS_SPACE;
    return ((((this.bindings.get(expr.name) ?? 0n) + expr.offset) % ADDRESS_SPACE) + ADDRESS_SPACE) % ADDRESS_SPACE;
  }

  private dispatch(step: ScriptStep): Outcome {
    switch (step.op) {
      case 'VirtualAlloc':
        return this.virtualAlloc(step);
      case 'VirtualFree':
        return this.virtualFree(step);
      case 'VirtualProtect':
        return this.virtualProtect(step);
      case 'VirtualQuery':
        return this.virtualQuery(this.resolve(step.address));
      case 'VirtualLock':
      case 'VirtualUnlock':
        return this.lock(step.op, this.resolve(step.address), step.size);
      case 'Read':
      case 'Write':
        return this.access(step.op === 'Read' ? 'read' : 'write', this.resolve(step.address), step.size > 0n ? step.size : 1n);
      case 'Execute':
        return this.access('execute', this.resolve(step.address), 1n);
      case 'GetWriteWatch':
      case 'ResetWriteWatch':
        return this.writeWatch(step);
      case 'SetProcessWorkingSetSize':
        return this.setWorkingSetSize(step);
      case 'EmptyWorkingSet':
        return this.emptyWorkingSet();
      case 'GetProcessMemoryInfo':
        return this.memoryInfo();
      case 'GetSystemInfo':
        return this.systemInfo();
      case 'GetProcessHeap':
      case 'GetProcessHeaps':
      case 'HeapCreate':
      case 'HeapAlloc':
      case 'HeapFree':
      case 'HeapReAlloc':
      case 'HeapSize':
      case 'HeapValidate':
      case 'HeapWalk':
      case 'HeapDestroy':
        return step.process ? this.unsupported(step.op, 'process') : this.heap(step);
      case 'CreateFileMapping':
      case 'OpenFileMapping':
      case 'MapViewOfFile':
      case 'UnmapViewOfFile':
      case 'FlushViewOfFile':
      case 'CloseHandle':
        return 'process' in step && step.process ? this.unsupported(step.op, 'process') : this.fileMapping(step);
    }
  }

  protected abstract virtualAlloc(step: ScriptStepOf<'VirtualAlloc'>): Outcome;
  protected abstract virtualFree(step: ScriptStepOf<'VirtualFree'>): Outcome;
  protected abstract virtualProtect(step: ScriptStepOf<'VirtualProtect'>): Outcome;
  protected abstract virtualQuery(address: bigint): Outcome;
  protected abstract lock(op: 'VirtualLock' | 'VirtualUnlock', address: bigint, size: bigint): Outcome;
  protected abstract access(kind: AccessKind, address: bigint, size: bigint): Outcome;
  protected abstract emptyWorkingSet(): Outcome;
  protected abstract memoryInfo(): Outcome;
  protected abstract systemInfo(): Outcome;
  /**
   * An op this platform's live engine does not make: no call, ERROR_NOT_SUPPORTED with a note naming
   * it; `process` when the step names one of the simulated machine's processes, which do not exist here.
   */
  protected abstract unsupported(op: ScriptOpName, why?: 'process'): Outcome;

  protected setWorkingSetSize(step: ScriptStepOf<'SetProcessWorkingSetSize'>): Outcome {
    return this.unsupported(step.op);
  }

  /** GetWriteWatch / ResetWriteWatch: a platform without write watches makes no call (ERROR_NOT_SUPPORTED). */
  protected writeWatch(step: ScriptStepOf<'GetWriteWatch' | 'ResetWriteWatch'>): Outcome {
    return this.unsupported(step.op);
  }

  protected fileMapping(step: ScriptStepOf<FileMappingOp>): Outcome {
    return this.unsupported(step.op);
  }

  protected heap(step: ScriptStepOf<HeapOp>): Outcome {
    return this.unsupported(step.op);
  }

  abstract allocations(): SandboxAllocation[];
  abstract counters(): Counters | null;
  abstract clearGuard(step: ScriptStep): string[];
}
