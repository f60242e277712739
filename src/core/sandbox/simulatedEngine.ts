/**
 * The simulated sandbox engine: a simulated machine and process that stay alive between steps,
 * so a step costs the same at step 5,000 as at step 5. Steps run through the one runner and op
 * table (runner.ts, ops.ts) and report the public JSON (docs/sandbox-script.md). A failing step
 * never stops the script. Names bound with `as` hold the step's returned address, or 0 when it
 * failed, just as a C variable would hold NULL, so later steps fail the way a real program would.
 *
 * Checkpoints: the engine copies the whole simulation now and then (cloneGraph), spaced so the
 * copies cost about as much time as the steps between them; going back restores the nearest copy
 * and runs again only the steps after it.
 */
import { formatAddress } from '../../shared/address';
import type { MachineView } from '../../shared/machineView';
import type { Counters } from '../../shared/model';
import type { SandboxAllocation } from '../../shared/sandboxSession';
import { VmscopeError } from '../../shared/errors';
import type {
  MachineSettings,
  SandboxRunResult,
  SandboxScript,
  ScriptStep,
} from '../../shared/sandboxScript';
import { PAGE_SIZE } from '../sim/layout';
import { machineView } from '../sim/machineView';
import { processCounters, processRegions } from '../sim/report';
import type { Allocation } from '../sim/allocation';
import type { SimProcess } from '../sim/process';
import { readSimulatedMemory } from '../sim/pageContents';
import type { MemoryChunk } from '../../shared/memoryContents';
import { adoptSections, sectionsOf } from '../sim/sections';
import { createSimulation } from '../sim/simulation';
import { SimulatedMachine, defaultCast } from '../sources/simulated/simulatedMachine';
import { type Checkpoint, type EngineStep, type EngineView, type SandboxEngine } from './engine';
import { DEFAULT_LIMITS, bytesText, limitExceeded } from './limits';
import { type SimTarget, simulatedHandler } from './ops';
import { StepRunner } from './runner';
import { allocationCells } from './simulated/allocationCells';
import { cloneGraph } from './simulated/cloneGraph';

/** The simulated source's cast, when a step names one of its processes; unknown names are a script error. */
function checkCastName(name: string, where: string): void {
  const known = defaultCast().map((m) => m.name);
  if (!known.includes(name))
    throw new VmscopeError(
      'invalid-input',
      `${where}process: no simulated process "${name}" (there are: ${known.join(', ')})`,
    );
}

/** The simulated source's machine, fresh, seeded, its clock stopped after the warm-up. */
const newCast = (): SimulatedMachine => new SimulatedMachine({ now: () => 0 });

function newRunner(
  machine: MachineSettings | undefined,
  cast: SimulatedMachine | null,
): StepRunner<SimTarget> {
  return new StepRunner<SimTarget>(
    { sim: createSimulation(machine, cast?.machine), cast },
    simulatedHandler,
  );
}

/** Bytes of the pages the sandbox process has touched: each one is an entry the simulator keeps. */
function touchedBytes(process: SimProcess): number {
  let pages = 0;
  for (const a of process.space.all) pages += a.pages.size;
  return pages * PAGE_SIZE;
}

/** The pages a step may touch for the first time: those of its range not touched yet. */
function newlyTouched(process: SimProcess, address: bigint, size: bigint): number {
  if (size <= 0n) size = 1n;
  const from = Number(address / BigInt(PAGE_SIZE));
  const to = Number((address + size + BigInt(PAGE_SIZE) - 1n) / BigInt(PAGE_SIZE));
  const a = process.space.findPage(from);
  const already = a ? a.touchedIn(from, Math.min(to, a.endPage)).length : 0;
  return (to - from - already) * PAGE_SIZE;
}

interface Copy {
  steps: number;
  runner: StepRunner<SimTarget>;
}

/** A copy of a whole simulation and the runner's names, sharing nothing with the original. */
function copyRunner(runner: StepRunner<SimTarget>): StepRunner<SimTarget> {
  const { sim, cast } = runner.target;
  const copied = cloneGraph({ sim, sections: sectionsOf(sim.machine) });
  adoptSections(copied.sim.machine, copied.sections);
  const copy = new StepRunner<SimTarget>({ sim: copied.sim, cast }, simulatedHandler);
  for (const [name, value] of runner.bindings) copy.bindings.set(name, value);
  return copy;
}

/** Ops whose changes stay in their address range and the working set (see narrowChanges); the others report every allocation. */
const NARROW_OPS = new Set<ScriptStep['op']>([
  'VirtualAlloc',
  'VirtualFree',
  'VirtualProtect',
  'VirtualQuery',
  'QueryWorkingSetEx',
  'VirtualLock',
  'VirtualUnlock',
  'Read',
  'Write',
  'Execute',
  'GetWriteWatch',
  'ResetWriteWatch',
  'GetProcessMemoryInfo',
  'GetSystemInfo',
]);

