import { readFile, readdir } from 'node:fs/promises';
import { PROC } from './procfs';

const BATCH = 64;

/**
 * Where each thread's stack pointer is, from /proc/PID/task/TID/syscall: for a thread blocked in
 * (or stopped outside) a system call it ends with the user stack pointer and program counter,
 * `nr args... sp pc` or `-1 sp pc`. A thread that is running at that instant says `running` and is
 * left out, as are threads we may not inspect (the file needs ptrace access). stat's kstkesp would
 * be the other source, but the kernel reports it as 0 except while the process dumps core.
 */
export async function threadStackPointers(pid: number): Promise<Map<number, number>> {
  const pointers = new Map<number, number>();
  let tids: string[];
  try {
    tids = await readdir(`${PROC}/${pid}/task`);
  } catch {
    return pointers;
  }
  // In batches: a process with thousands of threads must not use up our file descriptors.
  for (let at = 0; at < tids.length; at += BATCH) {
    await Promise.all(
      tids.slice(at, at + BATCH).map(async (tid) => {
        try {
          const sp = parseSyscallStackPointer(
            await readFile(`${PROC}/${pid}/task/${tid}/syscall`, 'latin1'),
          );
          if (sp !== null) pointers.set(Number(tid), sp);
        } catch {
          // The thread exited meanwhile, or we may not look: no stack for it.
        }
      }),
    );
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
