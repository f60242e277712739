/**
 * A method's result in and out of its wire form, by the encoding api.ts declares for the method,
 * never by looking at the value. The service's side encodes (serviceHost.ts), every client
 * decodes (bridge.ts); the faces between them pass the wire form along.
 */
import { isMethodName, methods } from '../api';
import { type Result, toVmError } from '../errors';
import { type BinaryEncoding, type EncodedValue, type ResultEncoding, codecOf } from './codecs';

export function encodingOf(method: string): ResultEncoding {
  if (!isMethodName(method)) return 'json';
  const spec: { encoding?: ResultEncoding } = methods[method];
  return spec.encoding ?? 'json';
}

/** The binary encoding a method's results travel in, or null for JSON. */
export function binaryEncodingOf(method: string): BinaryEncoding | null {
  const encoding = encodingOf(method);
  return encoding === 'json' ? null : encoding;
}

/** A successful result as it leaves the service. A value the codec refuses fails the call. */
export function encodeResult(method: string, result: Result<unknown>): Result<unknown> {
  const encoding = binaryEncodingOf(method);
  if (!result.ok || !encoding) return result;
  try {
    const wire: EncodedValue = { $codec: encoding, data: codecOf(encoding).encode(result.value) };
    return { ok: true, value: wire };
  } catch (err) {
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `The result of ${method} could not be encoded: ${toVmError(err).message}`,
      },
    };
  }
}

/** The buffer to transfer (not copy) with an encoded result, if it has one. */
export function wireBuffer(method: string, result: Result<unknown>): ArrayBuffer | null {
  if (!result.ok || !binaryEncodingOf(method)) return null;
  const data = (result.value as Partial<EncodedValue> | null)?.data;
  return data instanceof ArrayBuffer ? data : null;
}

/** A result as a client gets it back: the value decoded, or an error value when it is malformed. */
export function decodeResult(method: string, result: Result<unknown>): Result<unknown> {
  const encoding = binaryEncodingOf(method);
  if (!result.ok || !encoding) return result;
  const wire = result.value as Partial<EncodedValue> | null;
  const malformed = (why: string): Result<unknown> => ({
    ok: false,
    error: { code: 'internal', message: `The result of ${method} is malformed: ${why}` },
  });
  if (wire?.$codec !== encoding || !(wire.data instanceof ArrayBuffer))
    return malformed(`expected the ${encoding} encoding.`);
  try {
    return { ok: true, value: codecOf(encoding).decode(wire.data) };
  } catch (err) {
    return malformed(toVmError(err).message);
  }
}
