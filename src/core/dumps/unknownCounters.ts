import type { SnapshotCounters } from '../../shared/model';

/**
 * A dump's counters before what it records is filled in: every figure null (not known, never 0),
 * except the virtual size, which both kinds of dump give by their memory map.
 */
export function unknownCounters(virtualSize: number): SnapshotCounters {
  return {
    workingSetSize: null,
    peakWorkingSetSize: null,
    privateUsage: null,
    pagefileUsage: null,
    peakPagefileUsage: null,
    pageFaultCount: null,
    softFaultCount: null,
    hardFaultCount: null,
    virtualSize,
    peakVirtualSize: null,
    quotaPagedPoolUsage: null,
    quotaNonPagedPoolUsage: null,
    privateWorkingSetSize: null,
  };
}
