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

/** The service in this thread: for the CLI and for tests. */
export function createLocalServiceHost(service: Service = createService()): ServiceHost {
  const streams = new Map<string, () => void>();
  return {
    async call(method, input) {
      const result = await dispatchCall(service, method, input);
      if (result.ok && binaryEncodingOf(method) === 'snapshot')
        settleBeforeEncoding(result.value as Snapshot);
      return encodeResult(method, result);
    },
    async subscribe(topic, input, listener): Promise<Result<string>> {
      const id = randomUUID();
      const started = dispatchSubscribe(service, topic, input, (message: StreamMessage) => {
        if (message.kind === 'end') streams.delete(id);
        listener(message);
      });
      if (!started.ok) return started;
      streams.set(id, started.value);
      return { ok: true, value: id };
    },
    async unsubscribe(id) {
      streams.get(id)?.();
      streams.delete(id);
    },
    async close() {
      for (const stop of streams.values()) stop();
      streams.clear();
    },
  };
}
