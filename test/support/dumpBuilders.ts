/**
 * Dump and core files built from the documented layouts (Microsoft's minidumpapiset.h; the
 * kernel's elf.h and binfmt_elf.c), for the parsers' unit and fuzz tests, the e2e tests and the
 * bench: what real writers omit (Wine's dbghelp writes no ThreadInfoListStream, say) is built here.
 */

export interface BuiltMemoryInfo {
  base: bigint;
  allocationBase: bigint;
  allocationProtect: number;
  size: bigint;
  state: number;
  protect: number;
  type: number;
}

export interface MinidumpParts {
  timeDateStamp?: number;
  pid?: number;
  architecture?: number;
  memoryInfo?: BuiltMemoryInfo[];
  modules?: { base: bigint; size: number; path: string }[];
  threads?: { id: number; teb: bigint; stack: bigint; stackBytes: number }[];
  threadInfo?: boolean;
  /** Captured memory, written as a Memory64ListStream (or a MemoryListStream with `memory32`). */
  memory?: { address: bigint; bytes: Uint8Array }[];
  memory32?: boolean;
  vmCounters?: { workingSetSize: number; privateUsage: number; pageFaultCount: number };
}

class Writer {
  private chunks: Buffer[] = [];
  size = 0;
  /** Appends bytes (padded to 8) and returns their offset. */
  add(b: Buffer): number {
    const at = this.size;
    const padded = Buffer.alloc((b.length + 7) & ~7);
    b.copy(padded);
    this.chunks.push(padded);
    this.size += padded.length;
    return at;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export function buildMinidump(parts: MinidumpParts): Buffer {
  const w = new Writer();
  const header = Buffer.alloc(32);
  w.add(header);
  const streams: { type: number; size: number; rva: number }[] = [];
  const stream = (type: number, b: Buffer): void => {
    streams.push({ type, size: b.length, rva: w.add(b) });
  };

  const system = Buffer.alloc(56);
  system.writeUInt16LE(parts.architecture ?? 9, 0);
  system.writeUInt32LE(10, 8);
  system.writeUInt32LE(19045, 16);
  stream(7, system);

  const misc = Buffer.alloc(24);
  misc.writeUInt32LE(24, 0);
  misc.writeUInt32LE(parts.pid === undefined ? 0 : 1, 4);
  misc.writeUInt32LE(parts.pid ?? 0, 8);
  stream(15, misc);

  if (parts.modules) {
    const names = parts.modules.map((m) => {
      const text = Buffer.from(m.path, 'utf16le');
      const s = Buffer.alloc(4 + text.length + 2);
      s.writeUInt32LE(text.length, 0);
      text.copy(s, 4);
      return w.add(s);
    });
    const list = Buffer.alloc(4 + parts.modules.length * 108);
    list.writeUInt32LE(parts.modules.length, 0);
    parts.modules.forEach((m, i) => {
      const at = 4 + i * 108;
      list.writeBigUInt64LE(m.base, at);
      list.writeUInt32LE(m.size, at + 8);
      list.writeUInt32LE(names[i]!, at + 20);
    });
    stream(4, list);
  }

  if (parts.threads) {
    const list = Buffer.alloc(4 + parts.threads.length * 48);
    list.writeUInt32LE(parts.threads.length, 0);
    parts.threads.forEach((t, i) => {
      const at = 4 + i * 48;
      list.writeUInt32LE(t.id, at);
      list.writeBigUInt64LE(t.teb, at + 16);
      list.writeBigUInt64LE(t.stack, at + 24);
      list.writeUInt32LE(t.stackBytes, at + 32);
    });
    stream(3, list);
    if (parts.threadInfo) {
      const info = Buffer.alloc(12 + parts.threads.length * 64);
      info.writeUInt32LE(12, 0);
      info.writeUInt32LE(64, 4);
      info.writeUInt32LE(parts.threads.length, 8);
      parts.threads.forEach((t, i) => info.writeUInt32LE(t.id, 12 + i * 64));
      stream(17, info);
    }
  }

  if (parts.memoryInfo) {
    const list = Buffer.alloc(16 + parts.memoryInfo.length * 48);
    list.writeUInt32LE(16, 0);
    list.writeUInt32LE(48, 4);
    list.writeBigUInt64LE(BigInt(parts.memoryInfo.length), 8);
    parts.memoryInfo.forEach((m, i) => {
      const at = 16 + i * 48;
      list.writeBigUInt64LE(m.base, at);
      list.writeBigUInt64LE(m.allocationBase, at + 8);
      list.writeUInt32LE(m.allocationProtect, at + 16);
      list.writeBigUInt64LE(m.size, at + 24);
      list.writeUInt32LE(m.state, at + 32);
      list.writeUInt32LE(m.protect, at + 36);
      list.writeUInt32LE(m.type, at + 40);
    });
    stream(16, list);
  }

  if (parts.vmCounters) {
    const vm = Buffer.alloc(80);
    vm.writeUInt16LE(1, 0);
    vm.writeUInt32LE(parts.vmCounters.pageFaultCount, 4);
    vm.writeBigUInt64LE(BigInt(parts.vmCounters.workingSetSize), 16);
    vm.writeBigUInt64LE(BigInt(parts.vmCounters.privateUsage), 72);
    stream(22, vm);
  }

  const memory = parts.memory ?? [];
  if (parts.memory32) {
    const list = Buffer.alloc(4 + memory.length * 16);
    list.writeUInt32LE(memory.length, 0);
    memory.forEach((m, i) => {
      const rva = w.add(Buffer.from(m.bytes));
      list.writeBigUInt64LE(m.address, 4 + i * 16);
      list.writeUInt32LE(m.bytes.length, 4 + i * 16 + 8);
      list.writeUInt32LE(rva, 4 + i * 16 + 12);
    });
    stream(5, list);
  } else if (memory.length > 0) {
    const list = Buffer.alloc(16 + memory.length * 16);
    list.writeBigUInt64LE(BigInt(memory.length), 0);
    memory.forEach((m, i) => {
      list.writeBigUInt64LE(m.address, 16 + i * 16);
      list.writeBigUInt64LE(BigInt(m.bytes.length), 16 + i * 16 + 8);
    });
    const listRva = w.add(list);
    streams.push({ type: 9, size: list.length, rva: listRva });
    // The ranges' bytes follow one another, unpadded, from BaseRva.
    const data = Buffer.concat(memory.map((m) => Buffer.from(m.bytes)));
    const base = w.add(data);
    const bytes = w.bytes();
    bytes.writeBigUInt64LE(BigInt(base), listRva + 8);
    return finish(bytes, streams, parts);
  }
  return finish(w.bytes(), streams, parts);
}

function finish(
  body: Buffer,
  streams: { type: number; size: number; rva: number }[],
  parts: MinidumpParts,
): Buffer {
  const directory = Buffer.alloc(streams.length * 12);
  streams.forEach((s, i) => {
    directory.writeUInt32LE(s.type, i * 12);
    directory.writeUInt32LE(s.size, i * 12 + 4);
    directory.writeUInt32LE(s.rva, i * 12 + 8);
  });
  const out = Buffer.concat([body, directory]);
  out.writeUInt32LE(0x504d444d, 0);
  out.writeUInt32LE(0xa793, 4);
  out.writeUInt32LE(streams.length, 8);
  out.writeUInt32LE(body.length, 12);
  out.writeUInt32LE(parts.timeDateStamp ?? 1_800_000_000, 20);
  return out;
}

export interface CoreParts {
  pid: number;
  command: string;
  arguments?: string;
  /**
   * PF_R = 4, PF_W = 2, PF_X = 1; `bytes` are the captured contents (none: not dumped), or
   * `captured` their length alone, for a file whose contents the caller leaves sparse.
   */
  segments: {
    address: bigint;
    size: bigint;
    flags: number;
    bytes?: Uint8Array;
    captured?: number;
  }[];
  files?: { start: bigint; end: bigint; pageOffset: bigint; path: string }[];
  threads?: { tid: number; sp: bigint }[];
  auxv?: [number, bigint][];
}

function note(name: string, type: number, desc: Buffer): Buffer {
  const n = Buffer.from(`${name}\0`, 'latin1');
  const head = Buffer.alloc(12);
  head.writeUInt32LE(n.length, 0);
  head.writeUInt32LE(desc.length, 4);
  head.writeUInt32LE(type, 8);
  const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  return Buffer.concat([head, pad(n), pad(desc)]);
}

/** The notes of a core: NT_PRSTATUS per thread, NT_PRPSINFO, NT_AUXV, NT_FILE (x86-64 layouts). */
export function coreNotes(parts: CoreParts): Buffer {
  const notes: Buffer[] = [];
  for (const t of parts.threads ?? [{ tid: parts.pid, sp: 0n }]) {
    const d = Buffer.alloc(336);
    d.writeInt32LE(t.tid, 32);
    d.writeBigUInt64LE(t.sp, 112 + 19 * 8);
    notes.push(note('CORE', 1, d));
  }
  const ps = Buffer.alloc(136);
  ps.writeInt32LE(parts.pid, 24);
  ps.write(parts.command.slice(0, 15), 40, 'latin1');
  ps.write((parts.arguments ?? parts.command).slice(0, 79), 56, 'latin1');
  notes.push(note('CORE', 3, ps));
  const auxv = parts.auxv ?? [];
  const a = Buffer.alloc((auxv.length + 1) * 16);
  auxv.forEach(([k, v], i) => {
    a.writeBigUInt64LE(BigInt(k), i * 16);
    a.writeBigUInt64LE(v, i * 16 + 8);
  });
  notes.push(note('CORE', 6, a));
  const files = parts.files ?? [];
  const table = Buffer.alloc(16 + files.length * 24);
  table.writeBigUInt64LE(BigInt(files.length), 0);
  table.writeBigUInt64LE(4096n, 8);
  files.forEach((f, i) => {
    table.writeBigUInt64LE(f.start, 16 + i * 24);
    table.writeBigUInt64LE(f.end, 16 + i * 24 + 8);
    table.writeBigUInt64LE(f.pageOffset, 16 + i * 24 + 16);
  });
  const names = Buffer.from(files.map((f) => `${f.path}\0`).join(''), 'utf8');
  notes.push(note('CORE', 0x46494c45, Buffer.concat([table, names])));
  return Buffer.concat(notes);
}

/**
 * An ELF core's headers and notes, and where each segment's captured bytes go: the caller writes
 * them (a small core in memory, or a huge sparse one on disk for the bench).
 */
export function coreLayout(parts: CoreParts): {
  head: Buffer;
  data: { offset: number; bytes: Uint8Array }[];
  size: number;
} {
  const notes = coreNotes(parts);
  const phnum = parts.segments.length + 1;
  const phoff = 64;
  const notesAt = phoff + phnum * 56;
  let offset = (notesAt + notes.length + 4095) & ~4095;
  const head = Buffer.alloc(notesAt + notes.length);
  head.writeUInt32LE(0x464c457f, 0);
  head[4] = 2;
  head[5] = 1;
  head[6] = 1;
  head.writeUInt16LE(4, 16);
  head.writeUInt16LE(62, 18);
  head.writeUInt32LE(1, 20);
  head.writeBigUInt64LE(BigInt(phoff), 32);
  head.writeUInt16LE(64, 52);
  head.writeUInt16LE(56, 54);
  head.writeUInt16LE(phnum >= 0xffff ? 0xffff : phnum, 56);
  const ph = (
    i: number,
    type: number,
    flags: number,
    off: number,
    vaddr: bigint,
    filesz: number,
    memsz: bigint,
  ): void => {
    const at = phoff + i * 56;
    head.writeUInt32LE(type, at);
    head.writeUInt32LE(flags, at + 4);
    head.writeBigUInt64LE(BigInt(off), at + 8);
    head.writeBigUInt64LE(vaddr, at + 16);
    head.writeBigUInt64LE(BigInt(filesz), at + 32);
    head.writeBigUInt64LE(memsz, at + 40);
  };
  ph(0, 4, 0, notesAt, 0n, notes.length, 0n);
  notes.copy(head, notesAt);
  const data: { offset: number; bytes: Uint8Array }[] = [];
  parts.segments.forEach((s, i) => {
    const size = s.bytes?.length ?? s.captured ?? 0;
    ph(i + 1, 1, s.flags, offset, s.address, size, s.size);
    if (s.bytes && size > 0) data.push({ offset, bytes: s.bytes });
    offset += (size + 4095) & ~4095;
  });
  return { head, data, size: offset };
}

export function buildCore(parts: CoreParts): Buffer {
  const { head, data, size } = coreLayout(parts);
  const out = Buffer.alloc(size);
  head.copy(out);
  for (const d of data) out.set(d.bytes, d.offset);
  return out;
}
