import { type DumpFile, hex, malformed, safeNumber } from './dumpFile';

/**
 * A Linux ELF core file (the kernel's, or gdb's `gcore`), read from its program headers and notes
 * only: the memory itself stays in the file and is read on demand (coreContents.ts). Layouts are
 * the kernel's (include/uapi/linux/elf.h, fs/binfmt_elf.c); docs/dumps.md lists what each
 * becomes. 64-bit little-endian cores of x86-64 and AArch64 are read; others are refused clearly.
 */

/**
 * The PT_LOAD segments as columns (row i of each array is segment i): a 60,000-mapping core would
 * otherwise make 60,000 small objects to be collected. Addresses are numbers, not BigInts:
 * mappings start on page boundaries, and every page-aligned 64-bit address is exact in a double.
 */
export interface CoreSegments {
  count: number;
  start: Float64Array;
  end: Float64Array;
  /** Where the segment's bytes are in the file. */
  fileOffset: Float64Array;
  /** Bytes of the mapping present in the file, from its start (0: nothing captured). */
  fileSize: Float64Array;
  /** PF_R / PF_W / PF_X bits. */
  flags: Uint8Array;
}

/** NT_FILE as columns: each file-backed mapping's range, file offset and path. */
export interface CoreFiles {
  count: number;
  /** Page-aligned, so exact as numbers (CoreSegments). */
  start: Float64Array;
  end: Float64Array;
  /** Offset into the file in bytes. */
  offset: Float64Array;
  /** Index into `paths`. */
  path: Int32Array;
  /** The distinct paths, each decoded once. */
  paths: string[];
}

/** One NT_PRSTATUS: a thread and where its registers said its stack was. */
export interface CoreThread {
  tid: number;
  stackPointer: bigint;
  programCounter: bigint;
  /** The signal the thread was stopped by (the crashing one for the thread that faulted). */
  signal: number;
}

/** NT_PRPSINFO: the process as `ps` showed it. */
export interface CoreProcessInfo {
  pid: number;
  parentPid: number;
  uid: number;
  gid: number;
  /** The kernel's command name (comm, at most 15 characters). */
  command: string;
  /** The start of the command line (the kernel keeps 80 characters). */
  arguments: string;
}

export interface ElfCore {
  machine: 'x86-64' | 'aarch64';
  segments: CoreSegments;
  files: CoreFiles;
  /** The page size NT_FILE's offsets are counted in. */
  filePageSize: number;
  threads: CoreThread[];
  process: CoreProcessInfo | null;
  /** NT_AUXV: the auxiliary vector the kernel gave the program (AT_* type → value). */
  auxv: Map<number, bigint>;
  /** NT_SIGINFO's signal number, where present. */
  signal: number | null;
  /** The names of the notes read, in file order without repeats (NT_PRSTATUS, NT_FILE, …). */
  notes: string[];
  /** Bytes of captured memory the program headers place past the end of the file (a cut-off core). */
  missingBytes: number;
}

/** Caps: far above any real process (Linux's max_map_count defaults to 65,530), far below harm. */
export const MAX_SEGMENTS = 1_000_000;
export const MAX_THREADS = 100_000;
const MAX_NOTES = 1_000_000;
const MAX_PATH_BYTES = 4096;

const ELF_MAGIC = 0x464c457f; // "\x7fELF" read little-endian
const ET_CORE = 4;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const PT_LOAD = 1;
/** PF_X | PF_W | PF_R: the bits kept (the rest are processor-specific). */
const PF_RWX = 7;
const PT_NOTE = 4;
const PN_XNUM = 0xffff;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const TWO_32 = 2 ** 32;
const TWO_64 = 2 ** 64;
/** Mappings start on (at least) 4 KiB boundaries. */
const PAGE = 4096;

export const NT_PRSTATUS = 1;
export const NT_PRPSINFO = 3;
export const NT_AUXV = 6;
export const NT_SIGINFO = 0x53494749;
export const NT_FILE = 0x46494c45;

const NOTE_NAMES: ReadonlyMap<number, string> = new Map([
  [NT_PRSTATUS, 'NT_PRSTATUS'],
  [NT_PRPSINFO, 'NT_PRPSINFO'],
  [NT_AUXV, 'NT_AUXV'],
  [NT_SIGINFO, 'NT_SIGINFO'],
  [NT_FILE, 'NT_FILE'],
]);

