import { Worker } from 'node:worker_threads';
import type { StreamMessage } from '../../shared/api';
import type { Result, VmError } from '../../shared/errors';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

export interface SlotEvents {
  /** A message that is not a call's result or a stream's (journal, child, restored). */
  onNotice?: (message: FromWorker) => void;
  /** The worker died or was ended; `data` is what the next one starts with. */
  onExit?: (why: string) => void;
}

/**
 * One service worker: started on demand, its calls and streams by id. When it dies, its calls
 * fail with `internal` (or the error `end` was given), its streams end with that error, and the
 * next request starts a fresh worker with `data()` (a sandbox worker's sessions to rebuild).
 */
export class WorkerSlot {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly listeners = new Map<string, (message: StreamMessage) => void>();

  constructor(
    private readonly file: string,
    private readonly data: () => WorkerData,
    private readonly heapMb: number,
    private readonly events: SlotEvents = {},
  ) {}

  get running(): boolean {
    return this.worker !== null;
  }

  start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.file, {
      workerData: this.data(),
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    w.on('message', (message: FromWorker) => {
      // A worker being ended may still speak; its calls were already failed.
      if (this.worker !== w) return;
      if (message.type === 'result') {
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
      } else if (message.type === 'streams') {
        for (const { subscription, message: m } of message.batch) {
          const listener = this.listeners.get(subscription);
          if (m.kind === 'end') this.listeners.delete(subscription);
          listener?.(m);
        }
      } else {
        this.events.onNotice?.(message);
      }
    });
    w.on('error', (err) => {
      if (this.worker === w)
        this.died({
          code: 'internal',
          message: `The vmscope service worker failed: ${err.message}. It was restarted; try again.`,
        });
    });
    w.on('exit', (code) => {
      if (this.worker === w)
        this.died({
          code: 'internal',
          message: `The vmscope service worker exited (code ${code}). It was restarted; try again.`,
        });
    });
    this.worker = w;
    return w;
  }

  /** Sends one request; the result arrives when the worker answers, or an error when it dies. */
  request(build: (id: number) => ToWorker): Promise<Result<unknown>> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      const worker = this.start();
      this.pending.set(id, resolve);
      try {
        worker.postMessage(build(id));
      } catch (err) {
        // An input the structured clone refuses (a function, a symbol) fails this call only.
        this.pending.delete(id);
        resolve({
          ok: false,
          error: {
            code: 'invalid-input',
            message: `The input cannot be sent to the service: ${(err as Error).message}`,
          },
        });
      }
    });
  }

  listen(subscription: string, listener: (message: StreamMessage) => void): void {
    this.listeners.set(subscription, listener);
  }

  forget(subscription: string): boolean {
    return this.listeners.delete(subscription);
  }

  post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  /** Ends the worker now: its calls fail with `error`, its streams end with it. */
  async end(error: VmError): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.died(error);
    await w.terminate();
  }

  private died(error: VmError): void {
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    const listeners = [...this.listeners.values()];
    this.listeners.clear();
    for (const resolve of pending) resolve({ ok: false, error });
    for (const listener of listeners) listener({ kind: 'end', reason: 'error', error });
    this.events.onExit?.(error.message);
  }
}
