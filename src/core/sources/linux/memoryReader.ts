/**
 * Reads another process's memory from /proc/PID/mem with positional reads. The kernel lets us
 * open that file only if we may ptrace the process (PTRACE_MODE_ATTACH: same user and not
 * undumpable, or CAP_SYS_PTRACE; Yama's ptrace_scope may narrow it to descendants). Pages that
 * cannot be read come back as holes: unmapped ones (`free`), PROT_NONE mappings (`no-access`, or
 * `guard` for a small one just below a writable mapping, as glibc puts under each thread stack), and
 * pages the kernel refuses to read (`swapped` when pagemap says the page is in swap, else
 * `unreadable`: [vvar], I/O mappings, a file mapping past the end of its file).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { VmscopeError } from '../../../shared/errors';
import type { HoleReason, MemoryChunk, MemoryHole } from '../../../shared/memoryContents';
import { formatAddress } from '../../../shared/address';
import { PROC, procError, readProcText } from './procfs';
import { userName } from './users';

const PAGE = 4096;
/** PROT_NONE mappings up to this size directly below a writable one are stack guards. */
const GUARD_MAX = 64 * 1024;
/** pagemap entry bits, in the entry's high 32-bit word: 63 present, 62 swapped. */
const PRESENT_BIT = 0x8000_0000;
const SWAPPED_BIT = 0x4000_0000;

interface Mapping {
  start: bigint;
  end: bigint;
  readable: boolean;
  guard: boolean;
  /** Private and backed by no file: a page it never touched is zero without being read. */
  anonymousPrivate: boolean;
  /** [vvar], [vdso], [vsyscall]: the kernel's own pages, read as they are (never faulted in). */
  kernel: boolean;
}

/** The mappings of /proc/PID/maps that overlap [from, to), in address order. */
export function mappingsIn(mapsText: string, from: bigint, to: bigint): Mapping[] {
  const out: Mapping[] = [];
  let pendingNone: Mapping | null = null;
  for (const line of mapsText.split('\n')) {
    const dash = line.indexOf('-');
    const space = line.indexOf(' ');
    if (dash < 0 || space < 0) continue;
    const start = BigInt(`0x${line.slice(0, dash)}`);
    const end = BigInt(`0x${line.slice(dash + 1, space)}`);
    const perms = line.slice(space + 1, space + 5);
    // A PROT_NONE mapping is a guard when the next one starts where it ends and is writable.
    if (pendingNone && pendingNone.end === start && perms[1] === 'w') pendingNone.guard = true;
    pendingNone = null;
    if (end > from && start < to) {
      const [, , , inode, ...path] = line
        .slice(space + 1)
        .trim()
        .split(/\s+/);
      const name = path.join(' ');
      const userNamed = name === '[heap]' || name.startsWith('[stack') || name.startsWith('[anon:');
      const mapping: Mapping = {
        start,
        end,
        readable: perms[0] === 'r',
        guard: false,
        anonymousPrivate: perms[3] === 'p' && inode === '0' && (name === '' || userNamed),
        kernel: name.startsWith('[') && !userNamed,
      };
      if (!mapping.readable && end - start <= BigInt(GUARD_MAX)) pendingNone = mapping;
      out.push(mapping);
    }
    if (start >= to && !pendingNone) break;
  }
  return out;
}

/**
 * A positional read at a bigint offset. Synchronous on purpose: a chunk is a few milliseconds of
 * copying, and a hand-off to the thread pool per chunk costs more than it saves (as for smaps).
 */
function readAt(fd: number, buf: Uint8Array, offset: number, length: number, position: bigint) {
  return readSync(fd, buf, offset, length, position);
}

function ptraceScope(): number | null {
  try {
    return Number(readFileSync(`${PROC}/sys/kernel/yama/ptrace_scope`, 'latin1').trim());
  } catch {
    return null;
  }
}

