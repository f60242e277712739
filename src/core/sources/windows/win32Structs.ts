/**
 * The 64-bit layouts of the Win32 structures this source reads, decoded from Buffers. The FFI
 * layer only fills Buffers; everything about offsets lives here so it can be tested anywhere.
 */
import type { MemoryBasicInfo } from '../../win32/memoryBasicInfo';

export const MEMORY_BASIC_INFORMATION_SIZE = 48;

/** The simulator's VirtualQuery answers in the same shape. */
export function decodeMemoryBasicInformation(buf: Buffer): MemoryBasicInfo {
  return {
    baseAddress: buf.readBigUInt64LE(0),
    allocationBase: buf.readBigUInt64LE(8),
    allocationProtect: buf.readUInt32LE(16),
    // PartitionId (u16) at 20, then padding.
    regionSize: buf.readBigUInt64LE(24),
    state: buf.readUInt32LE(32),
    protect: buf.readUInt32LE(36),
    type: buf.readUInt32LE(40),
  };
}

export interface SystemInfo {
  pageSize: number;
  minimumApplicationAddress: bigint;
  maximumApplicationAddress: bigint;
  numberOfProcessors: number;
  allocationGranularity: number;
}

export const SYSTEM_INFO_SIZE = 48;

export function decodeSystemInfo(buf: Buffer): SystemInfo {
  return {
    pageSize: buf.readUInt32LE(4),
    minimumApplicationAddress: buf.readBigUInt64LE(8),
    maximumApplicationAddress: buf.readBigUInt64LE(16),
    numberOfProcessors: buf.readUInt32LE(32),
    allocationGranularity: buf.readUInt32LE(40),
  };
}

/** PROCESS_MEMORY_COUNTERS_EX2 (Windows 10 21H2 and later); _EX is its first 80 bytes. */
export interface ProcessMemoryCounters {
  pageFaultCount: number;
  peakWorkingSetSize: number;
  workingSetSize: number;
  quotaPeakPagedPoolUsage: number;
  quotaPagedPoolUsage: number;
  quotaPeakNonPagedPoolUsage: number;
  quotaNonPagedPoolUsage: number;
  pagefileUsage: number;
  peakPagefileUsage: number;
  privateUsage: number;
  /** _EX2 only: null where the OS filled just _EX. */
  privateWorkingSetSize: number | null;
  sharedCommitUsage: number | null;
}

export const PROCESS_MEMORY_COUNTERS_EX_SIZE = 80;
export const PROCESS_MEMORY_COUNTERS_EX2_SIZE = 96;
const UNFILLED = 0xffffffffffffffffn;

/**
 * A buffer for GetProcessMemoryInfo: cb says _EX2, and the _EX2 tail holds a marker an older
 * Windows (which copies only the _EX part) leaves in place, so decoding can tell the two apart.
 */
export function memoryCountersBuffer(): Buffer {
  const buf = sizedBuffer(PROCESS_MEMORY_COUNTERS_EX2_SIZE);
  buf.writeBigUInt64LE(UNFILLED, 80);
  buf.writeBigUInt64LE(UNFILLED, 88);
  return buf;
}

export function decodeProcessMemoryCounters(buf: Buffer): ProcessMemoryCounters {
  const size = (offset: number): number => Number(buf.readBigUInt64LE(offset));
  const ex2 = (offset: number): number | null => {
    const value = buf.readBigUInt64LE(offset);
    return value === UNFILLED ? null : Number(value);
  };
  return {
    pageFaultCount: buf.readUInt32LE(4),
    peakWorkingSetSize: size(8),
    workingSetSize: size(16),
    quotaPeakPagedPoolUsage: size(24),
    quotaPagedPoolUsage: size(32),
    quotaPeakNonPagedPoolUsage: size(40),
    quotaNonPagedPoolUsage: size(48),
    pagefileUsage: size(56),
    peakPagefileUsage: size(64),
    privateUsage: size(72),
    privateWorkingSetSize: buf.length >= PROCESS_MEMORY_COUNTERS_EX2_SIZE ? ex2(80) : null,
    sharedCommitUsage: buf.length >= PROCESS_MEMORY_COUNTERS_EX2_SIZE ? ex2(88) : null,
  };
}

