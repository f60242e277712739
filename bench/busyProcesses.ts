/**
 * A machine at a known load: N processes that spin on a core each until stopped, so a figure
 * "at load 2" means the same on every run rather than whatever else the machine was doing.
 * Each one's CPU time is read from its schedstat when it stops, so the bench can show the load was real.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { schedstat } from './threadTimes';

export interface BusyProcesses {
  /** Stops them all; returns the share of a core each used while it ran (1 = a whole core). */
  stop(): number[];
}

export function startBusyProcesses(count: number): BusyProcesses {
  const started = performance.now();
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }),
  );
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const shares = children.map((child) => {
        let share = Number.NaN;
        try {
          share = schedstat(`/proc/${child.pid}/schedstat`).run / 1000 / seconds;
        } catch {
          // Gone already: its share is unknown, and says so as NaN.
        }
        child.kill('SIGKILL');
        return share;
      });
      return shares;
    },
  };
}
