/**
 * Sandbox sessions: a script built one step at a time, on the simulated engine or the live one.
 * Each step is validated against the whole script so far (names bound by `as` included); a
 * failing call or an access violation is a result, never an error. Undo is reset-and-replay.
 */
import { randomUUID } from 'node:crypto';
import { VmscopeError } from '../../shared/errors';
import type { Counters, Region } from '../../shared/model';
import {
  MAX_GRID_PAGES,
  type HistoryEntry,
  type PageCell,
  type SandboxAllocation,
  type SandboxState,
  type SessionEngine,
} from '../../shared/sandboxSession';
import { type MachineSettings, type SandboxRunResult, type ScriptStep, parseSandboxScript } from '../../shared/sandboxScript';
import { nativePlatform, requireNativePlatform } from '../platform';
import type { Source } from '../sources/source';
import { type ChildCommand, type EngineRun, LiveEngine } from './live/liveEngine';
import type { LiveCaps } from './live/protocol';
import { replaySimulated, runSimulated } from './simulatedEngine';
import { processPageRuns } from '../sim/pageStates';
import type { SimProcess } from '../sim/process';

interface EngineView {
  allocations: SandboxAllocation[];
  regions: Region[];
  counters: Counters;
}

/** What a session needs from an engine. */
interface Engine {
  pid(): number | null;
  run(step: ScriptStep): Promise<EngineRun>;
  view(): Promise<EngineView>;
  /** Just the counters (after each step, for the chart): cheaper than a whole view. */
  counters(): Promise<Counters>;
  dispose(): void;
}

const PAGE = 4096;

/**
 * The sandbox's allocations page by page: state and protection from the regions (each region is
 * one run of equal state and protection), and residency, locks and dirty bits from the model
 * itself, which knows every page.
 */
function allocationsFromRegions(regions: Region[], process: SimProcess): SandboxAllocation[] {
  const byBase = new Map<string, SandboxAllocation>();
  for (const region of regions) {
    if (region.state === 'free' || region.allocationBase === null || region.kind === 'unusable') continue;
    let allocation = byBase.get(region.allocationBase);
    if (!allocation) {
      allocation = { base: region.allocationBase, size: 0, type: region.type ?? 'private', pages: [], truncated: false };
      byBase.set(region.allocationBase, allocation);
    }
    const count = region.size / PAGE;
    const room = MAX_GRID_PAGES - allocation.pages.length;
    const shown = Math.min(count, room);
    const firstPage = Number(BigInt(region.base) / BigInt(PAGE));
    const committed = region.state === 'committed';
    const guard = (region.protect ?? '').includes('PAGE_GUARD');
    for (const run of processPageRuns(process, firstPage, shown)) {
      const cell: PageCell = {
        state: committed ? 'committed' : 'reserved',
        protect: committed ? region.protect : null,
        inWorkingSet: run.resident,
        locked: run.locked,
        guard,
        dirty: run.dirty,
      };
      for (let i = 0; i < run.count; i++) allocation.pages.push(cell);
    }
    allocation.size += region.size;
    if (count > room) allocation.truncated = true;
  }
  return [...byBase.values()];
}

/** The simulated engine replays the script so far on a fresh machine: deterministic, and fast enough for a playground. */
class SimulatedSessionEngine implements Engine {
  private readonly steps: ScriptStep[] = [];
  constructor(private readonly machine: MachineSettings | undefined) {}
  pid(): null {
    return null;
  }
  async run(step: ScriptStep): Promise<EngineRun> {
    this.steps.push(step);
    const out = runSimulated({ machine: this.machine, steps: this.steps });
    return { result: out.steps[out.steps.length - 1]!, calls: [], restarted: false };
  }
  /** The replay so far plus GetProcessMemoryInfo, whose info is the counters. */
  private replay(): { out: SandboxRunResult; counters: Counters; process: SimProcess } {
    const { result: out, process } = replaySimulated({ machine: this.machine, steps: [...this.steps, { op: 'GetProcessMemoryInfo' }] });
    return { out, counters: out.steps[out.steps.length - 1]!.info as unknown as Counters, process };
  }
  async counters(): Promise<Counters> {
    return this.replay().counters;
  }
  async view(): Promise<EngineView> {
    const { out, counters, process } = this.replay();
    return { allocations: allocationsFromRegions(out.regions, process), regions: out.regions, counters };
  }
  dispose(): void {}
}

/** The source that reads the child's regions as the inspector does; created on first use. */
let childSource: Source | null = null;

class LiveSessionEngine implements Engine {
  private readonly live: LiveEngine;
  private readonly source: Source;
  constructor(caps: LiveCaps | undefined, child: ChildCommand | undefined) {
    childSource ??= requireNativePlatform('The live sandbox').createSource();
    this.source = childSource;
    this.live = new LiveEngine(caps, child);
  }
  start(): Promise<void> {
    return this.live.start();
  }
  pid(): number | null {
    return this.live.pid();
  }
  async run(step: ScriptStep): Promise<EngineRun> {
    const run = await this.live.run(step);
    if (step.op !== 'GetProcessMemoryInfo') return run;
    return { ...run, result: { ...run.result, info: { ...(await this.counters()) } } };
  }
  async counters(): Promise<Counters> {
    return (await this.live.view()).counters;
  }
  /** The child's own regions (as the inspector reads them: /proc/PID/smaps, or VirtualQueryEx) that lie in the sandbox's allocations. */
  async view(): Promise<EngineView> {
    const view = await this.live.view();
    const pid = this.live.pid();
    if (pid === null || view.allocations.length === 0) return { ...view, regions: [] };
    const ranges = view.allocations.map((a) => [BigInt(a.base), BigInt(a.base) + BigInt(a.size)] as const);
    const { regions } = await this.source.snapshot(pid, { includeFree: false });
    // Overlap, not containment: the kernel may merge a PROT_NONE tail with a neighbouring PROT_NONE mapping.
    const inSandbox = (r: Region): boolean => ranges.some(([from, to]) => BigInt(r.base) < to && BigInt(r.base) + BigInt(r.size) > from);
    return { ...view, regions: regions.filter(inSandbox) };
  }
  dispose(): void {
    this.live.dispose();
  }
}

