/**
 * The service on its own thread, so that a 60,000-mapping snapshot or a long simulation never
 * blocks the thread that serves the window or the HTTP host.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeSnapshot, isSnapshot } from '../../shared/snapshotCodec';
import { type ServiceOptions, createService } from '../service';
import { createLocalServiceHost } from '../serviceHost';
import type { FromWorker, ToWorker } from './protocol';

export function runServiceWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serviceWorker must run in a worker thread');
  const host = createLocalServiceHost(createService(undefined, undefined, (workerData ?? {}) as ServiceOptions));
  const ids = new Map<string, string>();
  const post = (message: FromWorker): void => port.postMessage(message);
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- TODO(lead): .catch here once the RPC channel lands
  port.on('message', async (message: ToWorker) => {
    switch (message.type) {
      case 'call': {
        const result = await host.call(message.method, message.input);
        // Snapshots travel as compact columns, transferred rather than cloned (snapshotCodec.ts).
        if (result.ok && isSnapshot(result.value)) {
          const encoded = encodeSnapshot(result.value);
          port.postMessage({ type: 'result', id: message.id, result: { ok: true, value: encoded } } satisfies FromWorker, [encoded.data]);
        } else {
          try {
            post({ type: 'result', id: message.id, result });
          } catch (err) {
            // A value the structured clone refuses must fail this call, not end the service.
            const why = err instanceof Error ? err.message : String(err);
            post({ type: 'result', id: message.id, result: { ok: false, error: { code: 'internal', message: `The service could not send the result of ${message.method}: ${why}` } } });
          }
        }
        break;
      }
      case 'subscribe': {
        const { subscription } = message;
        const result = await host.subscribe(message.topic, message.input, (m) => {
          post({ type: 'stream', subscription, message: m });
          if (m.kind === 'end') ids.delete(subscription);
        });
        if (result.ok) ids.set(subscription, result.value);
        post({ type: 'result', id: message.id, result: result.ok ? { ok: true, value: subscription } : result });
        break;
      }
      case 'unsubscribe': {
        const inner = ids.get(message.subscription);
        ids.delete(message.subscription);
        if (inner) await host.unsubscribe(inner);
        break;
      }
    }
  });
}
