import { readdir } from 'node:fs/promises';
import type { ProcessInfo } from '../../../shared/model';
import { startTimeIso } from './bootTime';
import {
  PROC,
  readProcText,
  readProcTextSync,
  tryReadLink,
  tryReadLinkSync,
  tryReadProcText,
  tryReadProcTextSync,
} from './procfs';
import { type ProcStat, isKernelThread, parseProcStat } from './procStat';
import { type ProcStatus, parseProcStatus, statusBytes, statusUid } from './procStatus';
import { userName } from './users';

/** One reading of a process's stat and status, and what the process list shows of it. */
export interface ProcessFacts {
  stat: ProcStat;
  status: ProcStatus;
  info: ProcessInfo;
}

/** Everything the process list shows for one pid; throws the contract's error if it vanished. */
export async function readProcessInfo(pid: number): Promise<ProcessInfo> {
  return (await readProcessFacts(pid)).info;
}

export async function readProcessFacts(pid: number): Promise<ProcessFacts> {
  const [statText, statusText, cmdline, exe] = await Promise.all([
    readProcText(pid, 'stat'),
    readProcText(pid, 'status'),
    tryReadProcText(pid, 'cmdline'),
    tryReadLink(pid, 'exe'),
  ]);
  return factsOf(pid, statText, statusText, cmdline, exe);
}

/**
 * The same, read synchronously: for a snapshot, which reads these right after smaps on a thread
 * that is busy with the snapshot anyway (procfs.ts says why). The process list reads hundreds of
 * pids and keeps the parallel reads above.
 */
export function readProcessFactsSync(pid: number): ProcessFacts {
  return factsOf(
    pid,
    readProcTextSync(pid, 'stat'),
    readProcTextSync(pid, 'status'),
    tryReadProcTextSync(pid, 'cmdline'),
    tryReadLinkSync(pid, 'exe'),
  );
}

function factsOf(
  pid: number,
  statText: string,
  statusText: string,
  cmdline: string | null,
  exe: string | null,
): ProcessFacts {
  const stat = parseProcStat(statText);
  const status = parseProcStatus(statusText);
  const kernelThread = isKernelThread(stat);
  const args = cmdline ? cmdline.split('\0').filter((a) => a.length > 0) : [];
  const info: ProcessInfo = {
    pid,
    parentPid: stat.ppid || null,
    // comm is cut at 15 characters; status Name is the same. The executable's base name is whole.
    name:
      exe && !kernelThread
        ? (exe
            .replace(/ \(deleted\)$/, '')
            .split('/')
            .pop() ?? stat.comm)
        : stat.comm,
    path: exe,
    user: userName(statusUid(status)),
    workingSetSize: kernelThread ? null : statusBytes(status, 'VmRSS'),
    privateBytes: kernelThread
      ? null
      : statusBytes(status, 'RssAnon') + statusBytes(status, 'VmSwap'),
    startTime: startTimeIso(stat.starttime),
    commandLine: args.length > 0 ? args.join(' ') : null,
    kernelThread,
    comm: stat.comm,
    virtualSize: kernelThread ? null : stat.vsize,
    pageFaults: stat.minflt + stat.majflt,
  };
  return { stat, status, info };
}

/** All processes; one that exits while being read is left out, not an error. */
export async function listLinuxProcesses(): Promise<ProcessInfo[]> {
  const entries = await readdir(PROC);
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const infos = await Promise.all(pids.map((pid) => readProcessInfo(pid).catch(() => null)));
  return infos.filter((p): p is ProcessInfo => p !== null);
}
