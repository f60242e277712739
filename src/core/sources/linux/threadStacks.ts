import { readFileSync, readdirSync } from 'node:fs';
import { PROC } from './procfs';

/**
 * Where each thread's stack pointer is, from /proc/PID/task/TID/syscall: for a thread blocked in
 * (or stopped outside) a system call it ends with the user stack pointer and program counter,
 * `nr args... sp pc` or `-1 sp pc`. A thread that is running at that instant says `running` and is
 * left out, as are threads we may not inspect (the file needs ptrace access). stat's kstkesp would
 * be the other source, but the kernel reports it as 0 except while the process dumps core.
 */
export function threadStackPointers(pid: number): Map<number, number> {
  const pointers = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`${PROC}/${pid}/task`);
  } catch {
    return pointers;
  }
  // Synchronous, one small file at a time: a few microseconds each, where a thread-pool read
  // costs round trips between threads (procfs.ts), and no batch of descriptors is held open.
  for (const tid of tids) {
    try {
      const sp = parseSyscallStackPointer(
        readFileSync(`${PROC}/${pid}/task/${tid}/syscall`, 'latin1'),
      );
      if (sp !== null) pointers.set(Number(tid), sp);
    } catch {
      // The thread exited meanwhile, or we may not look: no stack for it.
    }
  }
  return pointers;
}

/** The stack pointer in a /proc/PID/task/TID/syscall line, or null (`running`, malformed). */
export function parseSyscallStackPointer(text: string): number | null {
  const words = text.trim().split(' ');
  if (words.length < 3) return null;
  const sp = words[words.length - 2]!;
  if (!sp.startsWith('0x')) return null;
  const value = Number.parseInt(sp.slice(2), 16);
  return Number.isFinite(value) && value > 0 ? value : null;
}
