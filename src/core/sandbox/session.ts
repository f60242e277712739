/**
 * Sandbox sessions: a script built one step at a time on one engine (engine.ts), which keeps its
 * machine or child alive between steps. A next step is checked on its own against the names bound
 * so far (validateNextStep); a failing call or an access violation is a result, never an error.
 * A step answers with what it changed; undo restores the engine's checkpoint from before the last
 * step. Every change is reported to `journal`, so a fresh worker can rebuild the sessions
 * (journal.ts, `restore`).
 */
import { randomUUID } from 'node:crypto';
import { VmscopeError } from '../../shared/errors';
import type { SourceId } from '../../shared/model';
import {
  type SandboxDelta,
  type HistoryEntry,
  type SandboxState,
  type SessionEngine,
} from '../../shared/sandboxSession';
import {
  type MachineSettings,
  type ScriptStep,
  boundNames,
  parseSandboxScript,
  validateNextStep,
} from '../../shared/sandboxScript';
import type { Checkpoint, SandboxEngine } from './engine';
import type { MemoryChunk } from '../../shared/memoryContents';
import type { JournalChange, SessionRecord } from './journal';
import { DEFAULT_LIMITS, type SandboxLimits, limitExceeded } from './limits';
import type { ChildCommand } from './live/liveChild';
import { LiveEngine } from './live/liveEngine';
import type { LiveCaps } from './live/protocol';
import { nativePlatform } from '../platform';
import { SimulatedEngine } from './simulatedEngine';

interface Session {
  id: string;
  kind: SessionEngine;
  machine: MachineSettings | undefined;
  engine: SandboxEngine;
  history: HistoryEntry[];
  /** The engine's checkpoint before each history entry: undo restores the last one. */
  checkpoints: Checkpoint[];
  /** Names the history binds with `as`, for checking the next step. */
  bound: Set<string>;
}

export interface SessionOptions {
  /** How many sessions may be open at once (each live one is a process). */
  maxSessions?: number;
  liveCaps?: LiveCaps;
  /** How to start the live child; by default from where this code runs (see defaultChildCommand). The desktop app names its own entry. */
  liveChild?: ChildCommand;
  /** Steps, touched bytes and wall time per call (limits.ts); each field defaults to DEFAULT_LIMITS. */
  limits?: Partial<SandboxLimits>;
  /** Told of every change to a session, as it happens (journal.ts). */
  journal?: (change: JournalChange) => void;
}

export interface OpenInput {
  engine: SessionEngine;
  machine?: MachineSettings | undefined;
}

/** A call's deadline: checked between steps, so a long load or restore stops with a clear error. */
class Deadline {
  private readonly end: number;
  constructor(private readonly ms: number) {
    this.end = performance.now() + ms;
  }
  check(what: string, done: number): void {
    if (performance.now() > this.end)
      throw limitExceeded(
        `${this.ms} ms per call`,
        `${what} ran out of time after ${done} step(s); those steps stay in the history`,
      );
  }
}

