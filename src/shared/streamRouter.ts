import type { StreamMessage } from './api';

type Listener = (message: StreamMessage) => void;

/**
 * Routes stream messages to their listeners on the client side of a bridge. The server may send a
 * stream's first messages before the subscribe call has returned its id (a late watcher's history,
 * say), so messages for an id without a listener yet are held and handed over when it attaches.
 */
export interface StreamRouter {
  deliver(id: string, message: StreamMessage): void;
  attach(id: string, listener: Listener): void;
  detach(id: string): void;
  /** Ends every attached stream with this message (the connection went away). */
  endAll(message: StreamMessage): void;
}

export function createStreamRouter(): StreamRouter {
  const listeners = new Map<string, Listener>();
  const early = new Map<string, StreamMessage[]>();
  const hand = (id: string, listener: Listener, message: StreamMessage): void => {
    if (message.kind === 'end') listeners.delete(id);
    listener(message);
  };
  return {
    deliver(id, message) {
      const listener = listeners.get(id);
      if (listener) hand(id, listener, message);
      else early.set(id, [...(early.get(id) ?? []), message]);
    },
    attach(id, listener) {
      listeners.set(id, listener);
      const held = early.get(id) ?? [];
      early.delete(id);
      for (const message of held) hand(id, listener, message);
    },
    detach(id) {
      listeners.delete(id);
      early.delete(id);
    },
    endAll(message) {
      for (const listener of listeners.values()) listener(message);
      listeners.clear();
      early.clear();
    },
  };
}
