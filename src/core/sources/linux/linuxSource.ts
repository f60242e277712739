import type { Counters, SystemLayout } from '../../../shared/model';
import type { Source } from '../source';
import { counterStatusOf, countersFromProc } from './counters';
import { takeLinuxSnapshot } from './linuxSnapshot';
import { streamLinuxSnapshot } from './linuxSnapshotStream';
import { readLinuxMemory } from './memoryReader';
import { readLinuxPages } from './pagemap';
import { listLinuxProcesses } from './processList';
import { readProcText } from './procfs';
import { parseProcStat } from './procStat';
import { parseProcStatus } from './procStatus';
import { openProcCountersReader } from './procCountersReader';

/**
 * The user address range: 47 bits on x86-64 (48 on arm64), 4 KiB pages, and mmap's granularity is
 * the page. [vsyscall] (0xffffffffff600000) lies above it and is listed, but no free gaps are
 * computed up there.
 */
const LAYOUT: SystemLayout = {
  pageSize: 4096,
  allocationGranularity: 4096,
  minAddress: '0x0',
  maxAddress: process.arch === 'arm64' ? '0xffffffffffff' : '0x7fffffffffff',
};

export async function readLinuxCounters(pid: number): Promise<Counters> {
  const [statusText, statText] = await Promise.all([
    readProcText(pid, 'status'),
    readProcText(pid, 'stat'),
  ]);
  return countersFromProc(counterStatusOf(parseProcStatus(statusText)), parseProcStat(statText));
}

export function createLinuxSource(): Source {
  return {
    id: 'linux',
    layout: () => LAYOUT,
    listProcesses: listLinuxProcesses,
    counters: readLinuxCounters,
    pages: readLinuxPages,
    openCountersReader: openProcCountersReader,
    readMemory: readLinuxMemory,
    snapshot: (pid, options) => takeLinuxSnapshot(pid, LAYOUT, options),
    snapshotStream: (pid, options, onPart, signal) =>
      streamLinuxSnapshot(pid, LAYOUT, options, onPart, signal),
  };
}
