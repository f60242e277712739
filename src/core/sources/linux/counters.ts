import type { Counters } from '../../../shared/model';
import { type ProcStat, assertNotExited } from './procStat';
import { type ProcStatus, statusBytesOrNull } from './procStatus';

/** The /proc/PID/status lines the counters read, in the order the kernel prints them. */
export const COUNTER_STATUS_FIELDS = [
  'VmPeak',
  'VmSize',
  'VmLck',
  'VmHWM',
  'VmRSS',
  'RssAnon',
  'RssFile',
  'RssShmem',
  'VmPTE',
  'VmSwap',
] as const;
export type CounterStatusField = (typeof COUNTER_STATUS_FIELDS)[number];

/** Those lines in bytes; null where this kernel (or a kernel thread) prints no such line. */
export type CounterStatus = Record<CounterStatusField, number | null>;

/** What the counters need of /proc/PID/stat. */
export type CounterStat = Pick<ProcStat, 'pid' | 'ppid' | 'state' | 'minflt' | 'majflt'>;

/** The counters' status lines from a parsed status map. */
export function counterStatusOf(status: ProcStatus): CounterStatus {
  const out = {} as CounterStatus;
  for (const field of COUNTER_STATUS_FIELDS) out[field] = statusBytesOrNull(status, field);
  return out;
}

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
export function countersFromProc(status: CounterStatus, stat: CounterStat): Counters {
  assertNotExited(stat);
  const rssAnon = status.RssAnon ?? 0;
  const vmSwap = status.VmSwap ?? 0;
  return {
    workingSetSize: status.VmRSS ?? 0,
    peakWorkingSetSize: status.VmHWM,
    privateUsage: rssAnon + vmSwap,
    pagefileUsage: vmSwap,
    peakPagefileUsage: null,
    pageFaultCount: stat.minflt + stat.majflt,
    softFaultCount: stat.minflt,
    hardFaultCount: stat.majflt,
    virtualSize: status.VmSize ?? 0,
    peakVirtualSize: status.VmPeak,
    quotaPagedPoolUsage: null,
    quotaNonPagedPoolUsage: null,
    privateWorkingSetSize: rssAnon,
    linux: {
      rssAnon,
      rssFile: status.RssFile ?? 0,
      rssShmem: status.RssShmem ?? 0,
      vmSwap,
      vmLck: status.VmLck ?? 0,
      vmPte: status.VmPTE ?? 0,
    },
  };
}
