import { describe, expect, it } from 'vitest';
import {
  decodeHeapEntry,
  decodeHeapSegmentOwner,
  decodeMemoryBasicInformation,
  decodePerformanceInfo,
  decodeProcessEntry,
  decodeProcessMemoryCounters,
  decodeSystemInfo,
  fileTimeIso,
  HEAP_SEGMENT_HEADER_SIZE,
  HEAP_SEGMENT_SIGNATURE,
  imageIsLargeAddressAware,
  memoryCountersBuffer,
  PROCESS_HEAP_ENTRY_BUSY,
  PROCESS_HEAP_ENTRY_SIZE,
  PROCESS_HEAP_REGION,
  PROCESS_MEMORY_COUNTERS_EX_SIZE,
  PROCESS_MEMORY_COUNTERS_EX2_SIZE,
  PROCESSENTRY32W_SIZE,
} from './win32Structs';

describe('win32 structure layouts', () => {
  it('MEMORY_BASIC_INFORMATION64 keeps addresses above 2^53 exact', () => {
    const buf = Buffer.alloc(48);
    buf.writeBigUInt64LE(0x7fffffff0000n, 0);
    buf.writeBigUInt64LE(0x7fffffe00000n, 8);
    buf.writeUInt32LE(0x40, 16);
    buf.writeBigUInt64LE(0x10000n, 24);
    buf.writeUInt32LE(0x1000, 32);
    buf.writeUInt32LE(0x20, 36);
    buf.writeUInt32LE(0x1000000, 40);
    expect(decodeMemoryBasicInformation(buf)).toEqual({
      baseAddress: 0x7fffffff0000n,
      allocationBase: 0x7fffffe00000n,
      allocationProtect: 0x40,
      regionSize: 0x10000n,
      state: 0x1000,
      protect: 0x20,
      type: 0x1000000,
    });
  });

  it('SYSTEM_INFO gives the page size, granularity and user range', () => {
    const buf = Buffer.alloc(48);
    buf.writeUInt32LE(4096, 4);
    buf.writeBigUInt64LE(0x10000n, 8);
    buf.writeBigUInt64LE(0x7ffffffeffffn, 16);
    buf.writeUInt32LE(8, 32);
    buf.writeUInt32LE(65536, 40);
    expect(decodeSystemInfo(buf)).toEqual({
      pageSize: 4096,
      minimumApplicationAddress: 0x10000n,
      maximumApplicationAddress: 0x7ffffffeffffn,
      numberOfProcessors: 8,
      allocationGranularity: 65536,
    });
  });

  it('PROCESS_MEMORY_COUNTERS_EX2 fields, and null for the _EX2 tail an older Windows leaves unfilled', () => {
    const buf = memoryCountersBuffer();
    expect(buf.readUInt32LE(0)).toBe(96);
    buf.writeUInt32LE(1234, 4);
    [8, 16, 24, 32, 40, 48, 56, 64, 72].forEach((offset, i) =>
      buf.writeBigUInt64LE(BigInt((i + 1) * 4096), offset),
    );
    const old = decodeProcessMemoryCounters(buf);
    expect(old).toMatchObject({
      pageFaultCount: 1234,
      peakWorkingSetSize: 4096,
      workingSetSize: 8192,
      quotaPagedPoolUsage: 4 * 4096,
      quotaNonPagedPoolUsage: 6 * 4096,
      pagefileUsage: 7 * 4096,
      peakPagefileUsage: 8 * 4096,
      privateUsage: 9 * 4096,
      privateWorkingSetSize: null,
      sharedCommitUsage: null,
    });
    buf.writeBigUInt64LE(0n, 80);
    buf.writeBigUInt64LE(65536n, 88);
    expect(decodeProcessMemoryCounters(buf)).toMatchObject({
      privateWorkingSetSize: 0,
      sharedCommitUsage: 65536,
    });
    expect(decodeProcessMemoryCounters(buf.subarray(0, 80)).privateWorkingSetSize).toBeNull();
  });

  it('PERFORMANCE_INFORMATION page counts become bytes', () => {
    const buf = Buffer.alloc(104);
    buf.writeBigUInt64LE(100n, 8);
    buf.writeBigUInt64LE(2000n, 32);
    buf.writeBigUInt64LE(4096n, 80);
    buf.writeUInt32LE(77, 92);
    expect(decodePerformanceInfo(buf)).toMatchObject({
      commitTotal: 100 * 4096,
      physicalTotal: 2000 * 4096,
      pageSize: 4096,
      processCount: 77,
    });
  });

  it('PROCESSENTRY32W gives pid, parent and the UTF-16 executable name', () => {
    const buf = Buffer.alloc(PROCESSENTRY32W_SIZE);
    buf.writeUInt32LE(4321, 8);
    buf.writeUInt32LE(1000, 32);
    buf.write('notepad.exe\0garbage', 44, 'utf16le');
    expect(decodeProcessEntry(buf)).toEqual({
      processId: 4321,
      parentProcessId: 1000,
      exeFile: 'notepad.exe',
    });
  });

  it('FILETIME is counted from 1601', () => {
    expect(fileTimeIso(116444736000000000n)).toBe('1970-01-01T00:00:00.000Z');
    expect(fileTimeIso(0n)).toBeNull();
  });

  it('PROCESS_MEMORY_COUNTERS_EX2 is _EX plus PrivateWorkingSetSize and SharedCommitUsage', () => {
    expect(PROCESS_MEMORY_COUNTERS_EX_SIZE).toBe(80);
    expect(PROCESS_MEMORY_COUNTERS_EX2_SIZE).toBe(96);
    const buf = memoryCountersBuffer();
    buf.writeBigUInt64LE(123n * 4096n, 80);
    buf.writeBigUInt64LE(7n * 4096n, 88);
    expect(decodeProcessMemoryCounters(buf)).toMatchObject({
      privateWorkingSetSize: 123 * 4096,
      sharedCommitUsage: 7 * 4096,
    });
  });

  it('PROCESS_HEAP_ENTRY: a region entry gives its segment’s end, a block entry only its address', () => {
    const region = Buffer.alloc(PROCESS_HEAP_ENTRY_SIZE);
    region.writeBigUInt64LE(0x7c40000n, 0);
    region.writeUInt16LE(PROCESS_HEAP_REGION, 14);
    region.writeUInt32LE(786432, 16);
    region.writeBigUInt64LE(0x7c40038n, 24);
    region.writeBigUInt64LE(0x8040000n, 32);
    expect(decodeHeapEntry(region)).toEqual({
      data: 0x7c40000n,
      flags: PROCESS_HEAP_REGION,
      lastBlock: 0x8040000n,
    });
    const block = Buffer.from(region);
    block.writeUInt16LE(PROCESS_HEAP_ENTRY_BUSY, 14);
    expect(decodeHeapEntry(block)).toEqual({
      data: 0x7c40000n,
      flags: PROCESS_HEAP_ENTRY_BUSY,
      lastBlock: 0n,
    });
  });

  it('HEAP_SEGMENT: the owning heap after the 0xffeeffee signature, in the 64-bit and the 32-bit layout', () => {
    const seg64 = Buffer.alloc(HEAP_SEGMENT_HEADER_SIZE);
    seg64.writeUInt32LE(HEAP_SEGMENT_SIGNATURE, 0x10);
    seg64.writeBigUInt64LE(0x1e5a0000000n, 0x28);
    expect(decodeHeapSegmentOwner(seg64, false)).toBe(0x1e5a0000000n);
    expect(decodeHeapSegmentOwner(seg64, true)).toBe(0x1e5a0000000n);
    const seg32 = Buffer.alloc(HEAP_SEGMENT_HEADER_SIZE);
    seg32.writeUInt32LE(HEAP_SEGMENT_SIGNATURE, 0x08);
    seg32.writeUInt32LE(0x00c10000, 0x18);
    expect(decodeHeapSegmentOwner(seg32, true)).toBe(0xc10000n);
    expect(decodeHeapSegmentOwner(seg32, false)).toBeNull();
    expect(decodeHeapSegmentOwner(Buffer.alloc(HEAP_SEGMENT_HEADER_SIZE), true)).toBeNull();
  });

  it('IMAGE_FILE_HEADER.Characteristics says whether an image is large-address-aware', () => {
    const headers = Buffer.alloc(24);
    headers.writeUInt32LE(0x4550, 0);
    headers.writeUInt16LE(0x14c, 4);
    headers.writeUInt16LE(0x0102, 22);
    expect(imageIsLargeAddressAware(headers)).toBe(false);
    headers.writeUInt16LE(0x0122, 22);
    expect(imageIsLargeAddressAware(headers)).toBe(true);
    headers.writeUInt32LE(0, 0);
    expect(imageIsLargeAddressAware(headers)).toBeNull();
  });
});