/** PERFORMANCE_INFORMATION, with its page counts turned into bytes. */
export interface PerformanceInfo {
  commitTotal: number;
  commitLimit: number;
  commitPeak: number;
  physicalTotal: number;
  physicalAvailable: number;
  systemCache: number;
  kernelTotal: number;
  kernelPaged: number;
  kernelNonpaged: number;
  pageSize: number;
  handleCount: number;
  processCount: number;
  threadCount: number;
}

export const PERFORMANCE_INFORMATION_SIZE = 104;

export function decodePerformanceInfo(buf: Buffer): PerformanceInfo {
  const pageSize = Number(buf.readBigUInt64LE(80));
  const pages = (offset: number): number => Number(buf.readBigUInt64LE(offset)) * pageSize;
  return {
    commitTotal: pages(8),
    commitLimit: pages(16),
    commitPeak: pages(24),
    physicalTotal: pages(32),
    physicalAvailable: pages(40),
    systemCache: pages(48),
    kernelTotal: pages(56),
    kernelPaged: pages(64),
    kernelNonpaged: pages(72),
    pageSize,
    handleCount: buf.readUInt32LE(88),
    processCount: buf.readUInt32LE(92),
    threadCount: buf.readUInt32LE(96),
  };
}

export const PROCESS_BASIC_INFORMATION_SIZE = 48;

/** PROCESS_BASIC_INFORMATION.PebBaseAddress. */
export function decodePebAddress(buf: Buffer): bigint {
  return buf.readBigUInt64LE(8);
}

export const THREAD_BASIC_INFORMATION_SIZE = 48;

/** THREAD_BASIC_INFORMATION.TebBaseAddress. */
export function decodeTebAddress(buf: Buffer): bigint {
  return buf.readBigUInt64LE(8);
}

export const THREADENTRY32_SIZE = 28;

export interface ThreadEntry {
  threadId: number;
  ownerProcessId: number;
}

/** A zeroed structure whose first DWORD (cb, dwSize) states its size, as these APIs require. */
export function sizedBuffer(size: number): Buffer {
  const buf = Buffer.alloc(size);
  buf.writeUInt32LE(size, 0);
  return buf;
}

export function decodeThreadEntry(buf: Buffer): ThreadEntry {
  return { threadId: buf.readUInt32LE(8), ownerProcessId: buf.readUInt32LE(12) };
}

export const PROCESSENTRY32W_SIZE = 568;

export interface ProcessEntry {
  processId: number;
  parentProcessId: number;
  exeFile: string;
}

export function decodeProcessEntry(buf: Buffer): ProcessEntry {
  return {
    processId: buf.readUInt32LE(8),
    parentProcessId: buf.readUInt32LE(32),
    exeFile: decodeWideString(buf.subarray(44, 44 + 520)),
  };
}

