import { describe, expect, it } from 'vitest';
import { methods } from '../api';
import type { Snapshot } from '../model';
import { decodeBytesResult, encodeBytesResult } from './bytesResult';
import { decodeResult, encodeResult, encodingOf, wireBuffer } from './resultEncoding';

const snapshot = {
  format: 'vmscope-snapshot',
  version: 1,
  takenAt: '2026-01-01T00:00:00.000Z',
  source: 'simulated',
  platform: 'win32',
  process: { pid: 4, name: 'x' },
  regions: [],
} as unknown as Snapshot;

describe('result encodings, by declaration', () => {
  it('reads each method’s declared encoding; undeclared and unknown methods are json', () => {
    expect(encodingOf('process.snapshot')).toBe('snapshot');
    expect(encodingOf('library.open')).toBe('snapshot');
    expect(encodingOf('system.info')).toBe('json');
    expect(encodingOf('no.such')).toBe('json');
    expect(encodingOf('__proto__')).toBe('json');
    expect(Object.values(methods).filter((m) => 'encoding' in m).length).toBeGreaterThan(0);
  });

  it('a snapshot method round-trips through its binary wire form', () => {
    const wire = encodeResult('files.snapshot', { ok: true, value: snapshot });
    expect(wire).toMatchObject({ ok: true, value: { $codec: 'snapshot' } });
    expect(wireBuffer('files.snapshot', wire)).toBeInstanceOf(ArrayBuffer);
    expect(decodeResult('files.snapshot', wire)).toMatchObject({
      ok: true,
      value: { format: 'vmscope-snapshot', process: { pid: 4 }, regions: [] },
    });
  });

  it('a json method passes its value and has no buffer to transfer', () => {
    const result = { ok: true as const, value: { format: 'vmscope-snapshot', regions: [] } };
    expect(encodeResult('system.info', result)).toBe(result);
    expect(wireBuffer('system.info', result)).toBeNull();
    expect(decodeResult('system.info', result)).toBe(result);
  });

  it('errors pass through untouched', () => {
    const error = { ok: false as const, error: { code: 'not-found' as const, message: 'gone' } };
    expect(encodeResult('process.snapshot', error)).toBe(error);
    expect(decodeResult('process.snapshot', error)).toBe(error);
  });

  it('a value its codec refuses, or a malformed wire value, is an internal error value', () => {
    expect(encodeResult('process.snapshot', { ok: true, value: null })).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/could not be encoded/) },
    });
    for (const value of [
      null,
      { format: 'vmscope-snapshot' },
      { $codec: 'bytes', data: new ArrayBuffer(8) },
    ])
      expect(decodeResult('process.snapshot', { ok: true, value })).toMatchObject({
        ok: false,
        error: {
          code: 'internal',
          message: expect.stringMatching(/process.snapshot is malformed/),
        },
      });
    expect(
      decodeResult('process.snapshot', {
        ok: true,
        value: { $codec: 'snapshot', data: new ArrayBuffer(16) },
      }),
    ).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('the bytes encoding', () => {
  it('round-trips a result carrying a Uint8Array, viewing the bytes in place', () => {
    const bytes = Uint8Array.from([0, 1, 2, 255, 128]);
    const contents = { base: '0x1000', size: 5, bytes };
    const data = encodeBytesResult(contents);
    const back = decodeBytesResult(data);
    expect(back).toEqual({ base: '0x1000', size: 5, bytes });
    expect(back.bytes.buffer).toBe(data);
  });

  it('refuses a buffer that is not one, with an error', () => {
    for (const bad of [new ArrayBuffer(2), Uint8Array.from([255, 0, 0, 0, 1]).buffer])
      expect(() => decodeBytesResult(bad)).toThrow(/bytes result is malformed/);
    const notObject = new TextEncoder().encode('[1]');
    const framed = new Uint8Array(4 + notObject.length);
    new DataView(framed.buffer).setUint32(0, notObject.length, true);
    framed.set(notObject, 4);
    expect(() => decodeBytesResult(framed.buffer)).toThrow(/malformed/);
  });
});
