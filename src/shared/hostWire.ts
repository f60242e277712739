import type { StreamMessage } from './api';
import type { Result, VmError } from './errors';
import { BINARY_CODECS, type EncodedValue } from './rpc/codecs';

/** The browser host's WebSocket protocol at /api/stream. */
export type HostStreamRequest =
  | { type: 'subscribe'; ref: number; topic: string; input: unknown }
  | { type: 'unsubscribe'; id: string };

export type HostStreamResponse =
  | { type: 'subscribed'; ref: number; result: Result<string> }
  | { type: 'message'; id: string; message: StreamMessage }
  | { type: 'error'; error: VmError };

/** A successful call whose value is a snapshot answers with its encoded form (snapshotCodec.ts) as the body. */
export const SNAPSHOT_MEDIA_TYPE = BINARY_CODECS.snapshot.mediaType;

/** A stream event's field that holds an encoded value (rpc/codecs.ts): its buffer travels as bytes. */
function binaryFieldOf(response: HostStreamResponse): string | undefined {
  if (response.type !== 'message' || response.message.kind !== 'data') return undefined;
  const data = response.message.data;
  if (typeof data !== 'object' || data === null) return undefined;
  return Object.keys(data).find((key) => {
    const value = (data as Record<string, unknown>)[key] as Partial<EncodedValue> | null;
    return typeof value?.$codec === 'string' && value.data instanceof ArrayBuffer;
  });
}

/**
 * A response as a WebSocket frame: JSON text, or, when a stream event carries an encoded value
 * (process.snapshotStream's snapshot), a binary frame: the JSON's byte length (u32 LE), the JSON
 * with that value's buffer left out, then the buffer. JSON would turn the buffer into `{}`.
 */
export function encodeStreamFrame(response: HostStreamResponse): string | Uint8Array {
  const field = binaryFieldOf(response);
  if (field === undefined) return JSON.stringify(response);
  const message = (response as Extract<HostStreamResponse, { type: 'message' }>).message as {
    kind: 'data';
    data: Record<string, EncodedValue>;
  };
  const { $codec, data: buffer } = message.data[field]!;
  const head = new TextEncoder().encode(
    JSON.stringify({
      ...response,
      message: { ...message, data: { ...message.data, [field]: { $codec } } },
      binary: field,
    }),
  );
  const frame = new Uint8Array(4 + head.length + buffer.byteLength);
  new DataView(frame.buffer).setUint32(0, head.length, true);
  frame.set(head, 4);
  frame.set(new Uint8Array(buffer), 4 + head.length);
  return frame;
}

/** A frame back as the response it carries (encodeStreamFrame); throws on one that is malformed. */
export function decodeStreamFrame(frame: string | ArrayBuffer): unknown {
  if (typeof frame === 'string') return JSON.parse(frame);
  const length = new DataView(frame).getUint32(0, true);
  const response = JSON.parse(new TextDecoder().decode(new Uint8Array(frame, 4, length))) as {
    binary?: unknown;
    message?: { data?: Record<string, { data?: ArrayBuffer }> };
  };
  const target = typeof response.binary === 'string' && response.message?.data?.[response.binary];
  if (!target || typeof target !== 'object') throw new Error('A binary frame without its field.');
  target.data = frame.slice(4 + length);
  delete response.binary;
  return response;
}
