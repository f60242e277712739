import { describe, expect, it } from 'vitest';
import { countersFromMemoryInfo } from './counters';
import type { ProcessMemoryCounters } from './win32Structs';

const pmc: ProcessMemoryCounters = {
  pageFaultCount: 5000,
  peakWorkingSetSize: 90_000_000,
  workingSetSize: 80_000_000,
  quotaPeakPagedPoolUsage: 300_000,
  quotaPagedPoolUsage: 250_000,
  quotaPeakNonPagedPoolUsage: 30_000,
  quotaNonPagedPoolUsage: 20_000,
  pagefileUsage: 60_000_000,
  peakPagefileUsage: 70_000_000,
  privateUsage: 60_000_000,
  privateWorkingSetSize: 40_000_000,
  sharedCommitUsage: 1_000_000,
};

describe('countersFromMemoryInfo', () => {
  it('maps PROCESS_MEMORY_COUNTERS_EX2 and the virtual sizes onto the shared Counters', () => {
    expect(countersFromMemoryInfo(pmc, { virtualSize: 2_000_000_000, peakVirtualSize: 2_100_000_000 })).toEqual({
      workingSetSize: 80_000_000,
      peakWorkingSetSize: 90_000_000,
      privateUsage: 60_000_000,
      pagefileUsage: 60_000_000,
      peakPagefileUsage: 70_000_000,
      pageFaultCount: 5000,
      // PMC has one fault count: soft and hard are not told apart.
      softFaultCount: null,
      hardFaultCount: null,
      virtualSize: 2_000_000_000,
      peakVirtualSize: 2_100_000_000,
      quotaPagedPoolUsage: 250_000,
      quotaNonPagedPoolUsage: 20_000,
      privateWorkingSetSize: 40_000_000,
    });
  });

  it('leaves the private working set null where the OS filled only _EX', () => {
    const counters = countersFromMemoryInfo({ ...pmc, privateWorkingSetSize: null }, { virtualSize: 1, peakVirtualSize: 1 });
    expect(counters.privateWorkingSetSize).toBeNull();
  });
});
