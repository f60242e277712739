import type { MemoryBasicInfo } from '../win32/memoryBasicInfo';
import { type DumpFile, hex, malformed } from './dumpFile';

/**
 * A Windows minidump read from Microsoft's documented layout (minidumpapiset.h: MINIDUMP_HEADER,
 * MINIDUMP_DIRECTORY and the stream structures). Only the header, the directory and the streams
 * below are read, each where the directory says it is; memory contents stay in the file and are
 * read on demand (dumpContents.ts). docs/dumps.md lists what each stream becomes.
 */

export const STREAM = {
  ThreadListStream: 3,
  ModuleListStream: 4,
  MemoryListStream: 5,
  ExceptionStream: 6,
  SystemInfoStream: 7,
  ThreadExListStream: 8,
  Memory64ListStream: 9,
  CommentStreamA: 10,
  CommentStreamW: 11,
  HandleDataStream: 12,
  FunctionTableStream: 13,
  UnloadedModuleListStream: 14,
  MiscInfoStream: 15,
  MemoryInfoListStream: 16,
  ThreadInfoListStream: 17,
  HandleOperationListStream: 18,
  TokenStream: 19,
  SystemMemoryInfoStream: 21,
  ProcessVmCountersStream: 22,
} as const;
const STREAM_NAMES = new Map<number, string>(Object.entries(STREAM).map(([k, v]) => [v, k]));

export interface MinidumpThread {
  threadId: number;
  teb: bigint;
  /** The captured stack: from the stack pointer at dump time up. */
  stackStart: bigint;
  stackSize: number;
}

export interface MinidumpModule {
  base: bigint;
  size: number;
  path: string;
  timeDateStamp: number;
}

/** A captured range of memory and where its bytes are in the file. */
export interface MemoryRange {
  address: bigint;
  size: number;
  fileOffset: number;
}

export interface MinidumpThreadInfo {
  threadId: number;
  /** FILETIME (100 ns since 1601), 0 where unknown. */
  createTime: bigint;
  startAddress: bigint;
}

export interface Minidump {
  /** When the dump was written (TimeDateStamp, seconds since 1970). */
  timeDateStamp: number;
  flags: bigint;
  /** The names of the streams present, in directory order (unknown types as `stream N`). */
  streams: string[];
  memoryInfo: MemoryBasicInfo[] | null;
  modules: MinidumpModule[];
  threads: MinidumpThread[];
  threadInfo: MinidumpThreadInfo[];
  /** Captured memory, sorted by address. */
  memory: MemoryRange[];
  system: {
    architecture: number;
    majorVersion: number;
    minorVersion: number;
    build: number;
  } | null;
  misc: { pid: number | null; createTime: number | null } | null;
  /** ProcessVmCountersStream: GetProcessMemoryInfo's counters at dump time. */
  vmCounters: VmCounters | null;
}

export interface VmCounters {
  pageFaultCount: number;
  peakWorkingSetSize: number;
  workingSetSize: number;
  quotaPagedPoolUsage: number;
  quotaNonPagedPoolUsage: number;
  pagefileUsage: number;
  peakPagefileUsage: number;
  privateUsage: number;
}

/** Caps: far above any real process, far below harm. */
export const MAX_STREAMS = 4096;
export const MAX_REGIONS = 1_000_000;
export const MAX_THREADS = 100_000;
export const MAX_MODULES = 100_000;
export const MAX_MEMORY_RANGES = 1_000_000;

const SIGNATURE = 0x504d444d; // "MDMP"
const VERSION = 0xa793;
const HEADER_SIZE = 32;
const DIRECTORY_ENTRY = 12;
const THREAD_SIZE = 48;
const MODULE_SIZE = 108;
const MEMORY_DESCRIPTOR = 16;
const MEMORY_INFO_SIZE = 48;
const THREAD_INFO_SIZE = 64;
const MAX_NAME_BYTES = 64 * 1024;
const MISC1_PROCESS_ID = 1;
const MISC1_PROCESS_TIMES = 2;

