import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { StreamMessage } from '../../shared/api';
import type { Result } from '../../shared/errors';
import type { ServiceOptions } from '../service';
import type { ServiceHost } from '../serviceHost';
import type { FromWorker, ToWorker } from './protocol';

/**
 * The service in a worker thread behind the ServiceHost interface. If the worker dies, pending
 * calls fail with `internal`, open streams end with `error`, and the next call starts a new one.
 */
export function createWorkerServiceHost(workerFile: string, options: ServiceOptions = {}): ServiceHost {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, (message: StreamMessage) => void>();

  const fail = (why: string): void => {
    const error = { code: 'internal' as const, message: `The vmscope service stopped: ${why}` };
    for (const resolve of pending.values()) resolve({ ok: false, error });
    pending.clear();
    for (const listener of listeners.values()) listener({ kind: 'end', reason: 'error', error });
    listeners.clear();
    worker = null;
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(workerFile, { workerData: options });
    w.on('message', (message: FromWorker) => {
      if (message.type === 'result') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else {
        const listener = listeners.get(message.subscription);
        if (message.message.kind === 'end') listeners.delete(message.subscription);
        listener?.(message.message);
      }
    });
    w.on('error', (err) => fail(err.message));
    w.on('exit', (code) => {
      if (worker === w) fail(`worker exited with code ${code}`);
    });
    worker = w;
    return w;
  };

  const request = (build: (id: number) => ToWorker): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ensure().postMessage(build(id));
    });

  return {
    call: (method, input) => request((id) => ({ type: 'call', id, method, input })),
    async subscribe(topic, input, listener) {
      const subscription = randomUUID();
      listeners.set(subscription, listener);
      const result = await request((id) => ({ type: 'subscribe', id, subscription, topic, input }));
      if (!result.ok) listeners.delete(subscription);
      return result as Result<string>;
    },
    async unsubscribe(subscription) {
      if (!listeners.delete(subscription)) return;
      worker?.postMessage({ type: 'unsubscribe', subscription } satisfies ToWorker);
    },
    async close() {
      const w = worker;
      worker = null;
      listeners.clear();
      if (w) await w.terminate();
    },
  };
}
