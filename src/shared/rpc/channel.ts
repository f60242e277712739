/**
 * One request/response channel over a transport (transport.ts): request ids, the pending map,
 * timeouts and cancellation, a bound on pending requests, and close() failing whatever is still
 * pending. Failures are error values (VmError), never rejections, like every call of the contract.
 * A frame that is not a reply to a pending request is handed to `other` (stream messages,
 * notices) or dropped: no frame, however malformed, makes the channel throw.
 */
import type { Result, VmError } from '../errors';
import type { RpcTransport } from './transport';

export interface RpcChannelOptions<Reply> {
  /** The request id and reply a frame carries, or undefined when it is not a reply. */
  replyOf(frame: unknown): { id: number; reply: Reply } | undefined;
  /** Frames that are not replies (stream messages, notices). */
  other?: (frame: unknown) => void;
  /** Requests waiting for a reply at once; one more fails with `limit-exceeded`. */
  maxPending?: number;
  /** How requests that cannot be sent or that time out are described ("the service", "the live child"). */
  peer?: string;
  /**
   * Told when `other` throws. That is a fault of our own listener, not of the peer: it must not
   * end the channel, and it must not vanish either. Defaults to console.error.
   */
  onListenerError?: (err: unknown) => void;
}

export interface RequestOptions {
  /** The request fails with `limit-exceeded` after this long without a reply. */
  timeoutMs?: number;
  /** Aborting fails the request at once (its reply, if one comes, is dropped). */
  signal?: AbortSignal;
}

/** Enough for any face's burst of calls; more waiting at once is a runaway client. */
export const DEFAULT_MAX_PENDING = 4096;

interface Pending<Reply> {
  settle(result: Result<Reply>): void;
}

export class RpcChannel<Request, Reply> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<Reply>>();
  private closedWith: VmError | null = null;
  private readonly maxPending: number;
  private readonly peer: string;

  constructor(
    private readonly transport: RpcTransport<Request>,
    private readonly options: RpcChannelOptions<Reply>,
  ) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.peer = options.peer ?? 'the other side';
    transport.onFrame((frame) => this.receive(frame));
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Requests waiting for their reply. */
  get size(): number {
    return this.pending.size;
  }

  /** Sends the request `build` makes with a fresh id; resolves with its reply or an error value. */
  request(build: (id: number) => Request, options: RequestOptions = {}): Promise<Result<Reply>> {
    if (this.closedWith) return Promise.resolve({ ok: false, error: this.closedWith });
    if (options.signal?.aborted) return Promise.resolve(cancelled());
    if (this.pending.size >= this.maxPending) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'limit-exceeded',
          message: `${this.maxPending} requests to ${this.peer} are already waiting; try again shortly.`,
        },
      });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => entry.settle(cancelled());
      const entry: Pending<Reply> = {
        settle: (result) => {
          if (this.pending.get(id) !== entry) return;
          this.pending.delete(id);
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      this.pending.set(id, entry);
      if (options.timeoutMs !== undefined) {
        const ms = options.timeoutMs;
        timer = setTimeout(
          () =>
            entry.settle({
              ok: false,
              error: {
                code: 'limit-exceeded',
                message: `${this.peer} did not answer within ${ms} ms.`,
              },
            }),
          ms,
        );
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.transport.send(build(id));
      } catch (err) {
        entry.settle({
          ok: false,
          error: {
            code: 'invalid-input',
            message: `The request cannot be sent to ${this.peer}: ${err instanceof Error ? err.message : String(err)}`,
          },
        });
      }
    });
  }

  /** Sends a frame that has no reply (an unsubscribe); false when it could not be sent. */
  notify(frame: Request): boolean {
    if (this.closedWith) return false;
    try {
      this.transport.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  /** Fails every pending request with `error`, ignores every later frame, and closes the transport. */
  close(error: VmError): void {
    if (this.closedWith) return;
    this.closedWith = error;
    const pending = [...this.pending.values()];
    for (const entry of pending) entry.settle({ ok: false, error });
    try {
      this.transport.close();
    } catch {
      // The wire is gone already; the requests were failed above.
    }
  }

  private receive(frame: unknown): void {
    if (this.closedWith) return;
    let reply: { id: number; reply: Reply } | undefined;
    try {
      reply = this.options.replyOf(frame);
    } catch {
      // A frame the matcher cannot read is dropped: the other side is broken, not us.
      return;
    }
    if (reply) {
      this.pending.get(reply.id)?.settle({ ok: true, value: reply.reply });
      return;
    }
    try {
      this.options.other?.(frame);
    } catch (err) {
      (this.options.onListenerError ?? reportListenerError)(err);
    }
  }
}

function reportListenerError(err: unknown): void {
  console.error('vmscope: a listener of the RPC channel failed:', err);
}

function cancelled(): Result<never> {
  return { ok: false, error: { code: 'internal', message: 'The caller went away.' } };
}

/** `frame[key]` when frame is an object with a safe-integer id there. */
export function frameId(frame: unknown, key = 'id'): number | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const id = (frame as Record<string, unknown>)[key];
  return Number.isSafeInteger(id) ? (id as number) : undefined;
}
