/**
 * The service on its own thread, so that a 60,000-mapping snapshot or a long simulation never
 * blocks the thread that serves the window or the HTTP host. One runs per lane (protocol.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { StreamMessage } from '../../shared/api';
import type { Result } from '../../shared/errors';
import { wireBuffer } from '../../shared/rpc/resultEncoding';
import { RELOAD_LINGER_MS, Sampler } from '../sampler/sampler';
import { createService } from '../service';
import { createLocalServiceHost } from '../serviceHost';
import type { FromWorker, ToWorker, WorkerData } from './protocol';
import { collectAfterSending } from './snapshotMemory';
import { byteLengthOf, encodedBuffersOf } from './wireBuffers';

type StreamBatch = Extract<FromWorker, { type: 'streams' }>['batch'];

/** A batch's encoded buffers: transferred, not cloned; nothing in this thread reads them after. */
const buffersOf = (batch: StreamBatch): ArrayBuffer[] =>
  encodedBuffersOf(batch.map((item) => item.message));

export function runServiceWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serviceWorker must run in a worker thread');
  const data = workerData as WorkerData;
  const post = (message: FromWorker): void => port.postMessage(message);
  let batch: StreamBatch = [];
  /** Queues a stream message; the turn's messages leave together (protocol.ts, `streams`). */
  const stream = (subscription: string, message: StreamMessage): void => {
    if (batch.length === 0) {
      setImmediate(() => {
        const sent = batch;
        batch = [];
        const buffers = buffersOf(sent);
        const bytes = byteLengthOf(buffers);
        try {
          port.postMessage({ type: 'streams', batch: sent } satisfies FromWorker, buffers);
        } catch {
          // One message the structured clone refuses ends its own stream, not the others or the worker.
          for (const item of sent) {
            try {
              const batch = [item];
              port.postMessage({ type: 'streams', batch } satisfies FromWorker, buffersOf(batch));
            } catch (err) {
              const why = err instanceof Error ? err.message : String(err);
              post({
                type: 'streams',
                batch: [
                  {
                    subscription: item.subscription,
                    message: {
                      kind: 'end',
                      reason: 'error',
                      error: {
                        code: 'internal',
                        message: `The service could not send a stream message: ${why}`,
                      },
                    },
                  },
                ],
              });
            }
          }
        }
        collectAfterSending(bytes);
      });
    }
    batch.push({ subscription, message });
  };
  // Windows are served from here: a reloaded window resubscribes and finds its history.
  const service = createService(undefined, new Sampler({ lingerMs: RELOAD_LINGER_MS }), {
    ...data.options,
    sandbox: { ...data.options.sandbox, journal: (change) => post({ type: 'journal', change }) },
  });
  const host = createLocalServiceHost(service);
  /**
   * Each subscription's id in the host, known once it has started (its modules load first); an
   * unsubscribe that arrives meanwhile waits for it.
   */
  const ids = new Map<string, Promise<string | undefined>>();

  /** Tells the supervisor which process a session's live child is, so it can end it if this worker dies. */
  const reportChild = (result: Result<unknown>): void => {
    const value = result.ok ? (result.value as { session?: unknown; pid?: unknown } | null) : null;
    if (typeof value?.session === 'string' && value.pid !== undefined) {
      post({
        type: 'child',
        session: value.session,
        pid: typeof value.pid === 'number' ? value.pid : null,
      });
    }
  };

  // Calls wait for the rebuild of a dead worker's sessions; they are answered in order after it.
  const ready = (async () => {
    if (data.restore.length === 0) return;
    await service.restoreSessions(data.restore);
    for (const record of data.restore)
      reportChild(await host.call('sandbox.state', { session: record.id }));
  })().finally(() => post({ type: 'restored' }));

  const sendResult = (id: number, method: string, result: Result<unknown>): void => {
    // A binary-encoded result's buffer is transferred rather than cloned (shared/rpc/codecs.ts).
    const buffer = wireBuffer(method, result);
    const bytes = buffer?.byteLength ?? 0;
    try {
      port.postMessage({ type: 'result', id, result } satisfies FromWorker, buffer ? [buffer] : []);
      collectAfterSending(bytes);
    } catch (err) {
      // A value the structured clone refuses must fail this call, not end the service.
      const why = err instanceof Error ? err.message : String(err);
      post({
        type: 'result',
        id,
        result: {
          ok: false,
          error: {
            code: 'internal',
            message: `The service could not send the result of ${method}: ${why}`,
          },
        },
      });
    }
  };

  const handle = async (message: ToWorker): Promise<void> => {
    await ready;
    switch (message.type) {
      case 'call': {
        const result = await host.call(message.method, message.input);
        if (message.method.startsWith('sandbox.')) reportChild(result);
        sendResult(message.id, message.method, result);
        break;
      }
      case 'subscribe': {
        const { subscription } = message;
        const subscribed = host.subscribe(message.topic, message.input, (m) => {
          stream(subscription, m);
          if (m.kind === 'end') ids.delete(subscription);
        });
        ids.set(
          subscription,
          subscribed.then((result) => (result.ok ? result.value : undefined)),
        );
        const result = await subscribed;
        if (!result.ok) ids.delete(subscription);
        post({
          type: 'result',
          id: message.id,
          result: result.ok ? { ok: true, value: subscription } : result,
        });
        break;
      }
      case 'unsubscribe': {
        const inner = ids.get(message.subscription);
        ids.delete(message.subscription);
        const id = await inner;
        if (id) await host.unsubscribe(id);
        break;
      }
    }
  };

  port.on('message', (message: ToWorker) => {
    // Nothing above should throw (calls answer with error values); if it does, that call fails, not the worker.
    handle(message).catch((err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      process.stderr.write(`vmscope service worker: ${why}\n`);
      if (message.type !== 'unsubscribe')
        post({
          type: 'result',
          id: message.id,
          result: { ok: false, error: { code: 'internal', message: `The service failed: ${why}` } },
        });
    });
  });
}
