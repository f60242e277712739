import { describe, expect, it } from 'vitest';
import type { Win32 } from './bindings';
import { LISTING_MAX_AGE_MS, SystemProcessTable } from './systemProcesses';
import { STATUS_INFO_LENGTH_MISMATCH } from '../../win32/constants';
import { decodeSystemProcesses, SYSTEM_PROCESS_INFORMATION_SIZE } from './win32Structs';

const THREAD_INFO_SIZE = 0x50;

/** A SystemProcessInformation answer laid out as Windows lays it out: entries, each with threads. */
function listing(
  processes: Array<{ pid: number; threads: number; faults: number; hard: number; ws: number }>,
): Buffer {
  const sizes = processes.map(
    (p) => SYSTEM_PROCESS_INFORMATION_SIZE + p.threads * THREAD_INFO_SIZE,
  );
  const buf = Buffer.alloc(
    sizes.reduce((a, b) => a + b, 0),
    0xcc,
  );
  let offset = 0;
  processes.forEach((p, i) => {
    const size = sizes[i] as number;
    buf.fill(0, offset, offset + SYSTEM_PROCESS_INFORMATION_SIZE);
    buf.writeUInt32LE(i === processes.length - 1 ? 0 : size, offset);
    buf.writeUInt32LE(p.threads, offset + 0x04);
    buf.writeUInt32LE(p.hard, offset + 0x10);
    buf.writeBigUInt64LE(BigInt(p.pid), offset + 0x50);
    buf.writeUInt32LE(p.faults, offset + 0x80);
    buf.writeBigUInt64LE(BigInt(p.ws), offset + 0x90);
    offset += size;
  });
  return buf;
}

describe('decodeSystemProcesses', () => {
  it('follows NextEntryOffset past each entry’s threads and reads the fault counts', () => {
    const buf = listing([
      { pid: 0, threads: 2, faults: 0, hard: 0, ws: 8192 },
      { pid: 4, threads: 150, faults: 123456, hard: 789, ws: 1 << 20 },
      { pid: 6120, threads: 7, faults: 70000, hard: 12, ws: 50 << 20 },
    ]);
    const entries = decodeSystemProcesses(buf);
    expect([...entries.keys()]).toEqual([0, 4, 6120]);
    expect(entries.get(4)).toEqual({
      processId: 4,
      threadCount: 150,
      pageFaultCount: 123456,
      hardFaultCount: 789,
      workingSetSize: 1 << 20,
    });
    expect(entries.get(6120)?.hardFaultCount).toBe(12);
  });

  it('stops at a truncated entry instead of reading past the buffer', () => {
    const buf = listing([
      { pid: 10, threads: 1, faults: 1, hard: 0, ws: 1 },
      { pid: 11, threads: 1, faults: 1, hard: 0, ws: 1 },
    ]);
    expect([
      ...decodeSystemProcesses(buf.subarray(0, SYSTEM_PROCESS_INFORMATION_SIZE + 10)).keys(),
    ]).toEqual([10]);
  });
});

describe('SystemProcessTable', () => {
  const answer = listing([{ pid: 42, threads: 1, faults: 900, hard: 9, ws: 4096 }]);
  /** NtQuerySystemInformation answering from `answer`, refusing buffers that are too small. */
  function fakeApi(calls: number[]): Win32 {
    return {
      NtQuerySystemInformation: (
        _cls: number,
        info: Buffer,
        length: number,
        returned: Uint32Array,
      ) => {
        calls.push(length);
        returned[0] = answer.length;
        if (length < answer.length) return STATUS_INFO_LENGTH_MISMATCH;
        answer.copy(info);
        return 0;
      },
    } as unknown as Win32;
  }

  it('grows its one buffer when the listing does not fit, and keeps it', () => {
    const calls: number[] = [];
    let now = 0;
    // Start below the answer's size: the first call is refused and tells the size needed.
    const table = new SystemProcessTable(fakeApi(calls), () => now, 16);
    expect(table.entry(42)?.pageFaultCount).toBe(900);
    expect(calls).toEqual([16, answer.length + 64 * 1024]);
    now += LISTING_MAX_AGE_MS + 1;
    table.entry(42);
    expect(calls.slice(2)).toEqual([answer.length + 64 * 1024]);
  });

  it('answers calls within the listing’s age from one system call', () => {
    const calls: number[] = [];
    let now = 1000;
    const table = new SystemProcessTable(fakeApi(calls), () => now);
    table.entry(42);
    now += LISTING_MAX_AGE_MS;
    table.entry(42);
    expect(calls).toHaveLength(1);
    now += 1;
    table.entry(42);
    expect(calls).toHaveLength(2);
  });

  it('looks again for a process the cached listing lacks, and gives null if it is still missing', () => {
    const calls: number[] = [];
    const table = new SystemProcessTable(fakeApi(calls), () => 0);
    table.entry(42);
    expect(table.entry(43)).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('gives null, not an error, where the call fails', () => {
    const api = { NtQuerySystemInformation: () => -0x3ffffff3 } as unknown as Win32;
    expect(new SystemProcessTable(api, () => 0).entry(42)).toBeNull();
  });
});
