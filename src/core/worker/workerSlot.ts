import { Worker } from 'node:worker_threads';
import type { StreamMessage } from '../../shared/api';
import type { Result, VmError } from '../../shared/errors';
import { RpcChannel, frameId } from '../../shared/rpc/channel';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

export interface SlotEvents {
  /** A message that is not a call's result or a stream's (journal, child, restored). */
  onNotice?: (message: FromWorker) => void;
  /** The worker died or was ended; `data` is what the next one starts with. */
  onExit?: (why: string) => void;
  /**
   * End the worker once it has had no call in flight for this long (it starts again on the next
   * call): for workers that keep nothing between calls, so their heap is not held while idle.
   */
  idleMs?: number;
}

/** V8 heap limits of a worker, in MiB; the young generation is left to V8 when not given. */
export interface HeapLimits {
  oldMb: number;
  youngMb?: number;
}

/**
 * One service worker: started on demand, its calls and streams by id. When it dies, its calls
 * fail with `internal` (or the error `end` was given), its streams end with that error, and the
 * next request starts a fresh worker with `data()` (a sandbox worker's sessions to rebuild).
 */
/** A worker's `result` frame as the channel's reply. */
function resultOf(frame: unknown): { id: number; reply: Result<unknown> } | undefined {
  const id = frameId(frame);
  if (id === undefined || (frame as FromWorker).type !== 'result') return undefined;
  return { id, reply: (frame as Extract<FromWorker, { type: 'result' }>).result };
}

export class WorkerSlot {
  private worker: Worker | null = null;
  private channel: RpcChannel<ToWorker, Result<unknown>> | null = null;
  private readonly listeners = new Map<string, (message: StreamMessage) => void>();
  /** Requests sent and not answered yet. */
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly data: () => WorkerData,
    private readonly heap: HeapLimits,
    private readonly events: SlotEvents = {},
  ) {}

  get running(): boolean {
    return this.worker !== null;
  }

  start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.file, {
      workerData: this.data(),
      resourceLimits: {
        maxOldGenerationSizeMb: this.heap.oldMb,
        ...(this.heap.youngMb === undefined ? {} : { maxYoungGenerationSizeMb: this.heap.youngMb }),
      },
    });
    this.channel = new RpcChannel<ToWorker, Result<unknown>>(
      {
        send: (frame) => w.postMessage(frame),
        onFrame: (receive) => w.on('message', receive),
        // The worker is ended by end() or is gone already: nothing to let go of here.
        close: () => undefined,
      },
      {
        replyOf: resultOf,
        other: (frame) => this.notice(frame as FromWorker),
        peer: 'the service',
      },
    );
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

  /**
   * Sends one request; the result arrives when the worker answers, or an error when it dies. An
   * input the structured clone refuses (a function, a symbol) fails this call only.
   */
  async request(build: (id: number) => ToWorker): Promise<Result<unknown>> {
    this.start();
    clearTimeout(this.idleTimer);
    this.inFlight++;
    try {
      const reply = await this.channel!.request(build);
      return reply.ok ? reply.value : reply;
    } finally {
      this.inFlight--;
      this.retireWhenIdle();
    }
  }

  private retireWhenIdle(): void {
    const { idleMs } = this.events;
    if (idleMs === undefined || this.inFlight > 0 || this.listeners.size > 0 || !this.worker)
      return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.inFlight === 0 && this.listeners.size === 0)
        void this.end({ code: 'internal', message: 'The idle service worker was let go.' });
    }, idleMs);
    // An idle worker's retirement never keeps the process alive.
    this.idleTimer.unref();
  }

  listen(subscription: string, listener: (message: StreamMessage) => void): void {
    this.listeners.set(subscription, listener);
  }

  forget(subscription: string): boolean {
    return this.listeners.delete(subscription);
  }

  post(message: ToWorker): void {
    this.channel?.notify(message);
  }

  /** Ends the worker now: its calls fail with `error`, its streams end with it. */
  async end(error: VmError): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.died(error);
    await w.terminate();
  }

  /** A frame that is not a call's result: stream messages or a notice for the supervisor. */
  private notice(message: FromWorker): void {
    if (message.type === 'streams') {
      for (const { subscription, message: m } of message.batch) {
        const listener = this.listeners.get(subscription);
        if (m.kind === 'end') this.listeners.delete(subscription);
        listener?.(m);
      }
    } else {
      this.events.onNotice?.(message);
    }
  }

  private died(error: VmError): void {
    clearTimeout(this.idleTimer);
    this.worker = null;
    // A worker being ended may still speak: its channel, closed here, drops what it says.
    const channel = this.channel;
    this.channel = null;
    const listeners = [...this.listeners.values()];
    this.listeners.clear();
    channel?.close(error);
    for (const listener of listeners) listener({ kind: 'end', reason: 'error', error });
    this.events.onExit?.(error.message);
  }
}
