/**
 * The 64-bit layouts of the Win32 structures this source reads, decoded from Buffers. The FFI
 * layer only fills Buffers; everything about offsets lives here so it can be tested anywhere.
 */
import type { MemoryBasicInfo } from '../../sim/process';

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
  return { peakVirtualSize: Number(buf.readBigUInt64LE(0)), virtualSize: Number(buf.readBigUInt64LE(8)) };
}
