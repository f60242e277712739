import type { StreamMessage } from '../../shared/api';
import type { EncodedValue } from '../../shared/rpc/codecs';
import { collectGarbage } from './collectGarbage';
import { LARGE_WIRE_BYTES } from './snapshotMemory';

/**
 * The buffers of the encoded values (rpc/codecs.ts) in stream messages' data, each once:
 * process.snapshotStream's snapshots. A worker transfers them rather than cloning them, as it
 * does a call's encoded result.
 */
export function encodedBuffersOf(messages: Iterable<StreamMessage>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const message of messages) {
    if (message.kind !== 'data' || typeof message.data !== 'object' || message.data === null)
      continue;
    for (const value of Object.values(message.data) as (Partial<EncodedValue> | null)[]) {
      if (typeof value?.$codec === 'string' && value.data instanceof ArrayBuffer)
        buffers.add(value.data);
    }
  }
  return [...buffers];
}

export const byteLengthOf = (buffers: readonly ArrayBuffer[]): number =>
  buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);

/**
 * Wire buffers the supervising thread got from its workers and handed to a face, which writes
 * them out and drops them. Only a collection frees them, and V8 starts one for memory outside its
 * heap only when that has grown by some 64 MB: five 60,000-mapping snapshots' buffers. So once
 * they add up to a large snapshot's, the thread collects when it next posts heavy work, while the
 * worker does that work.
 */
export class HandedOnWire {
  private bytes = 0;

  add(bytes: number): void {
    this.bytes += bytes;
  }

  /** Call right after posting work to a worker: the collection then overlaps that work. */
  collectIfLarge(): void {
    if (this.bytes < LARGE_WIRE_BYTES) return;
    this.bytes = 0;
    collectGarbage();
  }
}
