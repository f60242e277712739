/**
 * How a method's result travels (declared per method in api.ts as `encoding`). `json` is the
 * value itself (structured clone or JSON text). Every other encoding is binary: the value
 * becomes one ArrayBuffer that threads transfer without copying, IPC clones as bytes and the
 * browser host sends as the body with the codec's media type. A new encoding is one entry here.
 */
import type { Snapshot } from '../model';
import { decodeSnapshot, encodeSnapshot } from '../snapshotCodec';
import { decodeBytesResult, encodeBytesResult, type BytesResult } from './bytesResult';

export interface BinaryCodec<V> {
  encode(value: V): ArrayBuffer;
  /** Throws on a buffer that is not this codec's. */
  decode(data: ArrayBuffer): V;
  /** The Content-Type of the browser host's answer body. */
  mediaType: string;
}

export const BINARY_CODECS = {
  /** The columnar snapshot codec (snapshotCodec.ts). */
  snapshot: {
    encode: (value: Snapshot) => encodeSnapshot(value).data,
    decode: (data: ArrayBuffer) => decodeSnapshot({ $codec: 'snapshot', data }),
    mediaType: 'application/vnd.vmscope.snapshot',
  } satisfies BinaryCodec<Snapshot>,
  /** A result carrying a Uint8Array in `bytes`, sent as the bytes after a JSON header (bytesResult.ts). */
  bytes: {
    encode: encodeBytesResult,
    decode: decodeBytesResult,
    mediaType: 'application/vnd.vmscope.bytes',
  } satisfies BinaryCodec<BytesResult>,
} as const;

export type BinaryEncoding = keyof typeof BINARY_CODECS;
export type ResultEncoding = 'json' | BinaryEncoding;

/** The value a binary-encoded result is carried as, inside a Result, between the service and a client. */
export interface EncodedValue<E extends BinaryEncoding = BinaryEncoding> {
  $codec: E;
  data: ArrayBuffer;
}

export function codecOf(encoding: BinaryEncoding): BinaryCodec<unknown> {
  return BINARY_CODECS[encoding];
}