/** A NUL-terminated UTF-16LE string. */
export function decodeWideString(buf: Buffer, chars = buf.length >> 1): string {
  const text = buf.toString('utf16le', 0, Math.min(chars * 2, buf.length));
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/** FILETIME (100 ns ticks since 1601-01-01 UTC) as ISO 8601; null for 0. */
export function fileTimeIso(ticks: bigint): string | null {
  if (ticks === 0n) return null;
  const EPOCH_DIFF_MS = 11_644_473_600_000n;
  return new Date(Number(ticks / 10_000n - EPOCH_DIFF_MS)).toISOString();
}

/** VM_COUNTERS (NtQueryInformationProcess ProcessVmCounters): only the virtual sizes are read. */
export const VM_COUNTERS_SIZE = 88;

export interface VirtualSizes {
  peakVirtualSize: number;
  virtualSize: number;
}

export function decodeVirtualSizes(buf: Buffer): VirtualSizes {
  return {
    peakVirtualSize: Number(buf.readBigUInt64LE(0)),
    virtualSize: Number(buf.readBigUInt64LE(8)),
  };
}

/**
 * SYSTEM_PROCESS_INFORMATION (NtQuerySystemInformation class 5, 64-bit layout): one entry per
 * process, each followed by its SYSTEM_THREAD_INFORMATION array and chained by NextEntryOffset.
 * Only what the counters lack is decoded.
 */
export interface SystemProcessEntry {
  processId: number;
  threadCount: number;
  /** Every fault, soft and hard (the same count PMC's PageFaultCount gives). */
  pageFaultCount: number;
  /** Faults that had to read the page from disk (Windows 7 and later). */
  hardFaultCount: number;
  workingSetSize: number;
}

/** The fixed part of one entry, before its threads. */
export const SYSTEM_PROCESS_INFORMATION_SIZE = 0x100;

/** Every entry of a SystemProcessInformation answer, by process id. */
export function decodeSystemProcesses(buf: Buffer): Map<number, SystemProcessEntry> {
  const entries = new Map<number, SystemProcessEntry>();
  for (let offset = 0; offset + SYSTEM_PROCESS_INFORMATION_SIZE <= buf.length;) {
    const processId = Number(buf.readBigUInt64LE(offset + 0x50));
    entries.set(processId, {
      processId,
      threadCount: buf.readUInt32LE(offset + 0x04),
      hardFaultCount: buf.readUInt32LE(offset + 0x10),
      pageFaultCount: buf.readUInt32LE(offset + 0x80),
      workingSetSize: Number(buf.readBigUInt64LE(offset + 0x90)),
    });
    const next = buf.readUInt32LE(offset);
    if (next === 0) break;
    offset += next;
  }
  return entries;
}

/** PROCESS_HEAP_ENTRY (HeapWalk), 64-bit: lpData, cbData, cbOverhead, iRegionIndex, wFlags, then Block or Region. */
export const PROCESS_HEAP_ENTRY_SIZE = 40;
export const PROCESS_HEAP_REGION = 0x1;
export const PROCESS_HEAP_UNCOMMITTED_RANGE = 0x2;
export const PROCESS_HEAP_ENTRY_BUSY = 0x4;

export interface HeapEntry {
  data: bigint;
  flags: number;
  /** Region entries only: Region.lpLastBlock, the end of the segment's range. */
  lastBlock: bigint;
}

export function decodeHeapEntry(buf: Buffer): HeapEntry {
  const flags = buf.readUInt16LE(14);
  return {
    data: buf.readBigUInt64LE(0),
    flags,
    lastBlock: flags & PROCESS_HEAP_REGION ? buf.readBigUInt64LE(32) : 0n,
  };
}

/**
 * HEAP_SEGMENT's header as an NT heap starts each segment with it (the heap's first segment is
 * the HEAP itself): SegmentSignature 0xffeeffee after the segment's HEAP_ENTRY, and the owning
 * heap a little further (System Informer finds segments of other processes this way).
 */
export const HEAP_SEGMENT_SIGNATURE = 0xffeeffee;
export const HEAP_SEGMENT_HEADER_SIZE = 0x30;
const SEGMENT_LAYOUTS = [
  { signature: 0x10, heap: 0x28, pointerSize: 8 },
  { signature: 0x08, heap: 0x18, pointerSize: 4 },
] as const;

/** The heap a segment header names, in the 64-bit layout or (wow64) the 32-bit one; null if none. */
export function decodeHeapSegmentOwner(buf: Buffer, wow64: boolean): bigint | null {
  for (const layout of wow64 ? SEGMENT_LAYOUTS : SEGMENT_LAYOUTS.slice(0, 1)) {
    if (buf.length < layout.heap + layout.pointerSize) continue;
    if (buf.readUInt32LE(layout.signature) !== HEAP_SEGMENT_SIGNATURE) continue;
    return layout.pointerSize === 8
      ? buf.readBigUInt64LE(layout.heap)
      : BigInt(buf.readUInt32LE(layout.heap));
  }
  return null;
}

/** IMAGE_DOS_HEADER, whose e_lfanew (0x3c) locates the NT headers. */
export const IMAGE_DOS_HEADER_SIZE = 0x40;
/** The NT headers' Signature and IMAGE_FILE_HEADER, up to and including Characteristics. */
export const IMAGE_NT_FILE_HEADER_END = 24;
const IMAGE_NT_SIGNATURE = 0x00004550;
const IMAGE_FILE_LARGE_ADDRESS_AWARE = 0x20;

/** True where the image may use addresses above 2 GiB; null where the buffer holds no NT headers. */
export function imageIsLargeAddressAware(ntHeaders: Buffer): boolean | null {
  if (
    ntHeaders.length < IMAGE_NT_FILE_HEADER_END ||
    ntHeaders.readUInt32LE(0) !== IMAGE_NT_SIGNATURE
  )
    return null;
  return (ntHeaders.readUInt16LE(22) & IMAGE_FILE_LARGE_ADDRESS_AWARE) !== 0;
}
