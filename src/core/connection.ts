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

export function createConnection(
  host: ServiceHost,
  send: (id: string, message: StreamMessage) => void,
): Connection {
  const owned = new Set<string>();
  let disposed = false;
  return {
    async subscribe(topic, input) {
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
