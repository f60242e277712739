/**
 * The live child, service side: runs each step in a child process (child.ts) that makes the
 * real calls; the live engine (liveEngine.ts) drives it. When a real fault kills the child (SIGSEGV/SIGBUS on Linux; on Windows the
 * unhandled exception's code is the exit code: 0xC0000005, or 0x80000001 for a guard page), the
 * step reports the exception at the address the child announced last (its touch file), a fresh
 * child starts, and the steps that did not crash are replayed on it, so the session goes on as if
 * the program had caught the exception.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { VmscopeError } from '../../../shared/errors';
import type { MemoryChunk } from '../../../shared/memoryContents';
import { RpcChannel, frameId } from '../../../shared/rpc/channel';
import type { Counters } from '../../../shared/model';
import type { SandboxAllocation } from '../../../shared/sandboxSession';
import type { ScriptStep, StepResult } from '../../../shared/sandboxScript';
import { WIN_EXCEPTIONS, exceptionCodeHex } from '../../../shared/winConstants';
import { nativePlatform } from '../../platform';
import type { CountersReader } from '../../sources/source';
import type { ReplayedStep } from '../engine';
import { limitExceeded } from '../limits';
import { DEFAULT_CAPS, type FromChild, type LiveCaps, TOUCH_LINE, type ToChild } from './protocol';

export interface ChildRun {
  result: StepResult;
  calls: string[];
  /** The step killed the child and a fresh one replaced it. */
  restarted: boolean;
  /** Live: the names bound with `as` and their addresses in the child now (after a restart, the fresh child's). */
  bound?: Record<string, string>;
}

interface Child {
  process: ChildProcess;
  /** Requests and their replies; closed (failing what is pending) when the child exits. */
  channel: RpcChannel<ToChild, FromChild>;
  /** /proc/PID/status on Linux; null on Windows, where the child reports its own counters. */
  counters: CountersReader | null;
  /** The touch file, held open by both sides and unlinked once both have it, so nothing is left behind. */
  touchFd: number;
  /** Resolves once the child has exited. */
  closed: Promise<ChildExit>;
}

interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How the child is started: a module run by Node (or by Electron as Node), with its arguments. */
export interface ChildCommand {
  module: string;
  args: string[];
  execArgv: string[];
}

type Touch = { address: string; access: 'read' | 'write' | 'execute' };

/**
 * How to start the child by default: from source under tsx (dev, tests), or the CLI bundle, which
 * is this very file after bundling, with the hidden `sandbox child` command. The desktop app
 * passes its own entry instead (src/main/sandboxChild.ts, through SessionOptions.liveChild).
 */
export function defaultChildCommand(): ChildCommand {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts'))
    return { module: join(dirname(here), 'childMain.ts'), args: [], execArgv: ['--import', 'tsx'] };
  return { module: here, args: ['sandbox', 'child'], execArgv: [] };
}