/**
 * A copy is taken once the steps since the last one took this many times what that copy took:
 * copies then cost at most 1/COPY_SPACING of the steps' own time, and an undo at most a copy
 * plus COPY_SPACING copies' worth of steps run again.
 */
const COPY_SPACING = 4;

/** At most this many copies are kept; older ones are thinned out (undo far back runs more steps again). */
const MAX_COPIES = 12;

export class SimulatedEngine implements SandboxEngine {
  readonly kind = 'simulated' as const;
  private runner: StepRunner<SimTarget>;
  /** Every step run so far, parsed: what a restore runs again after the nearest copy. */
  private readonly log: ScriptStep[] = [];
  private copies: Copy[] = [];
  /** Time spent in steps since the last copy, and what the last copy cost. */
  private sinceCopyMs = 0;
  private copyMs = 0;
  /** What process start touched (stack, PEB, TEB, heap header): the cap counts the script's own pages. */
  private readonly startTouched: number;

  constructor(
    private readonly machine: MachineSettings | undefined,
    private readonly touchedCap = DEFAULT_LIMITS.simulatedTouchedBytes,
  ) {
    this.runner = newRunner(machine, null);
    this.startTouched = touchedBytes(this.process);
  }

  pid(): null {
    return null;
  }

  private get process(): SimProcess {
    return this.runner.target.sim.process;
  }

  async step(step: ScriptStep, delta = true): Promise<EngineStep> {
    const started = performance.now();
    this.joinCast(step);
    this.checkTouchCap(step);
    const process = this.process;
    const wide = !NARROW_OPS.has(step.op);
    const before = !delta ? [] : wide ? process.space.all.slice() : this.inRange(step, null);
    const written = this.pagesWritten();
    const changedPages = new Set<number>();
    process.workingSet.changed = changedPages;
    let result;
    try {
      result = this.runner.run(step);
    } finally {
      process.workingSet.changed = null;
    }
    this.log.push(step);
    const changes = !delta
      ? { changed: [], removed: [] }
      : wide || written !== this.pagesWritten()
        ? this.allChanges(before)
        : this.narrowChanges(step, before, changedPages, result.returned);
    const out = {
      result,
      calls: [],
      restarted: false,
      ...changes,
      counters: this.counters(),
      ...(delta ? { machine: this.machineView() } : {}),
    };
    this.sinceCopyMs += performance.now() - started;
    if (!this.runner.target.cast && this.sinceCopyMs >= COPY_SPACING * Math.max(this.copyMs, 0.25))
      this.takeCopy();
    return out;
  }

  async view(): Promise<EngineView> {
    return {
      allocations: this.process.space.all.map((a) => allocationCells(this.process, a)),
      regions: processRegions(this.process),
      counters: this.counters(),
      machine: this.machineView(),
    };
  }

  async read(address: bigint, size: number): Promise<MemoryChunk> {
    return readSimulatedMemory(this.process, address, size);
  }

  /** The sandbox machine's pages by list and use: its own process, and the cast's when a step joined it. */
  private machineView(): MachineView {
    const { sim, cast } = this.runner.target;
    const processes = [sim.process, ...(cast?.processes().map((p) => p.process) ?? [])];
    // Stamped with the session machine's own clock, not the wall's: a view is then a function of
    // the steps alone, so a restored engine's equals a fresh one's.
    return machineView(sim.machine, processes, new Date(sim.machine.now).toISOString());
  }

  checkpoint(): Checkpoint {
    return { steps: this.log.length };
  }

  async restore(checkpoint: Checkpoint): Promise<void> {
    const steps = Math.max(0, Math.min(checkpoint.steps, this.log.length));
    this.copies = this.copies.filter((c) => c.steps <= steps);
    const nearest = this.copies[this.copies.length - 1];
    const usesCast = this.log.slice(0, steps).some((s) => 'process' in s && s.process);
    this.runner = nearest
      ? copyRunner(nearest.runner)
      : newRunner(this.machine, usesCast ? newCast() : null);
    for (let i = nearest?.steps ?? 0; i < steps; i++) this.runner.run(this.log[i]!);
    this.log.length = steps;
    this.sinceCopyMs = 0;
  }

  dispose(): void {}

  /** Counters as GetProcessMemoryInfo returns them. */
  private counters(): Counters {
    return processCounters(this.process);
  }

  /** Pages the modified page writer has written: it clears dirty bits anywhere, so after it ran every allocation may have changed. */
  private pagesWritten(): number {
    return this.runner.target.sim.machine.stats().pagesWritten;
  }