interface Session {
  id: string;
  engineName: SessionEngine;
  machine: MachineSettings | undefined;
  engine: Engine;
  history: HistoryEntry[];
}

export interface SessionOptions {
  /** How many sessions may be open at once (each live one is a process). */
  maxSessions?: number;
  liveCaps?: LiveCaps;
  /** How to start the live child; by default from where this code runs (see defaultChildCommand). The desktop app names its own entry. */
  liveChild?: ChildCommand;
}

export interface OpenInput {
  engine: SessionEngine;
  machine?: MachineSettings | undefined;
}

export class SandboxSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly maxSessions: number;
  private readonly evicted = new Set<string>();

  constructor(private readonly options: SessionOptions = {}) {
    this.maxSessions = options.maxSessions ?? 8;
  }

  async open(input: OpenInput): Promise<SandboxState> {
    // A reloaded page never closes its session: make room by closing the one used longest ago.
    if (this.sessions.size >= this.maxSessions) this.evictOldest();
    const session: Session = { id: randomUUID(), engineName: input.engine, machine: input.machine, engine: await this.createEngine(input), history: [] };
    this.sessions.set(session.id, session);
    return this.state(session.id);
  }

  /** Run one step (script JSON). A malformed step is an `invalid-input` error naming the field. */
  async step(id: string, raw: Record<string, unknown>): Promise<SandboxState> {
    const session = this.get(id);
    await this.runSteps(session, [raw]);
    return this.state(id);
  }

  async state(id: string): Promise<SandboxState> {
    const session = this.get(id);
    const view = await session.engine.view();
    return {
      session: id,
      engine: session.engineName,
      pid: session.engine.pid(),
      // The live child runs on this machine, so the platform's own source reads it.
      source: session.engineName === 'live' ? (nativePlatform?.sourceId ?? null) : null,
      history: session.history,
      ...view,
    };
  }

  /** Replace the history with a script's steps and run them all. */
  async load(id: string, script: unknown): Promise<SandboxState> {
    const session = this.get(id);
    const parsed = parseSandboxScript(script);
    if (!parsed.ok) throw new VmscopeError('invalid-input', `The script is not valid: ${parsed.errors.join('; ')}`);
    const steps = (script as { steps: Record<string, unknown>[] }).steps;
    await this.restart(session, parsed.script.machine ?? session.machine);
    await this.runSteps(session, steps);
    return this.state(id);
  }

  async reset(id: string): Promise<SandboxState> {
    await this.restart(this.get(id));
    return this.state(id);
  }

  /** Reset and replay every step but the last. */
  async undo(id: string): Promise<SandboxState> {
    const session = this.get(id);
    const steps = session.history.slice(0, -1).map((entry) => entry.step);
    await this.restart(session);
    await this.runSteps(session, steps);
    return this.state(id);
  }

  close(id: string): void {
    this.get(id).engine.dispose();
    this.sessions.delete(id);
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  private get(id: string): Session {
    const session = this.sessions.get(id);
    if (session) {
      // Map order is use order: the first entry is the least recently used.
      this.sessions.delete(id);
      this.sessions.set(id, session);
      return session;
    }
    if (this.evicted.has(id)) {
      throw new VmscopeError('not-found', `Sandbox session ${id} was closed to make room: at most ${this.maxSessions} may be open. Open a new one.`);
    }
    throw new VmscopeError('not-found', `No sandbox session ${id}: it was closed, or the service restarted. Open a new one.`);
  }

  private evictOldest(): void {
    const [oldest] = this.sessions.keys();
    if (oldest === undefined) return;
    this.close(oldest);
    this.evicted.add(oldest);
  }

  private async createEngine(input: OpenInput): Promise<Engine> {
    if (input.engine === 'simulated') return new SimulatedSessionEngine(input.machine);
    const engine = new LiveSessionEngine(this.options.liveCaps, this.options.liveChild);
    await engine.start();
    return engine;
  }

  private async restart(session: Session, machine = session.machine): Promise<void> {
    session.engine.dispose();
    session.machine = machine;
    session.history = [];
    session.engine = await this.createEngine({ engine: session.engineName, machine });
  }

  /** Validate each step against the script so far, then run it. */
  private async runSteps(session: Session, raws: Record<string, unknown>[]): Promise<void> {
    for (const [i, raw] of raws.entries()) {
      const steps = [...session.history.map((entry) => entry.step), raw];
      const parsed = parseSandboxScript({ steps });
      if (!parsed.ok) {
        const mine = parsed.errors.map((e) => e.replace(`steps.${steps.length - 1}.`, '').replace(`steps.${steps.length - 1}`, 'step'));
        throw new VmscopeError('invalid-input', `Step ${session.history.length + 1}${raws.length > 1 ? ` (script step ${i + 1})` : ''}: ${mine.join('; ')}`);
      }
      const run = await session.engine.run(parsed.script.steps[steps.length - 1]!);
      const counters = await session.engine.counters();
      session.history.push({
        at: Date.now(),
        step: raw,
        result: run.result,
        calls: run.calls,
        after: { workingSetSize: counters.workingSetSize, privateUsage: counters.privateUsage },
        restarted: run.restarted,
      });
    }
  }
}
