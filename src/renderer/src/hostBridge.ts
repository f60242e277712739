import type { Bridge } from '../../shared/bridge';
import type { Result } from '../../shared/errors';
import { createStreamRouter } from '../../shared/streamRouter';
import {
  type HostStreamRequest,
  type HostStreamResponse,
  SNAPSHOT_MEDIA_TYPE,
} from '../../shared/hostWire';

/**
 * The contract over the browser host: calls as POST /api/call, streams over one WebSocket.
 * The token travels in the cookie the host set when the tokenized URL was opened.
 */
export function createHostBridge(): Bridge {
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextRef = 1;
  const waiting = new Map<number, (result: Result<string>) => void>();
  const streams = createStreamRouter();

  const lost = (why: string): void => {
    socket = null;
    opening = null;
    for (const resolve of waiting.values())
      resolve({ ok: false, error: { code: 'internal', message: why } });
    waiting.clear();
    streams.endAll({ kind: 'end', reason: 'error', error: { code: 'internal', message: why } });
  };

  const open = (): Promise<WebSocket> => {
    if (socket) return Promise.resolve(socket);
    opening ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(
        `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/stream`,
      );
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('Could not open the stream connection to vmscope.'));
      ws.onclose = () => lost('The connection to vmscope closed.');
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as HostStreamResponse;
        if (message.type === 'subscribed') {
          waiting.get(message.ref)?.(message.result);
          waiting.delete(message.ref);
        } else if (message.type === 'message') {
          streams.deliver(message.id, message.message);
        }
      };
    });
    return opening;
  };

  const send = (ws: WebSocket, request: HostStreamRequest): void =>
    ws.send(JSON.stringify(request));

  return {
    async call(method, input) {
      try {
        const response = await fetch('/api/call', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ method, input }),
        });
        if (response.headers.get('content-type') === SNAPSHOT_MEDIA_TYPE) {
          return { ok: true, value: { $codec: 'snapshot', data: await response.arrayBuffer() } };
        }
        return (await response.json()) as Result<unknown>;
      } catch (err) {
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `vmscope is not answering: ${(err as Error).message}`,
          },
        };
      }
    },
    async subscribe(topic, input, listener) {
      let ws: WebSocket;
      try {
        ws = await open();
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: (err as Error).message } };
      }
      const ref = nextRef++;
      const result = await new Promise<Result<string>>((resolve) => {
        waiting.set(ref, resolve);
        send(ws, { type: 'subscribe', ref, topic, input });
      });
      if (result.ok) streams.attach(result.value, listener);
      return result;
    },
    async unsubscribe(id) {
      streams.detach(id);
      if (socket) send(socket, { type: 'unsubscribe', id });
    },
  };
}
