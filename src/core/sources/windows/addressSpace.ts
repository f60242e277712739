import { formatAddress } from '../../../shared/address';
import type { WorkingSet } from '../../../shared/model';
import { MEM_FLAGS } from '../../../shared/winConstants';
import type { MemoryBasicInfo } from '../../win32/memoryBasicInfo';
import type { Win32 } from './bindings';
import { type DeviceMap, toDrivePath } from './devicePaths';
import { failedCall, type ProcessHandle } from './processHandle';
import {
  decodeMemoryBasicInformation,
  decodeWideString,
  MEMORY_BASIC_INFORMATION_SIZE,
} from './win32Structs';
import {
  addPage,
  emptyWorkingSet,
  fillWorkingSetQuery,
  pageAttributes,
  WORKING_SET_EX_ENTRY_SIZE,
} from '../../win32/workingSetBits';

/**
 * Attempts at one address before the walk gives up there:
 * Wine's VirtualQueryEx on another process is a request to that process, which failed once
 * mid-range on a loaded machine (a 32-bit target's walk ended at 0xfffd0000, not 0xffff0000).
 */
const QUERY_ATTEMPTS = 3;

function queryRegion(api: Win32, process: ProcessHandle, address: bigint, buf: Buffer): boolean {
  for (let attempt = 0; attempt < QUERY_ATTEMPTS; attempt++) {
    if (Number(api.VirtualQueryEx(process.handle, address, buf, MEMORY_BASIC_INFORMATION_SIZE)))
      return true;
  }
  return false;
}

/** A walk that could not reach the top of the user range: where it stopped, and why. */
export interface WalkTruncation {
  at: bigint;
  reason: string;
}

export interface AddressSpaceWalk {
  regions: MemoryBasicInfo[];
  /** Set when a query failed below `maxAddress`: the regions above `at` are missing. */
  truncated: WalkTruncation | null;
}

/**
 * Every region of the user range up to `maxAddress`, in address order, as VirtualQueryEx
 * reports them; a region reaching past it is cut there (a WOW64 process's range ends at 2 or
 * 4 GiB while its address space goes on). The walk ends at `maxAddress + 1`: a query failing
 * before that is never taken for the end. It is an error before the first region, and where the
 * process has exited; after some regions, the walk is returned `truncated`, with the reason.
 */
export function walkAddressSpace(
  api: Win32,
  process: ProcessHandle,
  maxAddress: bigint,
): AddressSpaceWalk {
  const buf = Buffer.alloc(MEMORY_BASIC_INFORMATION_SIZE);
  const regions: MemoryBasicInfo[] = [];
  let address = 0n;
  while (address <= maxAddress) {
    if (!queryRegion(api, process, address, buf)) {
      const err = failedCall(api, process, 'query the memory of');
      if (regions.length === 0 || err.code === 'process-exited') throw err;
      return {
        regions,
        truncated: {
          at: address,
          reason: `VirtualQueryEx failed ${QUERY_ATTEMPTS} times at ${formatAddress(address)}: ${err.message}`,
        },
      };
    }
    const mbi = decodeMemoryBasicInformation(buf);
    // A region must move the walk forward; anything else would loop for ever.
    if (mbi.baseAddress + mbi.regionSize <= address) {
      return {
        regions,
        truncated: {
          at: address,
          reason: `VirtualQueryEx at ${formatAddress(address)} answered a region that ends before it`,
        },
      };
    }
    const end = mbi.baseAddress + mbi.regionSize;
    if (end > maxAddress + 1n) mbi.regionSize = maxAddress + 1n - mbi.baseAddress;
    regions.push(mbi);
    address = end;
  }
  return { regions, truncated: null };
}

/** The region holding an address, by binary search over the walk (sorted by address). */
export function regionLookup(
  regions: readonly MemoryBasicInfo[],
): (address: bigint) => MemoryBasicInfo | null {
  return (address) => {
    let low = 0;
    let high = regions.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const mbi = regions[mid];
      if (!mbi) break;
      if (address < mbi.baseAddress) high = mid - 1;
      else if (address >= mbi.baseAddress + mbi.regionSize) low = mid + 1;
      else return mbi;
    }
    return null;
  };
}