export function looksLikeMinidump(head: Uint8Array): boolean {
  return (
    head.length >= 4 && Buffer.from(head.buffer, head.byteOffset, 4).readUInt32LE(0) === SIGNATURE
  );
}

interface Location {
  size: number;
  rva: number;
  type: number;
}

export function readMinidump(file: DumpFile): Minidump {
  const { name } = file;
  const header = file.read(0, HEADER_SIZE, 'MINIDUMP_HEADER');
  if (header.readUInt32LE(0) !== SIGNATURE)
    malformed(name, 'MINIDUMP_HEADER', 0, 'lacks the MDMP signature');
  if ((header.readUInt32LE(4) & 0xffff) !== VERSION)
    malformed(
      name,
      'MINIDUMP_HEADER',
      4,
      `has version ${hex(header.readUInt32LE(4) & 0xffff)}, not 0xa793`,
    );
  const count = header.readUInt32LE(8);
  if (count > MAX_STREAMS)
    malformed(
      name,
      'MINIDUMP_HEADER',
      8,
      `lists ${count} streams, above the cap of ${MAX_STREAMS}`,
    );
  const directoryRva = header.readUInt32LE(12);
  const directory = file.read(directoryRva, count * DIRECTORY_ENTRY, 'the stream directory');
  const dump: Minidump = {
    timeDateStamp: header.readUInt32LE(20),
    flags: header.readBigUInt64LE(24),
    streams: [],
    memoryInfo: null,
    modules: [],
    threads: [],
    threadInfo: [],
    memory: [],
    system: null,
    misc: null,
    vmCounters: null,
  };
  const locations: Location[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * DIRECTORY_ENTRY;
    const type = directory.readUInt32LE(at);
    // Unused entries (type 0) are how writers reserve room in the directory.
    if (type === 0) continue;
    const location = {
      type,
      size: directory.readUInt32LE(at + 4),
      rva: directory.readUInt32LE(at + 8),
    };
    if (location.rva > file.size || location.size > file.size - location.rva)
      malformed(
        name,
        `${streamName(type)} (directory entry ${i})`,
        directoryRva + at,
        `points past the end of the file`,
      );
    locations.push(location);
    dump.streams.push(streamName(type));
  }
  const stream = (type: number): Location | undefined => locations.find((l) => l.type === type);
  const read = (l: Location, need: number): Buffer => {
    if (l.size < need)
      malformed(
        name,
        streamName(l.type),
        l.rva,
        `is ${l.size} bytes, shorter than its ${need}-byte header`,
      );
    return file.read(l.rva, l.size, streamName(l.type));
  };

  const memoryInfo = stream(STREAM.MemoryInfoListStream);
  if (memoryInfo) dump.memoryInfo = readMemoryInfo(name, read(memoryInfo, 16), memoryInfo.rva);
  const modules = stream(STREAM.ModuleListStream);
  if (modules) dump.modules = readModules(file, read(modules, 4), modules.rva);
  const threads = stream(STREAM.ThreadListStream);
  if (threads) dump.threads = readThreads(name, read(threads, 4), threads.rva);
  const threadInfo = stream(STREAM.ThreadInfoListStream);
  if (threadInfo) dump.threadInfo = readThreadInfo(name, read(threadInfo, 12), threadInfo.rva);
  const memory = stream(STREAM.MemoryListStream);
  if (memory) dump.memory.push(...readMemoryList(name, read(memory, 4), memory.rva));
  const memory64 = stream(STREAM.Memory64ListStream);
  if (memory64) dump.memory.push(...readMemory64List(name, read(memory64, 16), memory64.rva));
  for (const range of dump.memory) {
    if (range.fileOffset + range.size > file.size)
      malformed(
        name,
        'a memory range',
        range.fileOffset,
        `of ${range.size} bytes runs past the end of the file`,
      );
  }
  dump.memory.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const system = stream(STREAM.SystemInfoStream);
  if (system) {
    const b = read(system, 24);
    dump.system = {
      architecture: b.readUInt16LE(0),
      majorVersion: b.readUInt32LE(8),
      minorVersion: b.readUInt32LE(12),
      build: b.readUInt32LE(16),
    };
  }
  const misc = stream(STREAM.MiscInfoStream);
  if (misc) {
    const b = read(misc, 24);
    const flags = b.readUInt32LE(4);
    dump.misc = {
      pid: flags & MISC1_PROCESS_ID ? b.readUInt32LE(8) : null,
      createTime: flags & MISC1_PROCESS_TIMES ? b.readUInt32LE(12) : null,
    };
  }
  const vm = stream(STREAM.ProcessVmCountersStream);
  if (vm) {
    // MINIDUMP_PROCESS_VM_COUNTERS_1 (4-byte packing: PageFaultCount at 4, the sizes from 8).
    const b = read(vm, 80);
    const size = (at: number): number => Number(b.readBigUInt64LE(at));
    dump.vmCounters = {
      pageFaultCount: b.readUInt32LE(4),
      peakWorkingSetSize: size(8),
      workingSetSize: size(16),
      quotaPagedPoolUsage: size(32),
      quotaNonPagedPoolUsage: size(48),
      pagefileUsage: size(56),
      peakPagefileUsage: size(64),
      privateUsage: size(72),
    };
  }
  return dump;
}

