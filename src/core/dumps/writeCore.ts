import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { VmscopeError } from '../../shared/errors';

/**
 * A Linux ELF core of a running process, written by gdb's `gcore` (it stops the process for the
 * moment it takes, then lets it go on). gcore names its file PREFIX.PID: it is written next to
 * `out` under a temporary prefix and renamed into place, so `out` is whole or absent.
 */
export function writeCore(pid: number, out: string): void {
  if (!existsSync(`/proc/${pid}`))
    throw new VmscopeError(
      'process-exited',
      `There is no process ${pid}: it has exited, or the id is wrong.`,
    );
  const prefix = `${out}.vmscope-${process.pid}`;
  const written = `${prefix}.${pid}`;
  const run = spawnSync('gcore', ['-o', prefix, String(pid)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60_000,
  });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new VmscopeError(
      'source-unavailable',
      'Writing a core file needs gcore, from gdb: install gdb (Debian and Ubuntu: apt install gdb).',
    );
  if (run.status !== 0 || !existsSync(written)) {
    rmSync(written, { force: true });
    const said = `${run.stderr ?? ''}${run.stdout ?? ''}`;
    if (!existsSync(`/proc/${pid}`))
      throw new VmscopeError(
        'process-exited',
        `Process ${pid} exited before its core was written.`,
      );
    if (/ptrace: Operation not permitted|Permission denied|not permitted/i.test(said))
      throw new VmscopeError(
        'access-denied',
        `gcore may not attach to process ${pid}: it belongs to another user, or kernel.yama.ptrace_scope forbids it (run as root, or with CAP_SYS_PTRACE).`,
      );
    const last = said.trim().split('\n').pop() ?? '';
    throw new VmscopeError(
      'internal',
      `gcore could not write a core of process ${pid}${last ? `: ${last}` : ''}.`,
    );
  }
  renameSync(written, out);
}