/** elf_prstatus: pr_pid at 32, then the registers at 112 (x86-64 user_regs_struct, arm64 user_pt_regs). */
const PRSTATUS = {
  signal: 0,
  pid: 32,
  registers: 112,
  'x86-64': { size: 336, sp: 19, pc: 16 },
  aarch64: { size: 392, sp: 31, pc: 32 },
} as const;
/** elf_prpsinfo on both 64-bit machines. */
const PRPSINFO = { size: 136, uid: 16, gid: 20, pid: 24, ppid: 28, fname: 40, psargs: 56 } as const;

/** The captured bytes of each mapping, for DumpContents. */
export function capturedRanges(
  core: ElfCore,
): { address: bigint; size: number; fileOffset: number }[] {
  const { count, start, fileSize, fileOffset } = core.segments;
  return Array.from({ length: count }, (_, i) => ({
    address: BigInt(start[i]!),
    size: fileSize[i]!,
    fileOffset: fileOffset[i]!,
  }));
}

/** True when the bytes start like an ELF core (for opening files by their magic). */
export function looksLikeElfCore(head: Uint8Array): boolean {
  return (
    head.length >= 18 &&
    Buffer.from(head.buffer, head.byteOffset, head.length).readUInt32LE(0) === ELF_MAGIC &&
    Buffer.from(head.buffer, head.byteOffset, head.length).readUInt16LE(16) === ET_CORE
  );
}

const cString = (b: Buffer, from: number, length: number): string => {
  const bytes = b.subarray(from, from + length);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
};

export function readElfCore(file: DumpFile): ElfCore {
  const { name } = file;
  const ehdr = file.read(0, EHDR_SIZE, 'the ELF header');
  if (ehdr.readUInt32LE(0) !== ELF_MAGIC)
    malformed(name, 'the ELF header', 0, 'lacks the ELF magic');
  if (ehdr[4] !== 2 || ehdr[5] !== 1)
    malformed(name, 'the ELF header', 4, 'is not 64-bit little-endian (the only cores read)');
  if (ehdr.readUInt16LE(16) !== ET_CORE)
    malformed(name, 'the ELF header', 16, `has type ${ehdr.readUInt16LE(16)}, not a core (4)`);
  const machineCode = ehdr.readUInt16LE(18);
  const machine =
    machineCode === EM_X86_64 ? 'x86-64' : machineCode === EM_AARCH64 ? 'aarch64' : null;
  if (machine === null)
    malformed(name, 'the ELF header', 18, `names machine ${machineCode}, not x86-64 or AArch64`);
  const phoff = safeNumber(name, ehdr.readBigUInt64LE(32), 'e_phoff', 32);
  if (ehdr.readUInt16LE(54) !== PHDR_SIZE)
    malformed(
      name,
      'the ELF header',
      54,
      `gives program headers ${ehdr.readUInt16LE(54)} bytes, not 56`,
    );
  let phnum = ehdr.readUInt16LE(56);
  if (phnum === PN_XNUM) {
    // More than 65,534 mappings: the real count is in section header 0's sh_info.
    const shoff = safeNumber(name, ehdr.readBigUInt64LE(40), 'e_shoff', 40);
    phnum = file.read(shoff, SHDR_SIZE, 'section header 0 (PN_XNUM)').readUInt32LE(44);
  }
  if (phnum > MAX_SEGMENTS)
    malformed(
      name,
      'the program header count',
      56,
      `is ${phnum}, above the cap of ${MAX_SEGMENTS}`,
    );
  const table = file.read(phoff, phnum * PHDR_SIZE, 'the program header table');
  const { segments, noteSegments, missingBytes } = readSegments(
    name,
    file.size,
    table,
    phoff,
    phnum,
  );

  const core: ElfCore = {
    machine,
    segments,
    files: noFiles(),
    filePageSize: 4096,
    threads: [],
    process: null,
    auxv: new Map(),
    signal: null,
    notes: [],
    missingBytes,
  };
  let noteCount = 0;
  for (const segment of noteSegments) {
    const notes = file.read(segment.offset, segment.size, 'a PT_NOTE segment');
    let at = 0;
    while (at + 12 <= notes.length) {
      if (++noteCount > MAX_NOTES)
        malformed(name, 'the notes', segment.offset, `number more than ${MAX_NOTES}`);
      const where = segment.offset + at;
      const nameSize = notes.readUInt32LE(at);
      const descSize = notes.readUInt32LE(at + 4);
      const type = notes.readUInt32LE(at + 8);
      const descAt = at + 12 + align4(nameSize);
      if (descAt + descSize > notes.length)
        malformed(name, 'a note', where, `claims ${descSize} bytes past its segment's end`);
      const noteName = cString(notes, at + 12, nameSize);
      const desc = notes.subarray(descAt, descAt + descSize);
      if (noteName === 'CORE') readNote(core, type, desc, name, segment.offset + descAt);
      at = descAt + align4(descSize);
    }
  }
  return core;
}