/** Why the kernel refused to open /proc/PID/mem, and what would help. */
async function accessDenied(pid: number): Promise<VmscopeError> {
  let owner: number | null = null;
  try {
    const status = await readProcText(pid, 'status');
    const uid = /^Uid:\s+(\d+)/m.exec(status);
    owner = uid ? Number(uid[1]) : null;
  } catch {
    // The owner stays unknown.
  }
  const me = process.getuid?.() ?? null;
  const scope = ptraceScope();
  let why: string;
  if (owner !== null && me !== null && owner !== me && me !== 0) {
    why = `it belongs to ${userName(owner)} and vmscope runs as ${userName(me)}. Run vmscope as that user, or as root (or with CAP_SYS_PTRACE).`;
  } else if (scope !== null && scope >= 1) {
    why =
      `kernel.yama.ptrace_scope is ${scope}: ` +
      (scope === 1
        ? 'only a process\'s ancestors may read its memory. Start the process from vmscope, run vmscope with CAP_SYS_PTRACE (or as root), or allow it with "sysctl kernel.yama.ptrace_scope=0".'
        : scope === 2
          ? "only CAP_SYS_PTRACE may read another process's memory. Run vmscope as root or with CAP_SYS_PTRACE."
          : "no process may read another's memory until reboot.");
  } else {
    why =
      'the process is protected (not dumpable, or setuid). Run vmscope as root (or with CAP_SYS_PTRACE).';
  }
  return new VmscopeError(
    'access-denied',
    `Not allowed to read the memory of process ${pid}: ${why}`,
  );
}

