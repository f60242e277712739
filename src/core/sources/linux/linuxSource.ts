import type { Counters, SystemLayout } from '../../../shared/model';
import type { Source } from '../source';
import { countersFromProc } from './counters';
import { listLinuxProcesses } from './processList';
import { readProcText } from './procfs';
import { parseProcStat } from './procStat';
import { parseProcStatus } from './procStatus';

/** Linux x86-64 user space: 47-bit addresses, 4 KiB pages; mmap's granularity is the page. */
const LAYOUT: SystemLayout = {
  pageSize: 4096,
  allocationGranularity: 4096,
  minAddress: '0x0',
  maxAddress: '0x7fffffffffff',
};

export async function readLinuxCounters(pid: number): Promise<Counters> {
  const [statusText, statText] = await Promise.all([readProcText(pid, 'status'), readProcText(pid, 'stat')]);
  return countersFromProc(parseProcStatus(statusText), parseProcStat(statText));
}

export function createLinuxSource(): Source {
  return {
    id: 'linux',
    layout: () => LAYOUT,
    listProcesses: listLinuxProcesses,
    counters: readLinuxCounters,
    snapshot: () => {
      throw new Error('replaced by the smaps snapshot');
    },
  };
}
