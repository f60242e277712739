import { dispatchSubscribe } from '../../src/core/dispatch';
import type { createService } from '../../src/core/service';
import type { StreamMessage } from '../../src/shared/api';

/** Runs one of a service's streams to its end, as a face would: its data events and its end. */
export function runStream<E>(
  service: ReturnType<typeof createService>,
  topic: string,
  input: unknown,
): Promise<{ events: E[]; end: StreamMessage }> {
  return new Promise((resolve, reject) => {
    const events: E[] = [];
    void dispatchSubscribe(service, topic, input, (m) => {
      if (m.kind === 'data') events.push(m.data as E);
      else resolve({ events, end: m });
    }).then((started) => {
      if (!started.ok) reject(new Error(started.error.message));
    });
  });
}