function streamName(type: number): string {
  return STREAM_NAMES.get(type) ?? `stream 0x${type.toString(16)}`;
}

function counted(
  name: string,
  what: string,
  where: number,
  count: number | bigint,
  cap: number,
  available: number,
  entrySize: number,
): number {
  if (count > BigInt(cap))
    malformed(name, what, where, `lists ${count} entries, above the cap of ${cap}`);
  const n = Number(count);
  if (n * entrySize > available)
    malformed(
      name,
      what,
      where,
      `lists ${n} entries but holds room for ${Math.floor(available / entrySize)}`,
    );
  return n;
}

function readMemoryInfo(name: string, b: Buffer, where: number): MemoryBasicInfo[] {
  const headerSize = b.readUInt32LE(0);
  const entrySize = b.readUInt32LE(4);
  if (headerSize < 16 || headerSize > b.length || entrySize < MEMORY_INFO_SIZE)
    malformed(
      name,
      'MemoryInfoListStream',
      where,
      `has header ${headerSize} and entry ${entrySize} bytes`,
    );
  const n = counted(
    name,
    'MemoryInfoListStream',
    where,
    b.readBigUInt64LE(8),
    MAX_REGIONS,
    b.length - headerSize,
    entrySize,
  );
  const list: MemoryBasicInfo[] = [];
  let end = 0n;
  for (let i = 0; i < n; i++) {
    const at = headerSize + i * entrySize;
    const mbi: MemoryBasicInfo = {
      baseAddress: b.readBigUInt64LE(at),
      allocationBase: b.readBigUInt64LE(at + 8),
      allocationProtect: b.readUInt32LE(at + 16),
      regionSize: b.readBigUInt64LE(at + 24),
      state: b.readUInt32LE(at + 32),
      protect: b.readUInt32LE(at + 36),
      type: b.readUInt32LE(at + 40),
    };
    if (
      mbi.regionSize === 0n ||
      mbi.baseAddress < end ||
      mbi.baseAddress + mbi.regionSize > 1n << 64n
    )
      malformed(
        name,
        `MINIDUMP_MEMORY_INFO ${i}`,
        where + at,
        `(${hex(mbi.baseAddress)}, ${hex(mbi.regionSize)} bytes) is empty, out of order or overlapping`,
      );
    end = mbi.baseAddress + mbi.regionSize;
    list.push(mbi);
  }
  return list;
}

/** A MINIDUMP_STRING (UTF-16, length in bytes) at an RVA. */
function minidumpString(file: DumpFile, rva: number, what: string): string {
  const length = file.read(rva, 4, what).readUInt32LE(0);
  if (length > MAX_NAME_BYTES || length % 2 !== 0)
    malformed(file.name, what, rva, `claims ${length} bytes of UTF-16`);
  return file.read(rva + 4, length, what).toString('utf16le');
}

