import type { Bridge } from '../../shared/bridge';
import type { Result } from '../../shared/errors';
import {
  type HostStreamRequest,
  type HostStreamResponse,
  decodeStreamFrame,
} from '../../shared/hostWire';
import { RpcChannel, frameId } from '../../shared/rpc/channel';
import { codecOf, type EncodedValue } from '../../shared/rpc/codecs';
import { binaryEncodingOf } from '../../shared/rpc/resultEncoding';
import { createStreamRouter } from '../../shared/streamRouter';
import { traceMark } from './paintTrace';

type Subscribing = RpcChannel<HostStreamRequest, Result<string>>;

/** A `subscribed` frame as the reply to the subscribe request with its ref. */
function subscribedOf(frame: unknown): { id: number; reply: Result<string> } | undefined {
  const ref = frameId(frame, 'ref');
  if (ref === undefined || (frame as HostStreamResponse).type !== 'subscribed') return undefined;
  return { id: ref, reply: (frame as Extract<HostStreamResponse, { type: 'subscribed' }>).result };
}

/**
 * The contract over the browser host: calls as POST /api/call, streams over one WebSocket, whose
 * subscribe requests are an RPC channel (shared/rpc/channel.ts) matched by `ref`.
 * The token travels in the cookie the host set when the tokenized URL was opened.
 */
export function createHostBridge(): Bridge {
  let channel: Subscribing | null = null;
  let opening: Promise<Subscribing> | null = null;
  const streams = createStreamRouter();

  const open = (): Promise<Subscribing> => {
    if (channel) return Promise.resolve(channel);
    opening ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(
        `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/stream`,
      );
      // process.snapshotStream's snapshots come as binary frames (hostWire.ts).
      ws.binaryType = 'arraybuffer';
      const opened = new RpcChannel<HostStreamRequest, Result<string>>(
        {
          send: (frame) => ws.send(JSON.stringify(frame)),
          onFrame: (receive) =>
            (ws.onmessage = (event) => {
              let frame: unknown;
              try {
                frame = decodeStreamFrame(event.data as string | ArrayBuffer);
              } catch {
                return; // Not a frame of ours: dropped, as the channel drops malformed frames.
              }
              receive(frame);
            }),
          close: () => ws.close(),
        },
        {
          replyOf: subscribedOf,
          other: (frame) => {
            const message = frame as HostStreamResponse;
            if (message.type === 'message') streams.deliver(message.id, message.message);
          },
          peer: 'vmscope',
        },
      );
      ws.onopen = () => {
        channel = opened;
        resolve(opened);
      };
      ws.onerror = () => reject(new Error('Could not open the stream connection to vmscope.'));
      ws.onclose = () => {
        const error = { code: 'internal', message: 'The connection to vmscope closed.' } as const;
        if (channel === opened) channel = null;
        opening = null;
        opened.close(error);
        streams.endAll({ kind: 'end', reason: 'error', error });
      };
    });
    return opening;
  };

  return {
    async call(method, input) {
      try {
        const response = await fetch('/api/call', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ method, input }),
        });
        // A method declared binary (api.ts) answers a success as its encoded body; errors are JSON.
        const encoding = binaryEncodingOf(method);
        const traced = method === 'process.snapshot';
        if (traced) traceMark('headers');
        if (encoding && response.headers.get('content-type') === codecOf(encoding).mediaType) {
          const value: EncodedValue = { $codec: encoding, data: await response.arrayBuffer() };
          if (traced) traceMark('transfer');
          return { ok: true, value };
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
      let opened: Subscribing;
      try {
        opened = await open();
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: (err as Error).message } };
      }
      const reply = await opened.request((ref) => ({ type: 'subscribe', ref, topic, input }));
      const result = reply.ok ? reply.value : reply;
      if (result.ok) streams.attach(result.value, listener);
      return result;
    },
    async unsubscribe(id) {
      streams.detach(id);
      channel?.notify({ type: 'unsubscribe', id });
    },
  };
}
