import type { Snapshot } from '../../src/shared/model';

/** Everything of a small Linux snapshot but its regions, for tests that bring their own. */
export const SNAPSHOT_META: Omit<Snapshot, 'regions'> = {
  format: 'vmscope-snapshot',
  version: 2,
  takenAt: '2026-11-22T02:00:00.000Z',
  source: 'linux',
  host: { hostname: 'h', platform: 'linux', arch: 'x64' },
  system: {
    pageSize: 4096,
    allocationGranularity: 4096,
    minAddress: '0x0',
    maxAddress: '0x7fffffffffff',
  },
  process: { pid: 7, name: 'x', path: null, commandLine: null },
  counters: {
    workingSetSize: 1,
    peakWorkingSetSize: null,
    privateUsage: 2,
    pagefileUsage: null,
    peakPagefileUsage: null,
    pageFaultCount: 3,
    softFaultCount: 3,
    hardFaultCount: 0,
    virtualSize: 4,
    peakVirtualSize: null,
    quotaPagedPoolUsage: null,
    quotaNonPagedPoolUsage: null,
    privateWorkingSetSize: null,
  },
};