/** Pages per QueryWorkingSetEx call: 8,192 entries are a 128 KiB buffer. */
const BATCH_PAGES = 8192;

/**
 * The working-set columns of every committed region, from QueryWorkingSetEx asked about each
 * page, many regions per call; uncommitted regions have empty working sets. Null where the
 * call is refused for a live process (Wine answers it for the calling process only).
 */
export function readWorkingSets(
  api: Win32,
  process: ProcessHandle,
  regions: readonly MemoryBasicInfo[],
  pageSize: number,
): WorkingSet[] | null {
  const sets = regions.map(() => emptyWorkingSet());
  const buf = Buffer.alloc(BATCH_PAGES * WORKING_SET_EX_ENTRY_SIZE);
  let batch: Array<{ region: number; pages: number }> = [];
  let used = 0;
  let refused = false;
  const flush = (): void => {
    if (used === 0) return;
    if (api.QueryWorkingSetEx(process.handle, buf, used * WORKING_SET_EX_ENTRY_SIZE)) {
      let entry = 0;
      for (const { region, pages } of batch) {
        const ws = sets[region] as WorkingSet;
        for (let i = 0; i < pages; i++) addPage(ws, pageAttributes(buf, entry++), pageSize);
      }
    } else {
      const err = failedCall(api, process, 'read the working set of');
      if (err.code === 'process-exited') throw err;
      refused = true;
    }
    batch = [];
    used = 0;
  };
  for (let region = 0; region < regions.length && !refused; region++) {
    const mbi = regions[region] as MemoryBasicInfo;
    if (mbi.state !== MEM_FLAGS.MEM_COMMIT) continue;
    const total = Number(mbi.regionSize / BigInt(pageSize));
    for (let done = 0; done < total && !refused;) {
      const pages = Math.min(total - done, BATCH_PAGES - used);
      const first = mbi.baseAddress + BigInt(done) * BigInt(pageSize);
      fillWorkingSetQuery(buf.subarray(used * WORKING_SET_EX_ENTRY_SIZE), first, pages, pageSize);
      batch.push({ region, pages });
      used += pages;
      done += pages;
      if (used === BATCH_PAGES) flush();
    }
  }
  flush();
  return refused ? null : sets;
}

/** Characters of a mapped file name we accept; longer NT paths are rare and come back cut. */
const NAME_CHARS = 4096;

/**
 * The file behind each image and mapped region (drive-letter form), asked once per allocation
 * since every region of an allocation maps the same file; null for private memory and for
 * pagefile-backed sections.
 */
export function readMappedPaths(
  api: Win32,
  process: ProcessHandle,
  regions: readonly MemoryBasicInfo[],
  devices: DeviceMap,
): Array<string | null> {
  const buf = Buffer.alloc(NAME_CHARS * 2);
  const byAllocation = new Map<bigint, string | null>();
  return regions.map((mbi) => {
    if (mbi.type !== MEM_FLAGS.MEM_IMAGE && mbi.type !== MEM_FLAGS.MEM_MAPPED) return null;
    let path = byAllocation.get(mbi.allocationBase);
    if (path === undefined) {
      const chars = api.GetMappedFileNameW(process.handle, mbi.baseAddress, buf, NAME_CHARS);
      path = chars > 0 ? toDrivePath(decodeWideString(buf, chars), devices) : null;
      byAllocation.set(mbi.allocationBase, path);
    }
    return path;
  });
}

/** Drive letters and the NT devices behind them, from GetLogicalDriveStringsW and QueryDosDeviceW. */
export function readDeviceMap(api: Win32): DeviceMap {
  const drives = Buffer.alloc(512);
  const chars = api.GetLogicalDriveStringsW(drives.length >> 1, drives);
  const letters = drives
    .toString('utf16le', 0, chars * 2)
    .split('\0')
    .filter((d) => d.length > 0)
    .map((d) => d.replace(/\\$/, ''));
  const target = Buffer.alloc(1024);
  const map: Array<[string, string]> = [];
  for (const drive of letters) {
    const length = api.QueryDosDeviceW(drive, target, target.length >> 1);
    if (length > 0) map.push([decodeWideString(target, length), drive]);
  }
  return map;
}
