import type { Counters } from '../../../shared/model';
import { type ProcStat, assertNotExited } from './procStat';
import { type ProcStatus, statusBytes, statusBytesOrNull } from './procStatus';

/**
 * GetProcessMemoryInfo's counters from /proc/PID/status and stat, never smaps, so the cost does
 * not grow with the number of mappings.
 *
 * privateUsage is RssAnon + VmSwap: the anonymous memory the process owns, resident or swapped,
 * the nearest Linux equivalent of Windows' private commit (Linux overcommits, so memory that is
 * mapped but never touched is not charged anywhere and is left out). docs/linux-source.md
 * gives the full mapping. A zombie's status has no memory lines at all, so it is refused as
 * `process-exited` rather than read as zeros.
 */
export function countersFromProc(status: ProcStatus, stat: ProcStat): Counters {
  assertNotExited(stat);
  const rssAnon = statusBytes(status, 'RssAnon');
  const vmSwap = statusBytes(status, 'VmSwap');
  return {
    workingSetSize: statusBytes(status, 'VmRSS'),
    peakWorkingSetSize: statusBytesOrNull(status, 'VmHWM'),
    privateUsage: rssAnon + vmSwap,
    pagefileUsage: vmSwap,
    peakPagefileUsage: null,
    pageFaultCount: stat.minflt + stat.majflt,
    softFaultCount: stat.minflt,
    hardFaultCount: stat.majflt,
    virtualSize: statusBytes(status, 'VmSize'),
    peakVirtualSize: statusBytesOrNull(status, 'VmPeak'),
    quotaPagedPoolUsage: null,
    quotaNonPagedPoolUsage: null,
    privateWorkingSetSize: rssAnon,
    linux: {
      rssAnon,
      rssFile: statusBytes(status, 'RssFile'),
      rssShmem: statusBytes(status, 'RssShmem'),
      vmSwap,
      vmLck: statusBytes(status, 'VmLck'),
      vmPte: statusBytes(status, 'VmPTE'),
    },
  };
}
