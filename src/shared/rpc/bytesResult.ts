/**
 * The `bytes` encoding: a result object whose `bytes` field is a Uint8Array (memory contents),
 * as one buffer: a little-endian u32 header length, the rest of the object as JSON, then the
 * bytes. Decoding views the bytes in place (nothing copied).
 */
import { VmscopeError } from '../errors';

/** Any result object with its bytes in `bytes`; its other fields travel as JSON. */
export interface BytesResult {
  bytes: Uint8Array;
}

export function encodeBytesResult(value: BytesResult): ArrayBuffer {
  const { bytes, ...rest } = value;
  const header = new TextEncoder().encode(JSON.stringify(rest));
  const out = new Uint8Array(4 + header.length + bytes.length);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  out.set(bytes, 4 + header.length);
  return out.buffer;
}

export function decodeBytesResult(data: ArrayBuffer): BytesResult & Record<string, unknown> {
  const malformed = (): never => {
    throw new VmscopeError('internal', 'A bytes result is malformed.');
  };
  if (data.byteLength < 4) return malformed();
  const length = new DataView(data).getUint32(0, true);
  if (4 + length > data.byteLength) return malformed();
  let rest: unknown;
  try {
    rest = JSON.parse(new TextDecoder().decode(new Uint8Array(data, 4, length)));
  } catch {
    return malformed();
  }
  if (typeof rest !== 'object' || rest === null || Array.isArray(rest)) return malformed();
  return { ...rest, bytes: new Uint8Array(data, 4 + length) };
}
