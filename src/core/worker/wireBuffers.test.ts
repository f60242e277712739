import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../shared/api';
import { collectGarbage } from './collectGarbage';
import { encodedBuffersOf } from './wireBuffers';

describe('encodedBuffersOf', () => {
  it('finds each encoded value’s buffer once, and nothing else', () => {
    const snapshot = new ArrayBuffer(16);
    const other = new ArrayBuffer(8);
    const messages: StreamMessage[] = [
      {
        kind: 'data',
        data: { final: false, regions: 1, snapshot: { $codec: 'snapshot', data: snapshot } },
      },
      // The same buffer twice would make postMessage throw (a buffer is transferred once).
      { kind: 'data', data: { again: { $codec: 'snapshot', data: snapshot } } },
      { kind: 'data', data: { raw: other, notEncoded: { data: other }, n: 3 } },
      { kind: 'data', data: null },
      { kind: 'end', reason: 'closed' },
    ];
    expect(encodedBuffersOf(messages)).toEqual([snapshot]);
    expect(encodedBuffersOf(messages)[0]).toBe(snapshot);
  });
});

describe('collectGarbage', () => {
  it('collects an object nothing refers to any more', async () => {
    // Made in a function of its own: no variable of this one holds it.
    const ref = ((): WeakRef<object> => new WeakRef({ columns: new Float64Array(1024) }))();
    // A WeakRef's target lives to the end of the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(collectGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
  });
});
