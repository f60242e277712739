import type { Result, VmError } from '../../shared/errors';
import type { WorkerSlot } from '../worker/workerSlot';

export interface QueueOptions {
  /** What the refusals call this work: `heavy`, `sandbox`. */
  name: string;
  /** Calls waiting for a free worker; one more is refused with `limit-exceeded`. */
  maxWaiting: number;
  /** A call running longer fails with `limit-exceeded` and its worker is ended (and replaced on the next call). */
  deadlineMs: number;
  /** Whether a running call whose client went away ends its worker (true) or runs on to its end. */
  cancelRunning: boolean;
}

interface Job {
  method: string;
  input: unknown;
  signal: AbortSignal | undefined;
  resolve: (result: Result<unknown>) => void;
}

const failure = (error: VmError): Result<unknown> => ({ ok: false, error });

/**
 * A bounded queue in front of a pool of workers that each run one call at a time. Waiting calls
 * are refused past `maxWaiting`, dropped when their client goes away, and each running call has
 * a deadline: ending the worker is the only way to stop a synchronous parse or simulation.
 */
export class CallQueue {
  private readonly waiting: Job[] = [];
  private readonly busy = new Set<WorkerSlot>();

  constructor(
    private readonly slots: WorkerSlot[],
    private readonly options: QueueOptions,
  ) {}

  run(method: string, input: unknown, signal?: AbortSignal): Promise<Result<unknown>> {
    if (signal?.aborted)
      return Promise.resolve(failure({ code: 'internal', message: 'The caller went away.' }));
    if (this.waiting.length >= this.options.maxWaiting && this.busy.size === this.slots.length) {
      return Promise.resolve(
        failure({
          code: 'limit-exceeded',
          message: `vmscope is busy: ${this.waiting.length} ${this.options.name} calls are already waiting. Try again shortly.`,
        }),
      );
    }
    return new Promise((resolve) => {
      const job: Job = { method, input, signal, resolve };
      this.waiting.push(job);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(job);
          if (at < 0) return;
          this.waiting.splice(at, 1);
          resolve(failure({ code: 'internal', message: 'The caller went away.' }));
        },
        { once: true },
      );
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (this.busy.has(slot)) continue;
      void this.runOn(slot, this.waiting.shift()!);
    }
  }

  private async runOn(slot: WorkerSlot, job: Job): Promise<void> {
    this.busy.add(slot);
    let done = false;
    const finish = (result: Result<unknown>): void => {
      if (done) return;
      done = true;
      job.resolve(result);
    };
    const seconds = Math.round(this.options.deadlineMs / 1000);
    const timer = setTimeout(() => {
      const error: VmError = {
        code: 'limit-exceeded',
        message: `${job.method} took longer than ${seconds} s and was stopped.`,
      };
      finish(failure(error));
      void slot.end({
        code: 'internal',
        message: `The ${this.options.name} worker was stopped: ${error.message}`,
      });
    }, this.options.deadlineMs);
    const onAbort = (): void => {
      finish(failure({ code: 'internal', message: 'The caller went away.' }));
      void slot.end({
        code: 'internal',
        message: `${job.method} was cancelled: its caller went away.`,
      });
    };
    if (this.options.cancelRunning) job.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      finish(
        await slot.request((id) => ({ type: 'call', id, method: job.method, input: job.input })),
      );
    } finally {
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onAbort);
      this.busy.delete(slot);
      this.pump();
    }
  }
}
