import { formatAddress } from '../../../shared/address';
import type { Region, Snapshot, SystemLayout } from '../../../shared/model';
import { snapshotEnvelope } from '../snapshotEnvelope';
import type { SnapshotOptions } from '../source';
import { readDeviceMap, readMappedPaths, readWorkingSets, walkAddressSpace } from './addressSpace';
import type { Win32 } from './bindings';
import { readCounters } from './counters';
import { readAddressUses } from './processEnvironment';
import { baseName, commandLine, imagePath, isWow64, wow64AddressLimit } from './processFacts';
import { requireMemoryAccess, withProcess } from './processHandle';
import { toRegions } from '../../win32/regions';
import type { SystemProcessTable } from './systemProcesses';
import type { SystemInfo } from './win32Structs';

/** What a snapshot needs from the source beyond the process: the machine's facts. */
export interface SnapshotContext {
  system: SystemInfo;
  layout: SystemLayout;
  processTable: SystemProcessTable;
}

/**
 * A whole snapshot of one process: the VirtualQueryEx walk, the working set of every committed
 * page, the file behind every mapping and what the PEB and TEBs say about heaps and stacks.
 * The counters are read first and the regions after, under one handle.
 */
export function takeSnapshot(
  api: Win32,
  pid: number,
  { system, layout, processTable }: SnapshotContext,
  options: SnapshotOptions = {},
): Snapshot {
  const started = performance.now();
  return withProcess(api, pid, (process) => {
    requireMemoryAccess(process);
    const counters = readCounters(api, process, processTable);
    const path = imagePath(api, process);
    const wow64 = isWow64(api, process);
    // A 32-bit process's range is its own 2 or 4 GiB, not ours.
    const maxAddress = wow64 ? wow64AddressLimit(api, process) : system.maximumApplicationAddress;
    const { regions: walk, truncated } = walkAddressSpace(api, process, maxAddress);
    const workingSets = readWorkingSets(api, process, walk, system.pageSize);
    const paths = readMappedPaths(api, process, walk, readDeviceMap(api));
    const uses = readAddressUses(api, process, wow64, walk);
    let regions: Region[] = walk.flatMap((mbi, i) =>
      toRegions(
        { mbi, path: paths[i] ?? null, workingSet: workingSets?.[i] ?? null },
        uses,
        system.allocationGranularity,
      ),
    );
    if (options.includeFree === false) regions = regions.filter((r) => r.state !== 'free');
    return {
      ...snapshotEnvelope({
        source: 'windows',
        system: wow64 ? { ...layout, maxAddress: formatAddress(maxAddress) } : layout,
        process: {
          pid,
          name: path ? baseName(path) : String(pid),
          path,
          commandLine: commandLine(api, process),
        },
        counters,
      }),
      regions,
      durationMs: performance.now() - started,
      ...(truncated
        ? { truncated: { at: formatAddress(truncated.at), reason: truncated.reason } }
        : {}),
    };
  });
}
