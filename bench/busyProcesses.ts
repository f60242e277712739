/**
 * A machine at a known load: N processes that spin on a core each until stopped, so a figure
 * "at load 2" means the same on every run rather than whatever else the machine was doing.
 * Each one's CPU time is read from /proc when it stops, so the bench can show the load was real.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface BusyProcesses {
  /** Stops them all; returns the share of a core each used while it ran (1 = a whole core). */
  stop(): number[];
}

/** Clock ticks a second: utime and stime in /proc/PID/stat count these (100 on every Linux port). */
const TICKS_PER_SECOND = 100;

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
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
          share = cpuSeconds(child.pid!) / seconds;
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
