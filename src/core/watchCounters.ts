import type { StreamMessage } from '../shared/api';
import { toVmError } from '../shared/errors';
import type { Sample } from '../shared/model';
import type { Source } from './sources/source';

/** Wall-clock milliseconds derived from the monotonic clock, so samples never go backwards. */
export function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Reads a process's cheap counters every intervalMs. A process that exits ends the stream with
 * `exited`; any other failure ends it with `error`. Returns the function that stops it.
 */
export function watchCounters(
  source: Source,
  pid: number,
  intervalMs: number,
  emit: (message: StreamMessage<Sample>) => void,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    try {
      const counters = await source.counters(pid);
      if (stopped) return;
      emit({ kind: 'data', data: { pid, time: monotonicNow(), counters } });
      timer = setTimeout(() => void tick(), intervalMs);
    } catch (err) {
      if (stopped) return;
      stopped = true;
      const error = toVmError(err);
      emit({ kind: 'end', reason: error.code === 'process-exited' ? 'exited' : 'error', error });
    }
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