/**
 * The PT_LOAD segments and where the PT_NOTE segments are, from the program header table. Apart
 * from readElfCore, and given only bytes and numbers: V8 drops optimized code that embeds the
 * hidden class of an object once every object of it is collected, and the DumpFile of an open
 * is, after a full GC between two opens; this loop over 60,000 headers then stays compiled.
 */
function readSegments(
  name: string,
  fileBytes: number,
  table: Buffer,
  phoff: number,
  phnum: number,
): {
  segments: CoreSegments;
  noteSegments: { offset: number; size: number }[];
  missingBytes: number;
} {
  const segments: CoreSegments = {
    count: 0,
    start: new Float64Array(phnum),
    end: new Float64Array(phnum),
    fileOffset: new Float64Array(phnum),
    fileSize: new Float64Array(phnum),
    flags: new Uint8Array(phnum),
  };
  const noteSegments: { offset: number; size: number }[] = [];
  let missingBytes = 0;
  const view = viewOf(table);
  for (let i = 0; i < phnum; i++) {
    const at = i * PHDR_SIZE;
    const where = phoff + at;
    const type = view.getUint32(at, true);
    if (type !== PT_LOAD && type !== PT_NOTE) continue;
    const offset = u64(view, at + 8);
    const fileSize = u64(view, at + 32);
    if (Number.isNaN(offset) || Number.isNaN(fileSize))
      malformed(name, `program header ${i}`, where, 'has an offset or size beyond any file');
    if (type === PT_NOTE) {
      noteSegments.push({ offset, size: fileSize });
      continue;
    }
    const start = u64(view, at + 16, true);
    const size = u64(view, at + 40, true);
    const end = start + size;
    // Aligned by its low 32 bits: `%` of a double above 2^31 is a slow floating-point remainder.
    if ((view.getUint32(at + 16, true) & (PAGE - 1)) !== 0 || size === 0 || end > TWO_64)
      malformed(
        name,
        `program header ${i}`,
        where,
        `maps ${size} bytes at ${hex(start)}, not a page-aligned mapping`,
      );
    if (fileSize > size)
      malformed(name, `program header ${i}`, where, 'holds more file bytes than memory');
    if (segments.count > 0 && start < segments.end[segments.count - 1]!)
      malformed(name, `program header ${i}`, where, 'overlaps or precedes the mapping before it');
    // A core cut off by a size limit keeps its headers; what lies past the end was not captured.
    const present = Math.max(0, Math.min(fileSize, fileBytes - Math.min(offset, fileBytes)));
    missingBytes += fileSize - present;
    const n = segments.count++;
    segments.start[n] = start;
    segments.end[n] = end;
    segments.fileOffset[n] = offset;
    segments.fileSize[n] = present;
    segments.flags[n] = view.getUint32(at + 4, true) & PF_RWX;
  }

  return { segments, noteSegments, missingBytes };
}

/**
 * A little-endian u64 as a number without making a BigInt (60,000 headers): NaN above 2^53, or
 * with `address`, rounded as a double (exact for page-aligned addresses, which callers check).
 */
function u64(view: DataView, at: number, address = false): number {
  const hi = view.getUint32(at + 4, true);
  if (hi >= 0x200000 && !address) return Number.NaN;
  return hi * TWO_32 + view.getUint32(at, true);
}

/** A DataView over a buffer's bytes: its reads compile to plain loads, unlike Buffer#readUInt32LE. */
const viewOf = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.length);

/** Rounded up to 4 in plain arithmetic: note sizes are 32-bit unsigned, beyond bitwise operators' range. */
const align4 = (n: number): number => n + ((4 - (n % 4)) % 4);

