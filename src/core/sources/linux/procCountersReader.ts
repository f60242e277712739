import { closeSync, openSync, readSync } from 'node:fs';
import { VmscopeError } from '../../../shared/errors';
import type { Counters } from '../../../shared/model';
import type { CountersReader } from '../source';
import {
  COUNTER_STATUS_FIELDS,
  type CounterStat,
  type CounterStatus,
  countersFromProc,
} from './counters';
import { PROC, procError } from './procfs';

const BUFFER_BYTES = 16 * 1024;

/**
 * One buffer for every reader: the reads are synchronous, so no two are ever in it at once, and
 * the text is parsed from its bytes before the next read.
 */
const buffer = Buffer.allocUnsafe(BUFFER_BYTES);

/** Each status line's start, as bytes, built once. */
const STATUS_NEEDLES = COUNTER_STATUS_FIELDS.map((name) => Buffer.from(`\n${name}:`, 'latin1'));

const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const NINE = 0x39;
const CLOSE_PAREN = 0x29;

/** The decimal number at `at` in the buffer, after any blanks (0 where there is none). */
function numberAt(at: number, end: number): number {
  while (at < end && (buffer[at] === SPACE || buffer[at] === TAB)) at++;
  let n = 0;
  for (let b = buffer[at]!; at < end && b >= ZERO && b <= NINE; b = buffer[++at]!)
    n = n * 10 + (b - ZERO);
  return n;
}

/** Whether the buffer holds `needle` at `at`, within the first `length` bytes. */
function holdsAt(needle: Uint8Array, at: number, length: number): boolean {
  if (at < 0 || at + needle.length > length) return false;
  for (let k = 0; k < needle.length; k++) if (buffer[at + k] !== needle[k]) return false;
  return true;
}

/**
 * The counters' status lines from the first `length` bytes of the buffer into `out`, their
 * `NNN kB` read as bytes; no string is made. `offsets` remembers where each line was last time:
 * a process's status keeps its layout from read to read, so a line is nearly always found there
 * with one comparison; where it is not, a byte search finds it (past `length` lie a previous
 * read's bytes, never this file's).
 */
function readStatus(length: number, out: CounterStatus, offsets: Int32Array): void {
  for (let k = 0; k < COUNTER_STATUS_FIELDS.length; k++) {
    const needle = STATUS_NEEDLES[k]!;
    let at = offsets[k]!;
    if (!holdsAt(needle, at, length)) {
      at = buffer.indexOf(needle);
      if (!holdsAt(needle, at, length)) at = -1;
      offsets[k] = at;
    }
    out[COUNTER_STATUS_FIELDS[k]!] = at < 0 ? null : numberAt(at + needle.length, length) * 1024;
  }
}

/**
 * The stat fields the counters use from the first `length` bytes of the buffer into `out`
 * (proc_pid_stat(5): the name in parentheses may hold anything, so fields are counted from the
 * last `)`).
 */
function readStat(length: number, out: CounterStat): void {
  const close = buffer.lastIndexOf(CLOSE_PAREN, length - 1);
  if (close < 0) throw new Error('unrecognised /proc/PID/stat');
  out.pid = numberAt(0, close);
  // Field 3 (state) is at close + 2; field n starts after n - 3 more spaces.
  out.state = String.fromCharCode(buffer[close + 2]!);
  let field = 3;
  for (let at = close + 2; at < length && field < 12; at++) {
    if (buffer[at] !== SPACE) continue;
    field++;
    if (field === 4) out.ppid = numberAt(at + 1, length);
    else if (field === 10) out.minflt = numberAt(at + 1, length);
    else if (field === 12) out.majflt = numberAt(at + 1, length);
  }
}

/**
 * The Linux source's counters (the same Counters, through the same countersFromProc) read
 * through file descriptors opened once and re-read with pread at offset 0, into one shared buffer,
 * parsed from its bytes: a sample costs two preads and the Counters object it returns, nothing
 * else. Opening /proc/PID/status costs several times more than reading it, and at 20 processes
 * x 10 Hz that difference is the whole sampling budget. The reads are synchronous: procfs text is
 * generated in memory and never waits on a disk, and a 1.5 KB pread is cheaper than a
 * thread-pool round trip. A held descriptor also pins the process it was opened for: once it
 * exits the read fails (ESRCH), so a recycled pid can never be mistaken for it.
 */
export function openProcCountersReader(pid: number): CountersReader {
  let fds: [status: number, stat: number] | null = null;
  // Filled again at every read; countersFromProc copies what it needs.
  const status = {} as CounterStatus;
  const offsets = new Int32Array(COUNTER_STATUS_FIELDS.length).fill(-1);
  const stat: CounterStat = { pid, ppid: 0, state: '?', minflt: 0, majflt: 0 };

  const readFile = (fd: number, file: string): number => {
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
    return length;
  };

  const open = (): [number, number] => {
    const opened: number[] = [];
    try {
      for (const file of ['status', 'stat']) opened.push(openSync(`${PROC}/${pid}/${file}`, 'r'));
    } catch (err) {
      for (const fd of opened) closeSync(fd);
      throw procError(err, pid, `/proc/${pid}`);
    }
    return opened as [number, number];
  };

  const readNow = (): Counters => {
    fds ??= open();
    readStatus(readFile(fds[0], 'status'), status, offsets);
    readStat(readFile(fds[1], 'stat'), stat);
    return countersFromProc(status, stat);
  };
  return {
    readNow,
    read: async () => readNow(),
    close() {
      if (fds) for (const fd of fds) closeSync(fd);
      fds = null;
    },
  };
}
