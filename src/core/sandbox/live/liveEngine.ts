/**
 * The live engine, service side: runs each step in a child process (child.ts) that makes the
 * real calls. When a real access violation kills the child (SIGSEGV/SIGBUS), the step reports
 * EXCEPTION_ACCESS_VIOLATION at the address the child announced last (its touch file), a fresh child starts, and
 * the steps that did not crash are replayed on it, so the session goes on as if the program had
 * caught the exception.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { VmscopeError } from '../../../shared/errors';
import type { Counters } from '../../../shared/model';
import type { SandboxAllocation } from '../../../shared/sandboxSession';
import type { ScriptStep, StepResult } from '../../../shared/sandboxScript';
import { exceptionCodeHex } from '../../../shared/winConstants';
import { openProcCountersReader, type CountersReader } from '../../sampler/procCountersReader';
import { DEFAULT_CAPS, type FromChild, type LiveCaps, TOUCH_LINE, type ToChild } from './protocol';

export interface EngineRun {
  result: StepResult;
  calls: string[];
  /** The step killed the child and a fresh one replaced it. */
  restarted: boolean;
}

interface Child {
  process: ChildProcess;
  counters: CountersReader;
  /** The touch file, held open by both sides and unlinked once both have it, so nothing is left behind. */
  touchFd: number;
  /** Resolves once the child has exited. */
  closed: Promise<NodeJS.Signals | null>;
}

type Touch = { address: string; access: 'read' | 'write' | 'execute' };

/**
 * How to start the child: from source under tsx (dev, tests), or the built CLI bundle, which is
 * this very file after bundling, with the hidden `sandbox child` command.
 */
function forkChild(): ChildProcess {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  return fork(fromSource ? join(dirname(here), 'childMain.ts') : here, fromSource ? [] : ['sandbox', 'child'], {
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export class LiveEngine {
  private child: Child | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (message: FromChild) => void>();
  /** Steps that ran without killing the child: what a fresh child replays. */
  private readonly survivors: ScriptStep[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly caps: LiveCaps = DEFAULT_CAPS) {}

  pid(): number | null {
    return this.child?.process.pid ?? null;
  }

  /** Start the child now (the session shows its pid before the first step). */
  start(): Promise<void> {
    return this.serial(async () => void (await this.ensure()));
  }

  run(step: ScriptStep): Promise<EngineRun> {
    return this.serial(() => this.runNow(step));
  }

  view(): Promise<{ allocations: SandboxAllocation[]; counters: Counters }> {
    return this.serial(async () => {
      const child = await this.ensure();
      const reply = await this.request(child, { id: 0, kind: 'view' });
      if (!reply || reply.kind !== 'view') throw new VmscopeError('process-exited', 'The live sandbox child exited while reporting its pages.');
      return { allocations: reply.allocations, counters: await child.counters.read() };
    });
  }

  dispose(): void {
    this.stop();
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
    if (this.child && this.child.process.exitCode === null && this.child.process.signalCode === null) return this.child;
    this.stop();
    const proc = forkChild();
    const child: Child = { process: proc, counters: null as unknown as CountersReader, touchFd: -1, closed: Promise.resolve(null) };
    child.closed = once(proc, 'close').then(([, signal]) => signal as NodeJS.Signals | null);
    proc.on('message', (message: FromChild) => {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
    this.child = child;
    // Where the child records the access it is about to make.
    const touchFile = join(tmpdir(), `vmscope-sandbox-${proc.pid}-${randomUUID()}.touch`);
    const started = await this.request(child, { id: 0, kind: 'init', caps: this.caps, touchFile });
    if (!started) {
      rmSync(touchFile, { force: true });
      throw new VmscopeError('internal', 'The live sandbox child did not start (is koffi available and is this Linux?).');
    }
    child.touchFd = openSync(touchFile, 'r+');
    rmSync(touchFile);
    child.counters = openProcCountersReader(proc.pid!);
    for (const step of this.survivors) await this.request(child, { id: 0, kind: 'step', step });
    return child;
  }

  /** Send one message; resolves with the reply, or null when the child dies first. */
  private request(child: Child, message: ToChild): Promise<FromChild | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      void child.closed.then(() => {
        if (this.pending.delete(id)) resolve(null);
      });
      child.process.send({ ...message, id });
    });
  }

  /** The access the child announced last in this step, if any. */
  private lastTouch(child: Child): Touch | null {
    const buffer = Buffer.alloc(64);
    const length = readSync(child.touchFd, buffer, 0, buffer.length, 0);
    const m = TOUCH_LINE.exec(buffer.toString('latin1', 0, length));
    return m ? { address: m[1]!, access: m[2] as Touch['access'] } : null;
  }

  private async runNow(step: ScriptStep): Promise<EngineRun> {
    const child = await this.ensure();
    ftruncateSync(child.touchFd, 0);
    const reply = await this.request(child, { id: 0, kind: 'step', step });
    if (reply?.kind === 'step') {
      this.survivors.push(step);
      return { result: reply.result, calls: reply.calls, restarted: false };
    }
    const signal = await child.closed;
    const touch = this.lastTouch(child);
    this.stop();
    const result: StepResult = {
      op: step.op,
      ok: false,
      returned: null,
      lastError: null,
      exception: {
        code: exceptionCodeHex('EXCEPTION_ACCESS_VIOLATION'),
        name: 'EXCEPTION_ACCESS_VIOLATION',
        address: touch?.address ?? '0x0',
        access: touch?.access ?? 'read',
      },
      info: { signal, pid: child.process.pid ?? null },
    };
    const calls = [`${touch ? `${touch.access} at ${touch.address}` : 'the step'}: killed by ${signal ?? 'an exit'}; a fresh child replays the steps before it`];
    await this.ensure();
    return { result, calls, restarted: true };
  }
}
