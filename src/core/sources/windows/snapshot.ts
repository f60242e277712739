import { arch, hostname, platform } from 'node:os';
import type { Region, Snapshot, SystemLayout } from '../../../shared/model';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../../../shared/model';
import type { SnapshotOptions } from '../source';
import { readDeviceMap, readMappedPaths, readWorkingSets, walkAddressSpace } from './addressSpace';
import type { Win32 } from './bindings';
import { readCounters } from './counters';
import { readAddressUses } from './processEnvironment';
import { baseName, commandLine, imagePath, isWow64 } from './processFacts';
import { requireMemoryAccess, withProcess } from './processHandle';
import { toRegions } from './regions';
import type { SystemInfo } from './win32Structs';

/** The allocation holding an address, by binary search over the walk (sorted by address). */
function allocationLookup(regions: ReturnType<typeof walkAddressSpace>): (address: bigint) => bigint | null {
  return (address) => {
    let low = 0;
    let high = regions.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const mbi = regions[mid];
      if (!mbi) break;
      if (address < mbi.baseAddress) high = mid - 1;
      else if (address >= mbi.baseAddress + mbi.regionSize) low = mid + 1;
      else return mbi.allocationBase || null;
    }
    return null;
  };
}

/**
 * A whole snapshot of one process: the VirtualQueryEx walk, the working set of every committed
 * page, the file behind every mapping and what the PEB and TEBs say about heaps and stacks.
 * The counters are read first and the regions after, under one handle.
 */
export function takeSnapshot(
  api: Win32,
  pid: number,
  system: SystemInfo,
  layout: SystemLayout,
  options: SnapshotOptions = {},
): Snapshot {
  const started = performance.now();
  return withProcess(api, pid, (process) => {
    requireMemoryAccess(process);
    const counters = readCounters(api, process);
    const path = imagePath(api, process);
    const walk = walkAddressSpace(api, process, system.maximumApplicationAddress);
    const workingSets = readWorkingSets(api, process, walk, system.pageSize);
    const paths = readMappedPaths(api, process, walk, readDeviceMap(api));
    const uses = readAddressUses(api, process, isWow64(api, process), allocationLookup(walk));
    let regions: Region[] = walk.flatMap((mbi, i) =>
      toRegions(
        { mbi, path: paths[i] ?? null, workingSet: workingSets?.[i] ?? null },
        uses,
        system.allocationGranularity,
      ),
    );
    if (options.includeFree === false) regions = regions.filter((r) => r.state !== 'free');
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      takenAt: new Date().toISOString(),
      source: 'windows',
      host: { hostname: hostname(), platform: platform(), arch: arch() },
      system: layout,
      process: { pid, name: path ? baseName(path) : String(pid), path, commandLine: commandLine(api, process) },
      counters,
      regions,
      durationMs: performance.now() - started,
    };
  });
}
