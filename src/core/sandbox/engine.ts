/**
 * A sandbox engine: the object that runs a session's steps, one at a time, and keeps what they
 * did alive between steps. Two kinds (EngineKind): the simulated Windows model
 * (simulatedEngine.ts) and a live child process making real calls (live/liveEngine.ts). Both run
 * steps through the one runner and op table (runner.ts, ops.ts).
 */
import type { MachineView } from '../../shared/machineView';
import type { MemoryChunk } from '../../shared/memoryContents';
import type { Counters, Region } from '../../shared/model';
import type { SandboxAllocation } from '../../shared/sandboxSession';
import type { EngineKind, ScriptStep, StepResult } from '../../shared/sandboxScript';

/** One step's result and what it changed: never the whole state (docs/sandbox.md, "Deltas"). */
export interface EngineStep {
  result: StepResult;
  /** The real calls the live engine made (empty on the simulated engine). */
  calls: string[];
  /** The live child died in this step and a fresh one replaced it. */
  restarted: boolean;
  /** Allocations whose pages changed in this step (all of them page by page), in address order. */
  changed: SandboxAllocation[];
  /** Bases of allocations that no longer exist. */
  removed: string[];
  counters: Counters;
  /** The simulated machine's physical memory after the step (RAMMap's view); absent on the live engine. */
  machine?: MachineView;
}

export interface EngineView {
  allocations: SandboxAllocation[];
  regions: Region[];
  counters: Counters;
  machine?: MachineView;
}

/** An earlier step as a fresh live child ran it again: its result there (its addresses), by history index. */
export interface ReplayedStep {
  index: number;
  result: StepResult;
  calls: string[];
}

/** A point in a session the engine can go back to: how many steps had run. */
export interface Checkpoint {
  readonly steps: number;
}

export interface SandboxEngine {
  readonly kind: EngineKind;
  /** The live child's pid; null on the simulated engine. */
  pid(): number | null;
  /** Run one step. `delta: false` (a load, a restore) leaves `changed` and `removed` empty: nobody looks at them. */
  step(step: ScriptStep, delta?: boolean): Promise<EngineStep>;
  view(): Promise<EngineView>;
  /** Read-only: `size` bytes of the sandbox process from `address`, unreadable pages as holes. */
  read(address: bigint, size: number): Promise<MemoryChunk>;
  /** The point after the steps run so far. */
  checkpoint(): Checkpoint;
  /** Go back to a checkpoint taken earlier; later steps are forgotten. */
  restore(checkpoint: Checkpoint): Promise<void>;
  /**
   * The earlier steps a fresh child replayed since the last call (after a fault or an undo), with
   * their results in that child; an engine that never replaces its process has none.
   */
  takeReplayed?(): ReplayedStep[];
  dispose(): void;
}

/** Bases present before a step and gone after it. */
export function removedBases(
  before: readonly string[],
  after: readonly SandboxAllocation[],
): string[] {
  const now = new Set(after.map((a) => a.base));
  return before.filter((base) => !now.has(base));
}
