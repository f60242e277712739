import { readFileSync } from 'node:fs';
import { PROC } from './procfs';

/**
 * USER_HZ, the unit of /proc/PID/stat's starttime. The kernel fixes it at 100 on every
 * architecture Node runs on (it is not CONFIG_HZ), and Node cannot call sysconf(_SC_CLK_TCK).
 */
export const USER_HZ = 100;

let bootSeconds: number | null = null;

/** Boot time in seconds since the epoch (`btime` in /proc/stat). */
export function bootTime(): number {
  if (bootSeconds === null) {
    const match = /^btime (\d+)$/m.exec(readFileSync(`${PROC}/stat`, 'utf8'));
    bootSeconds = match ? Number(match[1]) : 0;
  }
  return bootSeconds;
}

export function startTimeIso(starttimeTicks: number): string | null {
  const boot = bootTime();
  if (!boot) return null;
  return new Date((boot + starttimeTicks / USER_HZ) * 1000).toISOString();
}
