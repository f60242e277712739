import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { PROC } from './procfs';

/**
 * Whether a core is likely free for a second thread of ours right now: the kernel's count of
 * runnable threads, this one among them (the fourth field of /proc/loadavg, `running/total`), is
 * at most the cores this process may run on.
 *
 * The read-ahead thread (readAhead.ts) pays only where it gets a core of its own: then the scan
 * hides behind the kernel's work. Where every core is taken, its hand-offs and the scan on the
 * other thread compete with the busy threads for the same cores, and reading and scanning on one
 * thread was faster (at load 2 on 2 cores: 1.28x the bare read against 1.49x; alone, 1.20x
 * against 1.12x). The count is a moment's, which is what matters for a read of a few hundred ms.
 */
export function coreLikelyIdle(): boolean {
  try {
    return runnableWithin(readFileSync(`${PROC}/loadavg`, 'latin1'), availableParallelism());
  } catch {
    // No loadavg (a procfs without it): the read-ahead thread, as before this check.
    return true;
  }
}

/** The rule on /proc/loadavg's text, e.g. `0.47 1.24 1.55 3/456 12345`. */
export function runnableWithin(loadavg: string, cores: number): boolean {
  const running = Number.parseInt(loadavg.split(' ')[3] ?? '', 10);
  return !(running > cores);
}