function readNote(core: ElfCore, type: number, desc: Buffer, name: string, where: number): void {
  const label = NOTE_NAMES.get(type);
  if (label === undefined) return;
  if (!core.notes.includes(label)) core.notes.push(label);
  const need = (bytes: number): void => {
    if (desc.length < bytes)
      malformed(name, label, where, `is ${desc.length} bytes, shorter than its ${bytes}`);
  };
  switch (type) {
    case NT_PRSTATUS: {
      const layout = PRSTATUS[core.machine];
      need(layout.size);
      if (core.threads.length >= MAX_THREADS)
        malformed(name, label, where, `is one thread more than the cap of ${MAX_THREADS}`);
      core.threads.push({
        tid: desc.readInt32LE(PRSTATUS.pid),
        signal: desc.readUInt16LE(12),
        stackPointer: desc.readBigUInt64LE(PRSTATUS.registers + layout.sp * 8),
        programCounter: desc.readBigUInt64LE(PRSTATUS.registers + layout.pc * 8),
      });
      return;
    }
    case NT_PRPSINFO:
      need(PRPSINFO.size);
      core.process = {
        pid: desc.readInt32LE(PRPSINFO.pid),
        parentPid: desc.readInt32LE(PRPSINFO.ppid),
        uid: desc.readUInt32LE(PRPSINFO.uid),
        gid: desc.readUInt32LE(PRPSINFO.gid),
        command: cString(desc, PRPSINFO.fname, 16),
        // The kernel stores the arguments NUL-separated, then turns the NULs into spaces.
        arguments: cString(desc, PRPSINFO.psargs, 80).trimEnd(),
      };
      return;
    case NT_AUXV:
      for (let at = 0; at + 16 <= desc.length; at += 16) {
        const key = desc.readBigUInt64LE(at);
        if (key === 0n) break;
        if (key < 1n << 32n) core.auxv.set(Number(key), desc.readBigUInt64LE(at + 8));
      }
      return;
    case NT_SIGINFO:
      need(4);
      core.signal = desc.readInt32LE(0);
      return;
    case NT_FILE:
      readFileNote(core, desc, name, where);
  }
}

const noFiles = (count = 0): CoreFiles => ({
  count: 0,
  start: new Float64Array(count),
  end: new Float64Array(count),
  offset: new Float64Array(count),
  path: new Int32Array(count),
  paths: [],
});

/** NT_FILE: count and page size, count × {start, end, page offset}, then count NUL-ended paths. */
function readFileNote(core: ElfCore, desc: Buffer, name: string, where: number): void {
  if (desc.length < 16) malformed(name, 'NT_FILE', where, 'is shorter than its header');
  const count = desc.readBigUInt64LE(0);
  const pageSize = desc.readBigUInt64LE(8);
  if (count > BigInt(MAX_SEGMENTS) || 16n + count * 24n > BigInt(desc.length))
    malformed(name, 'NT_FILE', where, `lists ${count} files, more than it holds`);
  if (pageSize === 0n || pageSize > 1n << 30n || (pageSize & (pageSize - 1n)) !== 0n)
    malformed(name, 'NT_FILE', where, `gives page size ${pageSize}`);
  const n = Number(count);
  core.filePageSize = Number(pageSize);
  // A second NT_FILE (never written by the kernel or gdb) adds to the first.
  const files = noFiles(core.files.count + n);
  const before = core.files;
  files.start.set(before.start.subarray(0, before.count));
  files.end.set(before.end.subarray(0, before.count));
  files.offset.set(before.offset.subarray(0, before.count));
  files.path.set(before.path.subarray(0, before.count));
  files.paths = before.paths;
  files.count = before.count;
  const byPath = new Map(files.paths.map((p, i) => [p, i]));
  const view = viewOf(desc);
  let text = 16 + n * 24;
  // A file's mappings are listed one after another: a path equal to the one before is not decoded.
  let previous = -1;
  let previousAt = 0;
  let previousLength = -1;
  for (let i = 0; i < n; i++) {
    const limit = Math.min(desc.length, text + MAX_PATH_BYTES + 1);
    // indexOf is a native memchr: a byte loop here was a tenth of a 60,000-mapping open.
    const nul = desc.indexOf(0, text);
    const end = nul < 0 || nul >= limit ? limit : nul;
    if (end === limit)
      malformed(name, 'NT_FILE', where + text, `path ${i} is not NUL-terminated within bounds`);
    const entry = 16 + i * 24;
    const pages = u64(view, entry + 16) * core.filePageSize;
    if (!Number.isSafeInteger(pages))
      malformed(name, 'an NT_FILE offset', where + entry + 16, 'lies beyond any file');
    const row = files.count++;
    files.start[row] = u64(view, entry, true);
    files.end[row] = u64(view, entry + 8, true);
    files.offset[row] = pages;
    if (end - text !== previousLength || !sameBytes(desc, previousAt, text, previousLength)) {
      const path = desc.toString('utf8', text, end);
      previous = byPath.get(path) ?? files.paths.push(path) - 1;
      byPath.set(path, previous);
      previousAt = text;
      previousLength = end - text;
    }
    files.path[row] = previous;
    text = end + 1;
  }
  core.files = files;
}

/** Whether the `length` bytes at `a` and at `b` are the same (compared from the end, where paths differ). */
function sameBytes(bytes: Buffer, a: number, b: number, length: number): boolean {
  for (let k = length - 1; k >= 0; k--) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}