  /** After paging work, a heap or a mapping call (which commit and map where they like): every allocation, and those that went. */
  private allChanges(before: readonly Allocation[]): {
    changed: SandboxAllocation[];
    removed: string[];
  } {
    const process = this.process;
    const now = new Set(process.space.all);
    return {
      changed: process.space.all.map((a) => allocationCells(process, a)),
      removed: before.filter((a) => !now.has(a)).map((a) => formatAddress(a.base)),
    };
  }

  /**
   * The allocations a Virtual* call or an access changed, without looking at the others: those
   * in its range before and after it (VirtualAlloc's range is where it placed the allocation),
   * and those whose pages entered or left the working set.
   */
  private narrowChanges(
    step: ScriptStep,
    before: Allocation[],
    pages: Set<number>,
    returned: unknown,
  ): { changed: SandboxAllocation[]; removed: string[] } {
    const process = this.process;
    const placed =
      step.op === 'VirtualAlloc' && typeof returned === 'string' ? BigInt(returned) : null;
    const touched = new Set(this.inRange(step, placed));
    for (const page of pages) {
      const a = process.space.findPage(page);
      if (a) touched.add(a);
    }
    const removed: string[] = [];
    for (const a of before) {
      if (process.space.findPage(a.basePage) === a) touched.add(a);
      else removed.push(formatAddress(a.base));
    }
    const changed = [...touched]
      .sort((x, y) => x.basePage - y.basePage)
      .map((a) => allocationCells(process, a));
    return { changed, removed };
  }

  /** The allocations that overlap the step's address range now (`placed`: where VirtualAlloc put it). */
  private inRange(step: ScriptStep, placed: bigint | null): Allocation[] {
    if (!('address' in step)) return [];
    const from = placed ?? this.runner.address(step.address);
    const size = 'size' in step && typeof step.size === 'bigint' && step.size > 0n ? step.size : 1n;
    const space = this.process.space;
    const first = Number(from / BigInt(PAGE_SIZE));
    const end = Number((from + size + BigInt(PAGE_SIZE) - 1n) / BigInt(PAGE_SIZE));
    const out: Allocation[] = [];
    for (
      let a = space.findPage(first) ?? space.nextAfter(first);
      a && a.basePage < end;
      a = space.nextAfter(a.basePage)
    )
      out.push(a);
    return out;
  }

  /** A step naming a simulated process: the sandbox moves onto that machine (once), running its steps so far again there. */
  private joinCast(step: ScriptStep): void {
    if (!('process' in step) || !step.process) return;
    checkCastName(step.process, '');
    if (this.runner.target.cast) return;
    const runner = newRunner(this.machine, newCast());
    for (const s of this.log) runner.run(s);
    this.runner = runner;
    this.copies = [];
  }

  /** Touching a page makes the simulator keep an entry for it: refuse a step that would pass the cap, before it runs. */
  private checkTouchCap(step: ScriptStep): void {
    if (
      step.op !== 'Read' &&
      step.op !== 'Write' &&
      step.op !== 'Execute' &&
      step.op !== 'VirtualLock'
    )
      return;
    const size = step.op === 'Execute' ? 1n : step.size;
    const address = this.runner.address(step.address);
    const adds = newlyTouched(this.process, address, size);
    if (adds <= 0) return;
    const now = touchedBytes(this.process) - this.startTouched;
    if (now + adds > this.touchedCap) {
      throw limitExceeded(
        `${bytesText(this.touchedCap)} of touched pages in the simulated sandbox`,
        `${step.op} of ${bytesText(Number(size))} would bring the pages the sandbox has touched from ${bytesText(now)} to ${bytesText(now + adds)}; the step was not run`,
      );
    }
  }

  private takeCopy(): void {
    const started = performance.now();
    this.copies.push({ steps: this.log.length, runner: copyRunner(this.runner) });
    if (this.copies.length > MAX_COPIES)
      this.copies = this.copies.filter((_, i) => i % 2 === 1 || i === this.copies.length - 1);
    this.copyMs = performance.now() - started;
    this.sinceCopyMs = 0;
  }
}

/** Run a validated script on a fresh simulated machine. Same script, same output. */
export function runSimulated(script: SandboxScript): SandboxRunResult {
  script.steps.forEach((s, i) => {
    if ('process' in s && s.process) checkCastName(s.process, `steps.${i}.`);
  });
  const usesCast = script.steps.some((s) => 'process' in s && s.process);
  const runner = newRunner(script.machine, usesCast ? newCast() : null);
  const steps = script.steps.map((step) => runner.run(step));
  return { steps, regions: processRegions(runner.target.sim.process) };
}
