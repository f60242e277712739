import { describe, expect, it } from 'vitest';
import { type HostStreamResponse, decodeStreamFrame, encodeStreamFrame } from './hostWire';

describe('the host WebSocket frames of stream events', () => {
  it('sends an event without an encoded value as JSON text', () => {
    const response: HostStreamResponse = {
      type: 'message',
      id: 's1',
      message: { kind: 'data', data: { samples: [1, 2] } },
    };
    const frame = encodeStreamFrame(response);
    expect(typeof frame).toBe('string');
    expect(decodeStreamFrame(frame as string)).toEqual(response);
  });

  it('sends an event carrying an encoded snapshot as one binary frame, its buffer intact', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
    const response: HostStreamResponse = {
      type: 'message',
      id: 's2',
      message: {
        kind: 'data',
        data: { final: true, regions: 3, snapshot: { $codec: 'snapshot', data: bytes.buffer } },
      },
    };
    const frame = encodeStreamFrame(response);
    expect(frame).toBeInstanceOf(Uint8Array);
    const copy = (frame as Uint8Array).slice().buffer;
    const back = decodeStreamFrame(copy) as typeof response & {
      message: { data: { snapshot: { $codec: string; data: ArrayBuffer } } };
    };
    expect(back.message.data.snapshot.$codec).toBe('snapshot');
    expect(new Uint8Array(back.message.data.snapshot.data)).toEqual(bytes);
    expect({
      ...back,
      message: { ...back.message, data: { ...back.message.data, snapshot: null } },
    }).toEqual({
      ...response,
      message: { ...response.message, data: { final: true, regions: 3, snapshot: null } },
    });
  });

  it('refuses a binary frame whose head names no field', () => {
    const head = new TextEncoder().encode(JSON.stringify({ type: 'message', id: 'x' }));
    const frame = new Uint8Array(4 + head.length);
    new DataView(frame.buffer).setUint32(0, head.length, true);
    frame.set(head, 4);
    expect(() => decodeStreamFrame(frame.buffer)).toThrow(/without its field/);
  });
});
