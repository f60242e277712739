import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { PROC } from './procfs';
import { parseProcStat } from './procStat';

/**
 * Whether a core is likely free for a second thread of ours right now: the kernel's count of
 * runnable threads (the fourth field of /proc/loadavg, `running/total`, this thread among them),
 * less this process's other threads that are runnable (V8's collector and compiler helpers, which
 * come and go within milliseconds), is at most the cores this process may run on.
 *
 * The read-ahead thread (readAhead.ts) pays only where it gets a core of its own: then the scan
 * hides behind the kernel's work. Where every core is taken, it and the scanning thread compete
 * with the busy threads for the same cores and add their hand-offs, and reading and scanning on
 * one thread did as well or better (at load 2 on 2 cores, alternating runs: 0.92-0.99 of the
 * time of two threads; alone, 1.17x the bare read against 1.12x). The count is a moment's,
 * which is what matters for a read of a few hundred milliseconds.
 */
export function coreLikelyIdle(): boolean {
  try {
    const running = runnableThreads(readFileSync(`${PROC}/loadavg`, 'latin1'));
    const cores = availableParallelism();
    return !(running > cores) || running - ownOtherRunnable() <= cores;
  } catch {
    // No loadavg (a procfs without it): the read-ahead thread, as before this check.
    return true;
  }
}

/** The runnable threads in /proc/loadavg's text, e.g. 3 in `0.47 1.24 1.55 3/456 12345`; NaN if absent. */
export function runnableThreads(loadavg: string): number {
  const field = loadavg.split(' ')[3] ?? '';
  return /^\d+\//.test(field) ? Number.parseInt(field, 10) : Number.NaN;
}

/** This process's runnable threads other than the calling one (which is running: it reads). */
function ownOtherRunnable(): number {
  let running = 0;
  for (const tid of readdirSync(`${PROC}/self/task`)) {
    try {
      const stat = parseProcStat(readFileSync(`${PROC}/self/task/${tid}/stat`, 'latin1'));
      if (stat.state === 'R') running++;
    } catch {
      // A thread that ended since the listing runs nothing.
    }
  }
  return Math.max(0, running - 1);
}
