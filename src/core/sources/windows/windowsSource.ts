import { formatAddress } from '../../../shared/address';
import type { SystemLayout } from '../../../shared/model';
import type { Source } from '../source';
import { win32 } from './bindings';
import { readCounters } from './counters';
import { listWindowsProcesses } from './processList';
import { readWindowsMemory } from './processMemory';
import { withProcess } from './processHandle';
import { takeSnapshot } from './snapshot';
import { SystemProcessTable } from './systemProcesses';
import { readWindowsPages } from './workingSetPages';
import {
  decodePerformanceInfo,
  decodeSystemInfo,
  PERFORMANCE_INFORMATION_SIZE,
  type PerformanceInfo,
  SYSTEM_INFO_SIZE,
  sizedBuffer,
} from './win32Structs';

/** The Windows source, plus the machine-wide figures GetPerformanceInfo gives. */
export interface WindowsSource extends Source {
  performance(): PerformanceInfo;
}

/**
 * The real Windows memory of processes, through koffi. Creating it loads the bindings (and so
 * koffi and the DLLs); nothing else in the core does.
 */
export function createWindowsSource(): WindowsSource {
  const api = win32();
  const infoBuf = Buffer.alloc(SYSTEM_INFO_SIZE);
  api.GetSystemInfo(infoBuf);
  const system = decodeSystemInfo(infoBuf);
  const processTable = new SystemProcessTable(api);
  const layout: SystemLayout = {
    pageSize: system.pageSize,
    allocationGranularity: system.allocationGranularity,
    minAddress: formatAddress(system.minimumApplicationAddress),
    maxAddress: formatAddress(system.maximumApplicationAddress),
  };
  return {
    id: 'windows',
    layout: () => layout,
    // The calls are synchronous; async keeps the Source contract and turns throws into rejections.
    listProcesses: async () => listWindowsProcesses(api),
    counters: async (pid) =>
      withProcess(api, pid, (process) => readCounters(api, process, processTable)),
    snapshot: async (pid, options) =>
      takeSnapshot(api, pid, { system, layout, processTable }, options),
    pages: async (span) => readWindowsPages(span),
    readMemory: async (pid, address, size) => readWindowsMemory(api, pid, address, size),
    performance: () => {
      const buf = sizedBuffer(PERFORMANCE_INFORMATION_SIZE);
      if (!api.GetPerformanceInfo(buf, buf.length)) {
        throw new Error(`GetPerformanceInfo failed (Win32 error ${api.GetLastError()}).`);
      }
      return decodePerformanceInfo(buf);
    },
  };
}
