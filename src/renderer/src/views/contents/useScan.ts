import { useCallback, useEffect, useRef, useState } from 'react';
import type { TopicEvent, TopicInput } from '../../../../shared/api';
import type { ScanProgress } from '../../../../shared/memoryScan';
import type { Subscription } from '../../../../shared/bridge';
import { client } from '../../client';

type ScanTopic = 'process.search' | 'process.strings' | 'region.stats';

/** The most results a pane keeps (the CLI gives them all). */
export const MAX_SHOWN = 10_000;

export interface ScanState<R> {
  running: boolean;
  progress: ScanProgress | null;
  results: R[];
  /** More results came than the pane keeps. */
  clipped: boolean;
  finished: { truncated: boolean } | null;
  error: string | null;
  ownProcess: boolean;
}

const IDLE = {
  running: false,
  progress: null,
  results: [],
  clipped: false,
  finished: null,
  error: null,
  ownProcess: false,
};

/**
 * One memory scan stream at a time: start, cancel (closing the stream stops the scan in the
 * service), and what it has found so far. Unmounting cancels.
 */
export function useScan<T extends ScanTopic, R>(
  topic: T,
  resultsOf: (event: TopicEvent<T>) => R[],
): [ScanState<R>, (input: TopicInput<T>) => void, () => void] {
  const [state, setState] = useState<ScanState<R>>(IDLE);
  const current = useRef<Promise<Subscription | null> | null>(null);

  const cancel = useCallback(() => {
    const sub = current.current;
    current.current = null;
    void sub?.then((s) => s?.close());
    setState((s) => ({ ...s, running: false }));
  }, []);

  const start = useCallback(
    (input: TopicInput<T>) => {
      cancel();
      setState({ ...IDLE, running: true });
      const mine = client
        .subscribe(topic, input, (message) => {
          if (current.current !== mine) return;
          if (message.kind === 'data') {
            const event = message.data as TopicEvent<T> & {
              progress: ScanProgress;
              finished?: { truncated: boolean };
              ownProcess?: boolean;
            };
            const found = resultsOf(event);
            setState((s) => {
              const room = MAX_SHOWN - s.results.length;
              return {
                ...s,
                progress: event.progress,
                results:
                  found.length > 0 && room > 0
                    ? [...s.results, ...found.slice(0, room)]
                    : s.results,
                clipped: s.clipped || found.length > room,
                finished: event.finished ?? s.finished,
                ownProcess: s.ownProcess || event.ownProcess === true,
              };
            });
          } else {
            setState((s) => ({
              ...s,
              running: false,
              error:
                message.reason === 'closed'
                  ? null
                  : (message.error?.message ?? 'The process exited.'),
            }));
          }
        })
        .catch((err: unknown) => {
          setState((s) => ({ ...s, running: false, error: (err as Error).message }));
          return null;
        });
      current.current = mine;
    },
    [topic, resultsOf, cancel],
  );

  useEffect(() => cancel, [cancel]);
  return [state, start, cancel];
}
