/** Fields of /proc/PID/stat (proc_pid_stat(5)); the name may hold spaces and parentheses. */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  minflt: number;
  majflt: number;
  /** Clock ticks after boot. */
  starttime: number;
  vsize: number;
  rssPages: number;
  flags: number;
}

import { VmscopeError } from '../../../shared/errors';

/** PF_KTHREAD in the stat flags marks a kernel thread. */
const PF_KTHREAD = 0x00200000;

export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error('unrecognised /proc/PID/stat');
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const field = (n: number): number => Number(rest[n - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    flags: field(9),
    minflt: field(10),
    majflt: field(12),
    starttime: field(22),
    vsize: field(23),
    rssPages: field(24),
  };
}

export function isKernelThread(stat: ProcStat): boolean {
  return (stat.flags & PF_KTHREAD) !== 0;
}

/**
 * A zombie (Z) or dead (X) process has exited: its memory is gone and status shows no memory
 * figures, so reading it as zeros would be a lie. Throws `process-exited`.
 */
export function assertNotExited(stat: Pick<ProcStat, 'pid' | 'ppid' | 'state'>): void {
  if (stat.state === 'Z' || stat.state === 'X') {
    throw new VmscopeError(
      'process-exited',
      `Process ${stat.pid} has exited: it is a zombie waiting for its parent (${stat.ppid}) to reap it, and its memory is gone.`,
    );
  }
}
