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
  it('maps PROCESS_MEMORY_COUNTERS_EX2, the virtual sizes and the listing’s faults onto the shared Counters', () => {
    const faults = {
      processId: 7,
      threadCount: 3,
      pageFaultCount: 5004,
      hardFaultCount: 40,
      workingSetSize: 80_000_000,
    };
    const sizes = { virtualSize: 2_000_000_000, peakVirtualSize: 2_100_000_000 };
    expect(countersFromMemoryInfo(pmc, sizes, faults)).toEqual({
      workingSetSize: 80_000_000,
      peakWorkingSetSize: 90_000_000,
      privateUsage: 60_000_000,
      pagefileUsage: 60_000_000,
      peakPagefileUsage: 70_000_000,
      pageFaultCount: 5000,
      // Soft is the listing's total less its hard faults, not PMC's (read a moment apart).
      softFaultCount: 4964,
      hardFaultCount: 40,
      virtualSize: 2_000_000_000,
      peakVirtualSize: 2_100_000_000,
      quotaPagedPoolUsage: 250_000,
      quotaNonPagedPoolUsage: 20_000,
      privateWorkingSetSize: 40_000_000,
    });
  });

  it('leaves the private working set null where the OS filled only _EX', () => {
    const counters = countersFromMemoryInfo(
      { ...pmc, privateWorkingSetSize: null },
      { virtualSize: 1, peakVirtualSize: 1 },
      null,
    );
    expect(counters.privateWorkingSetSize).toBeNull();
  });

  it('leaves soft and hard faults null where the process is not in the system listing', () => {
    const counters = countersFromMemoryInfo(pmc, { virtualSize: 1, peakVirtualSize: 1 }, null);
    expect(counters).toMatchObject({
      pageFaultCount: 5000,
      softFaultCount: null,
      hardFaultCount: null,
    });
  });
});
