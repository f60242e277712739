import type { Counters } from '../../../shared/model';
import type { Win32 } from './bindings';
import { failedCall, type ProcessHandle } from './processHandle';
import type { SystemProcessTable } from './systemProcesses';
import { ProcessVmCounters } from '../../win32/constants';
import {
  decodeProcessMemoryCounters,
  decodeVirtualSizes,
  memoryCountersBuffer,
  PROCESS_MEMORY_COUNTERS_EX_SIZE,
  type ProcessMemoryCounters,
  type SystemProcessEntry,
  VM_COUNTERS_SIZE,
  type VirtualSizes,
} from './win32Structs';

/**
 * The shared Counters from GetProcessMemoryInfo, plus the virtual sizes PMC lacks (from
 * VM_COUNTERS, the structure GetProcessMemoryInfo itself is built on) and the split of faults
 * into soft and hard, which only the system's process listing has: soft is every fault less the
 * hard ones, both from that one listing so they agree with each other. Without a listing entry
 * both are null.
 */
export function countersFromMemoryInfo(
  pmc: ProcessMemoryCounters,
  sizes: VirtualSizes,
  faults: SystemProcessEntry | null,
): Counters {
  return {
    workingSetSize: pmc.workingSetSize,
    peakWorkingSetSize: pmc.peakWorkingSetSize,
    privateUsage: pmc.privateUsage,
    pagefileUsage: pmc.pagefileUsage,
    peakPagefileUsage: pmc.peakPagefileUsage,
    pageFaultCount: pmc.pageFaultCount,
    softFaultCount: faults ? Math.max(0, faults.pageFaultCount - faults.hardFaultCount) : null,
    hardFaultCount: faults ? faults.hardFaultCount : null,
    virtualSize: sizes.virtualSize,
    peakVirtualSize: sizes.peakVirtualSize,
    quotaPagedPoolUsage: pmc.quotaPagedPoolUsage,
    quotaNonPagedPoolUsage: pmc.quotaNonPagedPoolUsage,
    privateWorkingSetSize: pmc.privateWorkingSetSize,
  };
}

/** GetProcessMemoryInfo asking for _EX2, and for _EX where the OS refuses the larger size. */
export function readMemoryCounters(api: Win32, process: ProcessHandle): ProcessMemoryCounters {
  const buf = memoryCountersBuffer();
  if (api.GetProcessMemoryInfo(process.handle, buf, buf.length))
    return decodeProcessMemoryCounters(buf);
  const ex = buf.subarray(0, PROCESS_MEMORY_COUNTERS_EX_SIZE);
  ex.writeUInt32LE(PROCESS_MEMORY_COUNTERS_EX_SIZE, 0);
  if (api.GetProcessMemoryInfo(process.handle, ex, ex.length))
    return decodeProcessMemoryCounters(ex);
  throw failedCall(api, process, 'read the memory counters of');
}

export function readVirtualSizes(api: Win32, process: ProcessHandle): VirtualSizes {
  const buf = Buffer.alloc(VM_COUNTERS_SIZE);
  if (api.NtQueryInformationProcess(process.handle, ProcessVmCounters, buf, buf.length, null) < 0) {
    throw failedCall(api, process, 'read the virtual size of');
  }
  return decodeVirtualSizes(buf);
}

export function readCounters(
  api: Win32,
  process: ProcessHandle,
  system: SystemProcessTable,
): Counters {
  return countersFromMemoryInfo(
    readMemoryCounters(api, process),
    readVirtualSizes(api, process),
    system.entry(process.pid),
  );
}
