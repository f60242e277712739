import { randomUUID } from 'node:crypto';
import type { Result } from '../../shared/errors';
import { assertValueDepth } from '../../shared/jsonBounds';
import { toVmError } from '../../shared/errors';
import { wireBuffer } from '../../shared/rpc/resultEncoding';
import { type JournalChange, type SessionRecord, applyJournalChange } from '../sandbox/journal';
import type { ServiceOptions } from '../service';
import { CallQueue } from '../service/callQueue';
import { laneOf } from '../service/lanes';
import { DEFAULT_SERVICE_LIMITS, type ServiceLimits } from '../service/limits';
import type { ServiceHost } from '../serviceHost';
import type { FromWorker, Lane } from './protocol';
import { WorkerSlot } from './workerSlot';
import { HandedOnWire, byteLengthOf, encodedBuffersOf } from './wireBuffers';

export interface SupervisedServiceHost extends ServiceHost {
  /** Ends a lane's workers as if they had crashed (their calls fail, sandbox sessions are rebuilt). */
  restart(lane: Lane, why: string): Promise<void>;
  /** How many workers of a lane are running now (each starts on its lane's first call). */
  running(lane: Lane): number;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * The service in worker threads behind the ServiceHost interface, one concern each: light calls
 * and streams; heavy inspection calls (a pool, behind a bounded queue with deadlines); sandbox
 * sessions (one worker, its own queue). A worker that dies is replaced: its calls fail with
 * `internal`, its streams end with `error`, and a sandbox worker's successor rebuilds every
 * session from the journal (sandbox/journal.ts) after the dead one's live children are killed.
 * docs/security.md explains the design and its limits.
 */
export function createWorkerServiceHost(
  workerFile: string,
  options: ServiceOptions = {},
  limits: Partial<ServiceLimits> = {},
): SupervisedServiceHost {
  const l = { ...DEFAULT_SERVICE_LIMITS, ...limits };
  const sessions = new Map<string, SessionRecord>();
  const children = new Map<string, number>();

  // Light and heavy workers carry snapshots (streams, calls): their bulk is columns outside the V8 heap.
  const columnar = { oldMb: l.workerHeapMb, youngMb: l.workerYoungMb };
  const light = new WorkerSlot(
    workerFile,
    () => ({ lane: 'light', options, restore: [] }),
    columnar,
  );
  const heavy = Array.from(
    { length: l.heavyWorkers },
    () =>
      new WorkerSlot(workerFile, () => ({ lane: 'heavy', options, restore: [] }), columnar, {
        idleMs: l.heavyIdleMs,
      }),
  );
  let restoring = false;
  const sandbox = new WorkerSlot(
    workerFile,
    () => {
      restoring = sessions.size > 0;
      return { lane: 'sandbox', options, restore: [...sessions.values()] };
    },
    { oldMb: l.workerHeapMb },
    {
      onNotice(message: FromWorker) {
        if (message.type === 'journal') {
          applyJournalChange(sessions, message.change);
          if ((message.change as JournalChange).change === 'close')
            children.delete(message.change.id);
        } else if (message.type === 'child') {
          if (message.pid === null) children.delete(message.session);
          else children.set(message.session, message.pid);
        } else if (message.type === 'restored') {
          restoring = false;
        }
      },
      onExit() {
        // The dead worker's live children must not outlive it; the successor starts its own.
        for (const pid of children.values()) killQuietly(pid);
        children.clear();
        // A worker that dies while rebuilding would die again: give the sessions up instead.
        if (restoring) sessions.clear();
        restoring = false;
        // Rebuild now, not on the next call: a window polling its session should find it there.
        if (sessions.size > 0 && !closed) sandbox.start();
      },
    },
  );
  let closed = false;

  const queues: Record<Exclude<Lane, 'light'>, CallQueue> = {
    heavy: new CallQueue(heavy, {
      name: 'heavy',
      maxWaiting: l.heavyQueue,
      deadlineMs: l.heavyDeadlineMs,
      cancelRunning: true,
    }),
    sandbox: new CallQueue([sandbox], {
      name: 'sandbox',
      maxWaiting: l.sandboxQueue,
      deadlineMs: l.sandboxDeadlineMs,
      cancelRunning: false,
    }),
  };
  const wire = new HandedOnWire();
  const slotsOf = (lane: Lane): WorkerSlot[] =>
    lane === 'light' ? [light] : lane === 'heavy' ? heavy : [sandbox];

  // Every worker starts on its lane's first call: a service that is only asked for snapshots
  // never holds a light worker's heap, one that only lists processes never holds a heavy one's.

  return {
    async call(method, input, signal): Promise<Result<unknown>> {
      try {
        // Structured clone recurses: a deep input would overflow the stack on the way to the worker.
        assertValueDepth(input, 'The input');
      } catch (err) {
        return { ok: false, error: toVmError(err) };
      }
      const lane = laneOf(method);
      if (lane === 'light') return light.request((id) => ({ type: 'call', id, method, input }));
      const running = queues[lane].run(method, input, signal);
      if (lane === 'heavy') wire.collectIfLarge();
      const result = await running;
      wire.add(wireBuffer(method, result)?.byteLength ?? 0);
      return result;
    },
    async subscribe(topic, input, listener) {
      try {
        assertValueDepth(input, 'The input');
      } catch (err) {
        return { ok: false, error: toVmError(err) };
      }
      const subscription = randomUUID();
      light.listen(subscription, (message) => {
        wire.add(byteLengthOf(encodedBuffersOf([message])));
        listener(message);
      });
      const requested = light.request((id) => ({
        type: 'subscribe',
        id,
        subscription,
        topic,
        input,
      }));
      wire.collectIfLarge();
      const result = await requested;
      if (!result.ok) light.forget(subscription);
      return result as Result<string>;
    },
    async unsubscribe(subscription) {
      if (!light.forget(subscription)) return;
      light.post({ type: 'unsubscribe', subscription });
    },
    async restart(lane, why) {
      await Promise.all(
        slotsOf(lane).map((slot) =>
          slot.end({
            code: 'internal',
            message: `The vmscope service worker was restarted: ${why}`,
          }),
        ),
      );
    },
    running(lane) {
      return slotsOf(lane).filter((slot) => slot.running).length;
    },
    async close() {
      closed = true;
      sessions.clear();
      const stopped = {
        code: 'internal' as const,
        message: 'The vmscope service is shutting down.',
      };
      await Promise.all([light, ...heavy, sandbox].map((slot) => slot.end(stopped)));
    },
  };
}
