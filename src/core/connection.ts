import type { StreamMessage } from '../shared/api';
import type { Result } from '../shared/errors';
import type { ServiceHost } from './serviceHost';

/**
 * One client of a face (an Electron window, a WebSocket): it owns the streams it opened, and
 * when it goes away, dispose() ends every one of them.
 */
export interface Connection {
  subscribe(topic: unknown, input: unknown): Promise<Result<string>>;
  unsubscribe(id: unknown): Promise<void>;
  dispose(): Promise<void>;
}

export interface ConnectionOptions {
  /** Streams this client may hold at once; one more is a `limit-exceeded` error. */
  maxSubscriptions?: number;
}

/** Enough for every chart a window shows; a client asking for more is broken or hostile. */
export const DEFAULT_MAX_SUBSCRIPTIONS = 32;

export function createConnection(
  host: ServiceHost,
  send: (id: string, message: StreamMessage) => void,
  options: ConnectionOptions = {},
): Connection {
  const owned = new Set<string>();
  const maxSubscriptions = options.maxSubscriptions ?? DEFAULT_MAX_SUBSCRIPTIONS;
  let starting = 0;
  let disposed = false;

  const start = async (topic: unknown, input: unknown): Promise<Result<string>> => {
    // A stream may speak before its subscribe call returns the id: hold those messages back.
    let id: string | null = null;
    const early: StreamMessage[] = [];
    const deliver = (message: StreamMessage): void => {
      if (id === null) return void early.push(message);
      if (message.kind === 'end') owned.delete(id);
      if (!disposed) send(id, message);
    };
    const result = await host.subscribe(String(topic), input, deliver);
    if (!result.ok) return result;
    id = result.value;
    if (disposed) {
      await host.unsubscribe(id);
      return { ok: false, error: { code: 'internal', message: 'The connection closed.' } };
    }
    owned.add(id);
    for (const message of early.splice(0)) deliver(message);
    return result;
  };

  return {
    async subscribe(topic, input) {
      // Counted while starting too, so a burst of subscribe requests cannot pass the cap.
      if (owned.size + starting >= maxSubscriptions) {
        return {
          ok: false,
          error: {
            code: 'limit-exceeded',
            message: `At most ${maxSubscriptions} streams may be open on one connection; close one first.`,
          },
        };
      }
      starting++;
      try {
        return await start(topic, input);
      } finally {
        starting--;
      }
    },
    async unsubscribe(id) {
      if (typeof id !== 'string' || !owned.delete(id)) return;
      await host.unsubscribe(id);
    },
    async dispose() {
      disposed = true;
      const ids = [...owned];
      owned.clear();
      await Promise.all(ids.map((id) => host.unsubscribe(id)));
    },
  };
}
