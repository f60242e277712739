import { closeSync, openSync, readSync } from 'node:fs';
import { VmscopeError } from '../../../shared/errors';
import type { CountersReader } from '../source';
import { countersFromProc } from './counters';
import { PROC, procError } from './procfs';
import { parseProcStat } from './procStat';
import type { ProcStatus } from './procStatus';

const BUFFER_BYTES = 16 * 1024;

/** The status fields countersFromProc reads (the reader's test checks it against the source). */
const STATUS_FIELDS = [
  'VmPeak',
  'VmSize',
  'VmLck',
  'VmHWM',
  'VmRSS',
  'RssAnon',
  'RssFile',
  'RssShmem',
  'VmPTE',
  'VmSwap',
];
/** Each field's line start, built once: the search strings are not rebuilt 2,000 times a second. */
const STATUS_NEEDLES = STATUS_FIELDS.map((name) => ({ name, needle: `\n${name}:` }));

/**
 * Only the status fields the counters use: ten searches in 1.5 KB instead of a map of all fifty
 * lines, which at 200 reads a second is most of the garbage the sampler makes.
 */
function pickStatusFields(text: string): ProcStatus {
  const fields: ProcStatus = new Map();
  for (const { name, needle } of STATUS_NEEDLES) {
    const at = text.indexOf(needle);
    if (at < 0) continue;
    const end = text.indexOf('\n', at + 1);
    fields.set(name, text.slice(at + needle.length, end < 0 ? undefined : end).trim());
  }
  return fields;
}

/**
 * The Linux source's counters (the same parsing, the same Counters) read through file
 * descriptors opened once and re-read with pread at offset 0. Opening /proc/PID/status costs
 * several times more than reading it, and at 20 processes x 10 Hz that difference is the whole
 * sampling budget. The reads are synchronous: procfs text is generated in memory and never
 * waits on a disk, and a 1.5 KB pread is cheaper than a thread-pool round trip. A held
 * descriptor also pins the process it was opened for: once it exits the read fails (ESRCH),
 * so a recycled pid can never be mistaken for it.
 */
export function openProcCountersReader(pid: number): CountersReader {
  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  const files = ['status', 'stat'] as const;
  let fds: number[] | null = null;

  const readText = (fd: number, file: string): string => {
    let length: number;
    try {
      length = readSync(fd, buffer, 0, BUFFER_BYTES, 0);
    } catch (err) {
      throw procError(err, pid, `/proc/${pid}/${file}`);
    }
    // An empty read of a file that had content: the process is gone (see procfs.ts).
    if (length === 0)
      throw new VmscopeError(
        'process-exited',
        `Process ${pid} has exited (reading /proc/${pid}/${file}).`,
      );
    return buffer.toString('latin1', 0, length);
  };

  const close = (): void => {
    for (const fd of fds ?? []) closeSync(fd);
    fds = null;
  };

  return {
    async read() {
      if (!fds) {
        const opened: number[] = [];
        try {
          for (const file of files) opened.push(openSync(`${PROC}/${pid}/${file}`, 'r'));
        } catch (err) {
          for (const fd of opened) closeSync(fd);
          throw procError(err, pid, `/proc/${pid}`);
        }
        fds = opened;
      }
      const [status, stat] = fds as [number, number];
      return countersFromProc(
        pickStatusFields(readText(status, 'status')),
        parseProcStat(readText(stat, 'stat')),
      );
    },
    close,
  };
}
