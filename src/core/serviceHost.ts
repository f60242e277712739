import { randomUUID } from 'node:crypto';
import type { StreamMessage } from '../shared/api';
import type { Bridge } from '../shared/bridge';
import type { Result } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import { binaryEncodingOf, encodeResult } from '../shared/rpc/resultEncoding';
import { dispatchCall, dispatchSubscribe } from './dispatch';
import { type Service, createService } from './service';
import { settleBeforeEncoding } from './worker/snapshotMemory';

/**
 * What a face talks to: the contract as a Bridge, wherever the service runs, plus shutdown.
 * Results are in their wire form (a method declared `snapshot` answers an EncodedValue); the
 * client decodes them (bridge.ts createClient).
 */
export interface ServiceHost extends Bridge {
  /** As Bridge.call; `signal` says the caller went away (a queued call then never runs, a running heavy one is stopped). */
  call(method: string, input: unknown, signal?: AbortSignal): Promise<Result<unknown>>;
  close(): Promise<void>;
}

/**
 * The service in this thread: for the CLI and for tests. With `wire: false` results are passed on
 * as the service returns them, for a client made with the same option (bridge.ts createClient):
 * the CLI, whose results never leave its thread, skips the codec's round trip (encoding and
 * decoding a 60,000-region snapshot cost more than writing it as CSV).
 */
export function createLocalServiceHost(
  service: Service = createService(),
  { wire = true }: { wire?: boolean } = {},
): ServiceHost {
  const streams = new Map<string, () => void>();
  let closed = false;
  return {
    async call(method, input) {
      const result = await dispatchCall(service, method, input);
      if (!wire) return result;
      if (result.ok && binaryEncodingOf(method) === 'snapshot')
        settleBeforeEncoding(result.value as Snapshot);
      return encodeResult(method, result);
    },
    async subscribe(topic, input, listener): Promise<Result<string>> {
      const id = randomUUID();
      let ended = false;
      const started = await dispatchSubscribe(service, topic, input, (message: StreamMessage) => {
        if (message.kind === 'end') {
          ended = true;
          streams.delete(id);
        }
        listener(message);
      });
      if (!started.ok) return started;
      // A stream starts after its modules load: the host may have closed meanwhile.
      if (closed) started.value();
      else if (!ended) streams.set(id, started.value);
      return { ok: true, value: id };
    },
    async unsubscribe(id) {
      streams.get(id)?.();
      streams.delete(id);
    },
    async close() {
      closed = true;
      for (const stop of streams.values()) stop();
      streams.clear();
    },
  };
}