function readModules(file: DumpFile, b: Buffer, where: number): MinidumpModule[] {
  const n = counted(
    file.name,
    'ModuleListStream',
    where,
    b.readUInt32LE(0),
    MAX_MODULES,
    b.length - 4,
    MODULE_SIZE,
  );
  const modules: MinidumpModule[] = [];
  for (let i = 0; i < n; i++) {
    const at = 4 + i * MODULE_SIZE;
    modules.push({
      base: b.readBigUInt64LE(at),
      size: b.readUInt32LE(at + 8),
      timeDateStamp: b.readUInt32LE(at + 16),
      path: minidumpString(file, b.readUInt32LE(at + 20), `the name of module ${i}`),
    });
  }
  return modules;
}

function readThreads(name: string, b: Buffer, where: number): MinidumpThread[] {
  const n = counted(
    name,
    'ThreadListStream',
    where,
    b.readUInt32LE(0),
    MAX_THREADS,
    b.length - 4,
    THREAD_SIZE,
  );
  const threads: MinidumpThread[] = [];
  for (let i = 0; i < n; i++) {
    const at = 4 + i * THREAD_SIZE;
    threads.push({
      threadId: b.readUInt32LE(at),
      teb: b.readBigUInt64LE(at + 16),
      stackStart: b.readBigUInt64LE(at + 24),
      stackSize: b.readUInt32LE(at + 32),
    });
  }
  return threads;
}

function readThreadInfo(name: string, b: Buffer, where: number): MinidumpThreadInfo[] {
  const headerSize = b.readUInt32LE(0);
  const entrySize = b.readUInt32LE(4);
  if (headerSize < 12 || headerSize > b.length || entrySize < THREAD_INFO_SIZE)
    malformed(
      name,
      'ThreadInfoListStream',
      where,
      `has header ${headerSize} and entry ${entrySize} bytes`,
    );
  const n = counted(
    name,
    'ThreadInfoListStream',
    where,
    b.readUInt32LE(8),
    MAX_THREADS,
    b.length - headerSize,
    entrySize,
  );
  const list: MinidumpThreadInfo[] = [];
  for (let i = 0; i < n; i++) {
    const at = headerSize + i * entrySize;
    list.push({
      threadId: b.readUInt32LE(at),
      createTime: b.readBigUInt64LE(at + 16),
      startAddress: b.readBigUInt64LE(at + 48),
    });
  }
  return list;
}

function readMemoryList(name: string, b: Buffer, where: number): MemoryRange[] {
  const n = counted(
    name,
    'MemoryListStream',
    where,
    b.readUInt32LE(0),
    MAX_MEMORY_RANGES,
    b.length - 4,
    MEMORY_DESCRIPTOR,
  );
  const list: MemoryRange[] = [];
  for (let i = 0; i < n; i++) {
    const at = 4 + i * MEMORY_DESCRIPTOR;
    list.push({
      address: b.readBigUInt64LE(at),
      size: b.readUInt32LE(at + 8),
      fileOffset: b.readUInt32LE(at + 12),
    });
  }
  return list;
}

/** Memory64List: the ranges' bytes follow one another from BaseRva (how full-memory dumps are written). */
function readMemory64List(name: string, b: Buffer, where: number): MemoryRange[] {
  const n = counted(
    name,
    'Memory64ListStream',
    where,
    b.readBigUInt64LE(0),
    MAX_MEMORY_RANGES,
    b.length - 16,
    MEMORY_DESCRIPTOR,
  );
  let offset = b.readBigUInt64LE(8);
  const list: MemoryRange[] = [];
  for (let i = 0; i < n; i++) {
    const at = 16 + i * MEMORY_DESCRIPTOR;
    const size = b.readBigUInt64LE(at + 8);
    if (offset + size > BigInt(Number.MAX_SAFE_INTEGER))
      malformed(name, `Memory64ListStream range ${i}`, where + at, 'lies beyond any file');
    list.push({ address: b.readBigUInt64LE(at), size: Number(size), fileOffset: Number(offset) });
    offset += size;
  }
  return list;
}