function forkChild(command: ChildCommand): ChildProcess {
  return fork(command.module, command.args, {
    execArgv: command.execArgv,
    // In Electron, fork runs Electron's binary: as plain Node, not as another app.
    env: process.versions['electron'] ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The exception a dead child's exit says it died of (Windows: the exit code is the exception code; Linux: a signal, an access violation). */
function exceptionOf(exit: ChildExit): keyof typeof WIN_EXCEPTIONS {
  const code = exit.code === null ? null : exit.code >>> 0;
  const named = Object.entries(WIN_EXCEPTIONS).find(([, value]) => value === code);
  return (named?.[0] as keyof typeof WIN_EXCEPTIONS | undefined) ?? 'EXCEPTION_ACCESS_VIOLATION';
}

export class LiveChild {
  private child: Child | null = null;
  /**
   * What a fresh child replays: the steps that did not kill a child, and the guards the faults
   * cleared, each with how many steps had run once it was done (so a rewind knows where to cut).
   */
  private survivors: { message: ToChild; afterSteps: number }[] = [];
  private stepsRun = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private bound: Record<string, string> = {};
  /** What the last fresh child answered to the steps it replayed, until takeReplayed() collects it. */
  private replayed: ReplayedStep[] = [];

  constructor(
    private readonly caps: LiveCaps = DEFAULT_CAPS,
    private readonly command: ChildCommand = defaultChildCommand(),
    /** How long one step may take in the child before it is stopped (a `limit-exceeded` error). */
    private readonly stepMs = 60_000,
  ) {}

  pid(): number | null {
    return this.child?.process.pid ?? null;
  }

  /** Start the child now (the session shows its pid before the first step). */
  start(): Promise<void> {
    return this.serial(async () => void (await this.ensure()));
  }

  run(step: ScriptStep): Promise<ChildRun> {
    return this.serial(() => this.runNow(step));
  }

  /** The child's own bytes, read by the child itself. */
  read(address: bigint, size: number): Promise<MemoryChunk> {
    return this.serial(async () => {
      const child = await this.ensure();
      const message: ToChild = { id: 0, kind: 'read', address: `0x${address.toString(16)}`, size };
      const reply = await this.request(child, message);
      if (reply?.kind === 'read') return reply.chunk;
      if (reply?.kind === 'readFailed')
        throw new VmscopeError(reply.error.code, reply.error.message);
      throw new VmscopeError(
        'process-exited',
        'The live sandbox child exited while reading its memory.',
      );
    });
  }

  view(): Promise<{ allocations: SandboxAllocation[]; counters: Counters }> {
    return this.serial(async () => {
      const child = await this.ensure();
      const reply = await this.request(child, { id: 0, kind: 'view' });
      if (!reply || reply.kind !== 'view')
        throw new VmscopeError(
          'process-exited',
          'The live sandbox child exited while reporting its pages.',
        );
      return {
        allocations: reply.allocations,
        counters: reply.counters ?? (await child.counters!.read()),
      };
    });
  }

  /**
   * Go back to the point after `steps` steps: a real process cannot undo its calls, so the child
   * is replaced by a fresh one that replays the steps before that point.
   */
  rewind(steps: number): Promise<void> {
    return this.serial(async () => {
      this.survivors = this.survivors.filter((s) => s.afterSteps <= steps);
      this.stepsRun = Math.min(this.stepsRun, steps);
      this.bound = {};
      this.stop();
      await this.ensure();
    });
  }

  /** The steps fresh children replayed since the last call, with their results there. */
  takeReplayed(): ReplayedStep[] {
    const replayed = this.replayed;
    this.replayed = [];
    return replayed;
  }

  dispose(): void {
    this.stop();
  }

  /** Stop the child and wait until it has exited (dispose() only kills it). */
  async close(): Promise<void> {
    const child = this.child;
    this.stop();
    if (child) await child.closed;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private stop(): void {
    const child = this.child;
    this.child = null;
    if (!child) return;
    child.counters?.close();
    if (child.touchFd >= 0) closeSync(child.touchFd);
    child.process.kill('SIGKILL');
  }

  private async ensure(): Promise<Child> {
    if (
      this.child &&
      this.child.process.exitCode === null &&
      this.child.process.signalCode === null
    )
      return this.child;
    this.stop();
    const proc = forkChild(this.command);
    const channel = new RpcChannel<ToChild, FromChild>(
      {
        send: (frame) => void proc.send(frame),
        onFrame: (receive) => proc.on('message', receive),
        // stop() kills the process; the channel closes when it has exited.
        close: () => undefined,
      },
      {
        replyOf: (frame) => {
          const id = frameId(frame);
          return id === undefined ? undefined : { id, reply: frame as FromChild };
        },
        peer: 'the live sandbox child',
      },
    );
    const child: Child = {
      process: proc,
      channel,
      counters: null,
      touchFd: -1,
      closed: once(proc, 'close').then(([code, signal]) => {
        channel.close({ code: 'process-exited', message: 'The live sandbox child exited.' });
        return { code: code as number | null, signal: signal as NodeJS.Signals | null };
      }),
    };
    this.child = child;
    // Where the child records the access it is about to make.
    const touchFile = join(tmpdir(), `vmscope-sandbox-${proc.pid}-${randomUUID()}.touch`);
    const started = await this.request(child, { id: 0, kind: 'init', caps: this.caps, touchFile });
    if (!started) {
      rmSync(touchFile, { force: true });
      throw new VmscopeError(
        'internal',
        'The live sandbox child did not start (is koffi available, and is this Linux or Windows?).',
      );
    }
    child.touchFd = openSync(touchFile, 'r+');
    rmSync(touchFile);
    child.counters = (await nativePlatform?.openCountersReader?.(proc.pid!)) ?? null;
    for (const { message, afterSteps } of this.survivors) {
      const reply = await this.request(child, message);
      if (reply?.kind === 'step') {
        this.bound = reply.bound;
        this.replayed.push({ index: afterSteps - 1, result: reply.result, calls: reply.calls });
      }
    }
    return child;
  }

  /** Send one message; resolves with the reply, or null when the child dies first. */
  private async request(child: Child, message: ToChild): Promise<FromChild | null> {
    const reply = await child.channel.request((id) => ({ ...message, id }));
    return reply.ok ? reply.value : null;
  }

  /** A step's request, stopped after `stepMs`: the child is replaced (replaying the steps before) and the step refused. */
  private async timedStep(child: Child, step: ScriptStep): Promise<FromChild | null> {
    const reply = await child.channel.request((id) => ({ id, kind: 'step', step }), {
      timeoutMs: this.stepMs,
    });
    if (reply.ok) return reply.value;
    if (reply.error.code !== 'limit-exceeded') return null;
    this.stop();
    await child.closed;
    await this.ensure();
    throw limitExceeded(
      `${this.stepMs} ms per call`,
      `The live child did not finish ${step.op} in time; it was stopped and a fresh child replayed the steps before, so the step was not recorded`,
    );
  }

  /** The access the child announced last in this step, if any. */
  private lastTouch(child: Child): Touch | null {
    const buffer = Buffer.alloc(64);
    const length = readSync(child.touchFd, buffer, 0, buffer.length, 0);
    const m = TOUCH_LINE.exec(buffer.toString('latin1', 0, length));
    return m ? { address: m[1]!, access: m[2] as Touch['access'] } : null;
  }

  private async runNow(step: ScriptStep): Promise<ChildRun> {
    const child = await this.ensure();
    ftruncateSync(child.touchFd, 0);
    const reply = await this.timedStep(child, step);
    this.stepsRun++;
    if (reply?.kind === 'step') {
      this.survivors.push({ message: { id: 0, kind: 'step', step }, afterSteps: this.stepsRun });
      this.bound = reply.bound;
      return { result: reply.result, calls: reply.calls, restarted: false, bound: this.bound };
    }
    const exit = await child.closed;
    const touch = this.lastTouch(child);
    this.stop();
    const name = exceptionOf(exit);
    const result: StepResult = {
      op: step.op,
      ok: false,
      returned: null,
      lastError: null,
      exception: {
        code: exceptionCodeHex(name),
        name,
        address: touch?.address ?? '0x0',
        access: touch?.access ?? 'read',
      },
      info: {
        signal: exit.signal,
        exitCode: exit.code === null ? null : `0x${(exit.code >>> 0).toString(16)}`,
        pid: child.process.pid ?? null,
      },
    };
    const how =
      exit.signal ??
      (exit.code === null ? 'an exit' : `exit code 0x${(exit.code >>> 0).toString(16)}`);
    const calls = [
      `${touch ? `${touch.access} at ${touch.address}` : 'the step'}: killed by ${how}; a fresh child replays the steps before it`,
    ];
    const fresh = await this.ensure();
    if (name === 'STATUS_GUARD_PAGE_VIOLATION') {
      const clear: ToChild = { id: 0, kind: 'clearGuard', step };
      const cleared = await this.request(fresh, clear);
      if (cleared?.kind === 'cleared') calls.push(...cleared.calls);
      this.survivors.push({ message: clear, afterSteps: this.stepsRun });
    }
    return { result, calls, restarted: true, bound: this.bound };
  }
}