export class SandboxSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly maxSessions: number;
  private readonly limits: SandboxLimits;
  private readonly evicted = new Set<string>();

  constructor(private readonly options: SessionOptions = {}) {
    this.maxSessions = options.maxSessions ?? 8;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  async open(input: OpenInput): Promise<SandboxState> {
    const session = await this.openAs(randomUUID(), input.engine, input.machine);
    return this.state(session.id);
  }

  /** Run one step (script JSON): its history entry and what it changed. A malformed step is an `invalid-input` error naming the field. */
  async step(id: string, raw: Record<string, unknown>): Promise<SandboxDelta> {
    const session = this.get(id);
    const run = await this.runStep(session, raw, '');
    this.journal({ change: 'step', id, step: raw });
    return {
      ...this.identity(session),
      length: session.history.length,
      entry: session.history[session.history.length - 1]!,
      replayed: run.replayed.map((index) => ({ index, entry: session.history[index]! })),
      allocations: run.changed,
      removed: run.removed,
      counters: run.counters,
      machine: run.machine ?? null,
    };
  }

  async state(id: string): Promise<SandboxState> {
    const session = this.get(id);
    const { machine, ...view } = await session.engine.view();
    return {
      ...this.identity(session),
      history: session.history,
      ...view,
      machine: machine ?? null,
    };
  }

  /** Read-only: bytes of the session's process (the model's, or the live child's real ones). */
  read(id: string, address: bigint, size: number): Promise<MemoryChunk> {
    return this.get(id).engine.read(address, size);
  }

  /** Replace the history with a script's steps and run them all. */
  async load(id: string, script: unknown): Promise<SandboxState> {
    const session = this.get(id);
    const count = (script as { steps?: unknown } | null)?.steps;
    if (Array.isArray(count) && count.length > this.limits.maxSteps) {
      throw limitExceeded(
        `${this.limits.maxSteps} steps per script`,
        `The script has ${count.length} steps`,
      );
    }
    const parsed = parseSandboxScript(script);
    if (!parsed.ok)
      throw new VmscopeError(
        'invalid-input',
        `The script is not valid: ${parsed.errors.join('; ')}`,
      );
    const raws = (script as { steps: Record<string, unknown>[] }).steps;
    await this.replace(session, parsed.script.machine ?? session.machine);
    try {
      await this.runParsed(session, raws, parsed.script.steps, 'load');
    } finally {
      this.journal({
        change: 'replace',
        id,
        machine: session.machine,
        steps: session.history.map((h) => h.step),
      });
    }
    return this.state(id);
  }

  async reset(id: string): Promise<SandboxState> {
    const session = this.get(id);
    await this.replace(session, session.machine);
    this.journal({ change: 'replace', id, machine: session.machine, steps: [] });
    return this.state(id);
  }

  /** Go back to the checkpoint from before the last step. */
  async undo(id: string): Promise<SandboxState> {
    const session = this.get(id);
    const checkpoint = session.checkpoints.pop();
    if (checkpoint) {
      await session.engine.restore(checkpoint);
      session.history.pop();
      this.takeReplayed(session);
      session.bound = boundNames(session.history.map((h) => h.step));
      this.journal({ change: 'truncate', id, length: session.history.length });
    }
    return this.state(id);
  }

  close(id: string): void {
    this.get(id).engine.dispose();
    this.sessions.delete(id);
    this.journal({ change: 'close', id });
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  /**
   * Rebuild sessions from their records (a fresh worker after the old one died): each reopens
   * under its old id and runs its steps again. A session whose steps fail now keeps those that ran.
   */
  async restore(records: SessionRecord[]): Promise<void> {
    for (const record of records) {
      const session = await this.openAs(record.id, record.engine, record.machine);
      try {
        for (const raw of record.steps) await this.runStep(session, raw, 'restore');
      } catch {
        // The record ran differently this time (a limit, a live child that cannot start): keep what ran.
      } finally {
        this.journal({
          change: 'replace',
          id: record.id,
          machine: record.machine,
          steps: session.history.map((h) => h.step),
        });
      }
    }
  }

  private async openAs(
    id: string,
    kind: SessionEngine,
    machine: MachineSettings | undefined,
  ): Promise<Session> {
    // A reloaded page never closes its session: make room by closing the one used longest ago.
    if (this.sessions.size >= this.maxSessions) this.evictOldest();
    const session: Session = {
      id,
      kind,
      machine,
      engine: await this.createEngine(kind, machine),
      history: [],
      checkpoints: [],
      bound: new Set(),
    };
    this.sessions.set(id, session);
    this.evicted.delete(id);
    this.journal({ change: 'open', id, engine: kind, machine });
    return session;
  }

  private identity(session: Session): {
    session: string;
    engine: SessionEngine;
    pid: number | null;
    source: SourceId | null;
  } {
    return {
      session: session.id,
      engine: session.kind,
      pid: session.engine.pid(),
      // The live child runs on this machine, so the platform's own source reads it.
      source: session.kind === 'live' ? (nativePlatform?.sourceId ?? null) : null,
    };
  }

  private journal(change: JournalChange): void {
    this.options.journal?.(change);
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
      throw new VmscopeError(
        'not-found',
        `Sandbox session ${id} was closed to make room: at most ${this.maxSessions} may be open. Open a new one.`,
      );
    }
    throw new VmscopeError(
      'not-found',
      `No sandbox session ${id}: it was closed, or the service restarted. Open a new one.`,
    );
  }

  private evictOldest(): void {
    const [oldest] = this.sessions.keys();
    if (oldest === undefined) return;
    this.close(oldest);
    this.evicted.add(oldest);
  }

  private async createEngine(
    kind: SessionEngine,
    machine: MachineSettings | undefined,
  ): Promise<SandboxEngine> {
    if (kind === 'simulated')
      return new SimulatedEngine(machine, this.limits.simulatedTouchedBytes);
    const engine = new LiveEngine(
      this.options.liveCaps,
      this.options.liveChild,
      this.limits.callMs,
    );
    await engine.start();
    return engine;
  }

  /** A fresh engine and an empty history (load, reset). */
  private async replace(session: Session, machine: MachineSettings | undefined): Promise<void> {
    session.engine.dispose();
    session.machine = machine;
    session.history = [];
    session.checkpoints = [];
    session.bound = new Set();
    session.engine = await this.createEngine(session.kind, machine);
  }

  /** Check one step against the names bound so far, then run it. */
  private async runStep(session: Session, raw: Record<string, unknown>, context: string) {
    if (session.history.length >= this.limits.maxSteps) {
      throw limitExceeded(
        `${this.limits.maxSteps} steps per session`,
        `Session ${session.id} already has ${session.history.length} steps`,
      );
    }
    const checked = validateNextStep(raw, session.bound);
    if (!checked.ok)
      throw new VmscopeError(
        'invalid-input',
        `Step ${session.history.length + 1}${context ? ` (${context})` : ''}: ${checked.errors.join('; ')}`,
      );
    return this.record(session, raw, checked.step, context === '');
  }

  /** Steps already checked as a whole script: run them in order, within the call's wall time. */
  private async runParsed(
    session: Session,
    raws: Record<string, unknown>[],
    steps: ScriptStep[],
    what: string,
  ): Promise<void> {
    const deadline = new Deadline(this.limits.callMs);
    for (const [i, step] of steps.entries()) {
      deadline.check(`The ${what}`, i);
      await this.record(session, raws[i]!, step, false);
    }
  }

  private async record(
    session: Session,
    raw: Record<string, unknown>,
    step: ScriptStep,
    delta: boolean,
  ) {
    const checkpoint = session.engine.checkpoint();
    const run = await session.engine.step(step, delta);
    const replayed = this.takeReplayed(session);
    session.checkpoints.push(checkpoint);
    session.history.push({
      at: Date.now(),
      step: raw,
      result: run.result,
      calls: run.calls,
      after: {
        workingSetSize: run.counters.workingSetSize,
        privateUsage: run.counters.privateUsage,
      },
      restarted: run.restarted,
    });
    if (step.as) session.bound.add(step.as);
    return { ...run, replayed };
  }

  /**
   * A fresh live child replayed earlier steps: their entries take its results (its addresses; names
   * bound with `as` rebind in it as it replays), so the history shows the child in use now.
   */
  private takeReplayed(session: Session): number[] {
    const replayed = session.engine.takeReplayed?.() ?? [];
    const pid = session.engine.pid() ?? undefined;
    for (const { index, result, calls } of replayed) {
      const entry = session.history[index];
      if (entry)
        session.history[index] = { ...entry, result, calls, ...(pid ? { replayedIn: pid } : {}) };
    }
    return replayed.map((r) => r.index).filter((i) => i < session.history.length);
  }
}
