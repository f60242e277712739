/**
 * A sandbox session as the UI sees it: the steps run so far with their results, the sandbox's
 * allocations page by page, and its counters. Sessions live in the service (src/core/sandbox/session.ts);
 * the engine is the simulated Windows model or a live child process making real calls.
 */
import type { MachineView } from './machineView';
import type { Counters, Region, RegionType, SourceId } from './model';
import { ENGINE_KINDS, type EngineKind } from './engineKinds';
import type { SandboxRunResult, StepResult } from './sandboxScript';

/** The engine kinds a session may use (the same as a script's `engine`). */
export const SESSION_ENGINES = ENGINE_KINDS;
export type SessionEngine = EngineKind;

/** One page of an allocation. `null` where the engine cannot tell (e.g. dirty on Linux). */
export interface PageCell {
  state: 'reserved' | 'committed';
  /** PAGE_* name with modifiers; null for reserved pages (what VirtualQuery reports). */
  protect: string | null;
  inWorkingSet: boolean | null;
  locked: boolean | null;
  guard: boolean;
  dirty: boolean | null;
}

/** One reservation and its pages, in address order. */
export interface SandboxAllocation {
  /** Hex, like every address in the model. */
  base: string;
  size: number;
  /** MEMORY_BASIC_INFORMATION.Type: private memory, or a mapped view (or image). */
  type: RegionType;
  /** At most MAX_GRID_PAGES pages; `truncated` says when the allocation has more. */
  pages: PageCell[];
  truncated: boolean;
  /** What the allocation is, where the engine knows (simulated: an image's file, a thread's stack, the PEB). */
  label?: string;
  /**
   * Every page of the allocation, as runs of pages alike (in order, together covering it): how
   * the grid draws a 1 TiB reservation without a cell per page. Engines that send only `pages`
   * (the live one: its allocations are small) leave it out.
   */
  runs?: PageRun[];
}

/** `count` pages alike from page `start` of an allocation. */
export interface PageRun {
  start: number;
  count: number;
  page: PageCell;
}

/** Two pages that look alike in the grid (every field the same). */
export const samePageCell = (a: PageCell, b: PageCell): boolean =>
  a.state === b.state &&
  a.protect === b.protect &&
  a.inWorkingSet === b.inWorkingSet &&
  a.locked === b.locked &&
  a.guard === b.guard &&
  a.dirty === b.dirty;

/** Runs at most per allocation: beyond them the rest is one run with `truncated` set. */
export const MAX_GRID_RUNS = 16_384;

export const MAX_GRID_PAGES = 4096;

/** The counters the chart plots after each step. */
export interface CounterPoint {
  workingSetSize: number;
  privateUsage: number | null;
}

export interface HistoryEntry {
  /** When the step ran (ms since the epoch, like sample times): the chart's marker. */
  at: number;
  /** The step as it was sent (script JSON), so the history saves as a script. */
  step: Record<string, unknown>;
  result: StepResult;
  /** The real calls the live engine made for this step (empty on the simulated engine). */
  calls: string[];
  after: CounterPoint;
  /** The live child died in this step (a real access violation) and a fresh one replaced it. */
  restarted: boolean;
  /**
   * The pid of the live child that ran this step as shown, when a fresh child replayed it after
   * the one that first ran it was replaced (a fault, an undo): the result and calls are that
   * child's, so its addresses are the ones in use now.
   */
  replayedIn?: number;
}

export interface SandboxState {
  session: string;
  engine: SessionEngine;
  /** The live child's pid (an ordinary process the inspector can open); null on the simulated engine. */
  pid: number | null;
  /** The source that reads the live child (`linux` or `windows`); null on the simulated engine. */
  source: SourceId | null;
  history: HistoryEntry[];
  allocations: SandboxAllocation[];
  regions: Region[];
  counters: Counters;
  /** The simulated sandbox machine's physical memory (lists, uses, processes); null on the live engine. */
  machine: MachineView | null;
}

/**
 * What `sandbox.step` returns: the step's history entry and what it changed, never the whole
 * state (which grows with the session). Apply it to the state with applySandboxDelta.
 */
export interface SandboxDelta {
  session: string;
  engine: SessionEngine;
  /** May change: a real fault replaces the live child. */
  pid: number | null;
  source: SourceId | null;
  /** The history's length after the step; `entry` is its last. */
  length: number;
  entry: HistoryEntry;
  /** Earlier entries a fresh live child replayed in this step (it replaced one a fault killed), by index. */
  replayed: { index: number; entry: HistoryEntry }[];
  /** Allocations whose pages the step changed, page by page: they replace those with the same base. */
  allocations: SandboxAllocation[];
  /** Bases of allocations the step removed. */
  removed: string[];
  counters: Counters;
  /** The machine after the step (simulated); null on the live engine. */
  machine: MachineView | null;
}

/**
 * The state after a step, from the state before it and the step's delta. Regions are not in a
 * delta (they belong to the whole state, `sandbox.state`), so they are kept as they were.
 */
export function applySandboxDelta(state: SandboxState, delta: SandboxDelta): SandboxState {
  const gone = new Set([...delta.removed, ...delta.allocations.map((a) => a.base)]);
  const allocations = [...state.allocations.filter((a) => !gone.has(a.base)), ...delta.allocations];
  allocations.sort((a, b) =>
    BigInt(a.base) < BigInt(b.base) ? -1 : BigInt(a.base) > BigInt(b.base) ? 1 : 0,
  );
  const history = [...state.history.slice(0, delta.length - 1), delta.entry];
  for (const { index, entry } of delta.replayed) history[index] = entry;
  return {
    ...state,
    pid: delta.pid,
    source: delta.source,
    history,
    allocations,
    counters: delta.counters,
    machine: delta.machine,
  };
}

/** The version of what `vmscope sandbox run` prints (docs/sandbox-script.md, "Output"). */
export const SANDBOX_RUN_VERSION = 3;

/** What `vmscope sandbox run` prints, the same shape on every engine. */
export interface SandboxRunOutput extends SandboxRunResult {
  version: typeof SANDBOX_RUN_VERSION;
  engine: EngineKind;
  /** Each step's result, the real calls it made (live; empty on the simulated engine), and whether it replaced the live child. */
  steps: (StepResult & { calls: string[]; restarted: boolean })[];
  /** The sandbox's own regions at the end: the whole address space (simulated), or the child's regions in the sandbox's allocations (live). */
  regions: Region[];
  /** The sandbox's allocations page by page at the end. */
  allocations: SandboxAllocation[];
  counters: Counters;
}