async function openMem(pid: number): Promise<number> {
  try {
    return openSync(`${PROC}/${pid}/mem`, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw await accessDenied(pid);
    throw procError(err, pid, `/proc/${pid}/mem`);
  }
}

type Residence = 'present' | 'swapped' | 'absent';

/** The pages [at, at + length) touches: the first one's address and how many. */
function pagesOf(at: bigint, length: number): { firstPage: bigint; pages: number } {
  const firstPage = at - (at % BigInt(PAGE));
  const pages = Number((at + BigInt(length) - firstPage + BigInt(PAGE - 1)) / BigInt(PAGE));
  return { firstPage, pages };
}

/**
 * Where each page of [first, first + count) is, from pagemap; null where pagemap cannot be read.
 * Reading a page that is not present would fault it into the process (and swap it in): the
 * inspector would change the working set it shows. So only present pages are read.
 */
function residence(pid: number, first: bigint, count: number): Residence[] | null {
  let fd: number | undefined;
  try {
    fd = openSync(`${PROC}/${pid}/pagemap`, 'r');
    const buf = Buffer.alloc(count * 8);
    if (readAt(fd, buf, 0, buf.length, (first / BigInt(PAGE)) * 8n) !== buf.length) return null;
    // Bits 63 (present) and 62 (swapped) are in each entry's high word: no BigInt per page,
    // which cost a search a tenth of its time.
    const where = new Array<Residence>(count);
    for (let i = 0; i < count; i++) {
      const high = buf.readUInt32LE(i * 8 + 4);
      where[i] = high & PRESENT_BIT ? 'present' : high & SWAPPED_BIT ? 'swapped' : 'absent';
    }
    return where;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A readable mapping's [at, at + length): present pages are read; a page never touched in a
 * private anonymous mapping is zero (it is zero-fill on demand) without being read; any other
 * page not present is a hole (`swapped`, or `not-resident`: its contents live in a file or a
 * shared object, and reading them would map them in).
 */
function readResident(
  pid: number,
  fd: number,
  bytes: Uint8Array,
  offset: number,
  at: bigint,
  length: number,
  anonymousPrivate: boolean,
  holes: HoleList,
): void {
  const { firstPage, pages } = pagesOf(at, length);
  const where = residence(pid, firstPage, pages);
  if (!where) return readRange(pid, fd, bytes, offset, at, length, holes);
  const end = at + BigInt(length);
  let i = 0;
  while (i < pages) {
    let j = i + 1;
    while (j < pages && where[j] === where[i]) j++;
    const runStart = firstPage + BigInt(i * PAGE);
    const runEnd = firstPage + BigInt(j * PAGE);
    const from = runStart > at ? runStart : at;
    const to = runEnd < end ? runEnd : end;
    const o = offset + Number(from - at);
    const len = Number(to - from);
    if (where[i] === 'present') readRange(pid, fd, bytes, o, from, len, holes);
    else if (where[i] === 'swapped') holes.add(o, len, 'swapped');
    else if (anonymousPrivate) bytes.fill(0, o, o + len);
    else holes.add(o, len, 'not-resident');
    i = j;
  }
}

class HoleList {
  readonly holes: MemoryHole[] = [];
  add(offset: number, size: number, reason: HoleReason): void {
    const last = this.holes.at(-1);
    if (last && last.reason === reason && last.offset + last.size === offset) last.size += size;
    else this.holes.push({ offset, size, reason });
  }
}

/** Reads [at, at + length) into bytes[offset...]; pages that fail are holes, one page at a time. */
function readRange(
  pid: number,
  fd: number,
  bytes: Uint8Array,
  offset: number,
  at: bigint,
  length: number,
  holes: HoleList,
): void {
  try {
    const n = readAt(fd, bytes, offset, length, at);
    if (n === length) return;
  } catch {
    // Some page of the range refuses: find which, page by page.
  }
  const { firstPage, pages } = pagesOf(at, length);
  // Where pagemap cannot be read, a failing page is `unreadable`.
  const where = residence(pid, firstPage, pages);
  for (let i = 0; i < pages; i++) {
    const pageStart = firstPage + BigInt(i * PAGE);
    const from = pageStart > at ? pageStart : at;
    const stop =
      pageStart + BigInt(PAGE) < at + BigInt(length)
        ? pageStart + BigInt(PAGE)
        : at + BigInt(length);
    const o = offset + Number(from - at);
    const len = Number(stop - from);
    let n = -1;
    try {
      n = readAt(fd, bytes, o, len, from);
    } catch {
      // A hole below.
    }
    if (n !== len) {
      bytes.fill(0, o, o + len);
      holes.add(o, len, where?.[i] === 'swapped' ? 'swapped' : 'unreadable');
    }
  }
}

function readMaps(pid: number): string {
  try {
    return readFileSync(`${PROC}/${pid}/maps`, 'latin1');
  } catch (err) {
    throw procError(err, pid, `/proc/${pid}/maps`);
  }
}

/** `size` bytes of process `pid` from `address`, with every unreadable page as a hole. */
export async function readLinuxMemory(
  pid: number,
  address: bigint,
  size: number,
  into?: Uint8Array,
): Promise<MemoryChunk> {
  const end = address + BigInt(size);
  // mem first: maps is guarded by the same ptrace check, and mem's refusal is the one we explain.
  const fd = await openMem(pid);
  // Every byte is either read or zeroed as a hole: no need to zero the buffer first.
  const raw = into ?? Buffer.allocUnsafeSlow(size);
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, size);
  const holes = new HoleList();
  try {
    const mapsText = readMaps(pid);
    let cursor = address;
    for (const m of mappingsIn(mapsText, address, end)) {
      if (m.start > cursor) holes.add(Number(cursor - address), Number(m.start - cursor), 'free');
      const from = m.start > cursor ? m.start : cursor;
      const to = m.end < end ? m.end : end;
      if (to <= from) continue;
      const offset = Number(from - address);
      const length = Number(to - from);
      if (!m.readable) holes.add(offset, length, m.guard ? 'guard' : 'no-access');
      else if (m.kernel) readRange(pid, fd, bytes, offset, from, length, holes);
      else readResident(pid, fd, bytes, offset, from, length, m.anonymousPrivate, holes);
      cursor = to;
    }
    if (cursor < end) holes.add(Number(cursor - address), Number(end - cursor), 'free');
  } finally {
    closeSync(fd);
  }
  for (const h of holes.holes) bytes.fill(0, h.offset, h.offset + h.size);
  return { address: formatAddress(address), bytes, holes: holes.holes };
}
