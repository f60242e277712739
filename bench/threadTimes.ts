/**
 * Where a call's wall time went, thread by thread: the time each thread of this process ran and
 * the time it waited in the run queue for a core (/proc/self/task/TID/schedstat, in ns). On a busy
 * machine that wait, not the work, is what stretches a call; this says which thread paid it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { statsOf } from './harness';

interface Times {
  run: number;
  wait: number;
}

/** A task's run and run-queue times so far, in ms, from a schedstat file (`/proc/PID/schedstat`, `/proc/self/task/TID/schedstat`). */
export function schedstat(path: string): Times {
  const [run, wait] = readFileSync(path, 'latin1').split(' ');
  return { run: Number(run) / 1e6, wait: Number(wait) / 1e6 };
}

function threads(): Map<string, Times> {
  const all = new Map<string, Times>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      all.set(tid, schedstat(`/proc/self/task/${tid}/schedstat`));
    } catch {
      // The thread ended between the listing and the read: it ran nothing to count here.
    }
  }
  return all;
}

/** One call's split, in ms. */
interface Split {
  main: Times;
  /** The other thread that ran longest: in a Linux snapshot, the read-ahead thread. */
  busiest: Times;
  /** Every other thread (V8's compiler and collector helpers, libuv's pool), added up. */
  rest: Times;
}

export interface ThreadTimes {
  /** `fn`, recording the split of each call. */
  wrap(fn: () => unknown): () => Promise<void>;
  /** The median of each part over the calls after the first `skip`, as one line. */
  describe(skip: number, busiestName: string): string;
}

export function threadTimes(): ThreadTimes {
  const splits: Split[] = [];
  const main = String(process.pid);
  return {
    wrap(fn) {
      return async () => {
        const before = threads();
        await fn();
        const after = threads();
        const split: Split = {
          main: { run: 0, wait: 0 },
          busiest: { run: 0, wait: 0 },
          rest: { run: 0, wait: 0 },
        };
        for (const [tid, t] of after) {
          const b = before.get(tid) ?? { run: 0, wait: 0 };
          const d = { run: t.run - b.run, wait: t.wait - b.wait };
          if (tid === main) split.main = d;
          else if (d.run > split.busiest.run) {
            split.rest.run += split.busiest.run;
            split.rest.wait += split.busiest.wait;
            split.busiest = d;
          } else {
            split.rest.run += d.run;
            split.rest.wait += d.wait;
          }
        }
        splits.push(split);
      };
    },
    describe(skip, busiestName) {
      const kept = splits.slice(skip);
      const median = (pick: (s: Split) => number): string =>
        statsOf(kept.map(pick)).median.toFixed(0);
      return (
        `${busiestName} ran ${median((s) => s.busiest.run)} ms and waited ${median((s) => s.busiest.wait)} ms for a core; ` +
        `the calling thread ran ${median((s) => s.main.run)} and waited ${median((s) => s.main.wait)}; ` +
        `other threads ran ${median((s) => s.rest.run)} (medians of ${kept.length})`
      );
    },
  };
}
