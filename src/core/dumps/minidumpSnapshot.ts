import { hostname } from 'node:os';
import { unknownCounters } from './unknownCounters';
import { formatAddress } from '../../shared/address';
import type { Region, Snapshot, SnapshotCounters, SystemLayout } from '../../shared/model';
import { MEM_FLAGS } from '../../shared/winConstants';
import { snapshotEnvelope } from '../sources/snapshotEnvelope';
import type { SnapshotOptions } from '../sources/source';
import type { MemoryRead } from '../sources/windows/memoryReads';
import { ENVIRONMENT_32, addressUsesFromMemory } from '../sources/windows/processEnvironment';
import type { MemoryBasicInfo } from '../win32/memoryBasicInfo';
import { type AddressUses, toRegions } from '../win32/regions';
import { DumpContents } from './dumpContents';
import type { DumpFile } from './dumpFile';
import type { Minidump } from './minidump';

const { MEM_COMMIT, MEM_FREE, MEM_IMAGE, MEM_PRIVATE } = MEM_FLAGS;
const GRANULARITY = 0x10000;
const PAGE = 0x1000;
const PROCESSOR_ARCHITECTURE_INTEL = 0;
/** The 64-bit user range's top (Windows 8.1 and later), for dumps that do not say. */
const USER_END_64 = 0x7ffffffeffffn;
const USER_END_32 = 0x7ffeffffn;
/** TEB.ProcessEnvironmentBlock; PEB.ProcessParameters; RTL_USER_PROCESS_PARAMETERS.CommandLine (x64). */
const TEB_PEB = 0x60n;
const PEB_PARAMETERS = 0x20n;
const PARAMETERS_COMMAND_LINE = 0x70n;
const MAX_COMMAND_LINE = 65534;

export const MINIDUMP_WORKING_SET_UNKNOWN =
  'A minidump records memory, not which pages were resident: the regions\u2019 working set is unknown.';

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** The memory a dump captured, as the PEB and TEB readers ask for it. */
export function minidumpContents(file: DumpFile, dump: Minidump): DumpContents {
  return new DumpContents(file, dump.memory);
}

/**
 * A snapshot of the process a minidump was written from, its regions built exactly as the live
 * Windows source builds them (win32/regions.ts): MemoryInfoListStream is the VirtualQueryEx walk,
 * ModuleListStream names the images, and the threads' TEBs and the PEB, where the dump captured
 * them, say which allocations are stacks and heaps. A dump without MemoryInfoListStream opens
 * from its modules and captured ranges, with a note on what is missing.
 */
export function snapshotFromMinidump(
  file: DumpFile,
  dump: Minidump,
  options: SnapshotOptions = {},
): Snapshot {
  const started = performance.now();
  const contents = minidumpContents(file, dump);
  const read: MemoryRead = (address, size) => contents.readWhole(address, size);
  const is32 = dump.system?.architecture === PROCESSOR_ARCHITECTURE_INTEL;
  const missing: string[] = [];
  const walk = dump.memoryInfo ?? walkFromModulesAndMemory(dump);
  if (!dump.memoryInfo)
    missing.push(
      'MemoryInfoListStream: no walk of the address space, so only modules and captured memory are shown, with unknown protection, and no free or reserved regions',
    );
  if (!dump.streams.includes('ModuleListStream')) missing.push('ModuleListStream: no image names');
  if (!dump.streams.includes('ThreadListStream'))
    missing.push('ThreadListStream: no thread stacks');
  if (dump.memory.length === 0)
    missing.push('MemoryListStream and Memory64ListStream: no memory contents');
  if (!dump.streams.includes('MiscInfoStream')) missing.push('MiscInfoStream: no process id');
  missing.push('file names of mapped views other than images are not recorded in a minidump');

  // An x86 dump's TEBs and PEB are 32-bit. A 64-bit dump of a WOW64 process (wow64.dll loaded)
  // has each thread's TEB32 0x2000 after its TEB64, and a PEB32 besides the PEB: both are read,
  // as the live source reads a WOW64 process.
  const wow64 = !is32 && dump.modules.some((m) => /(^|[\\/])wow64\.dll$/i.test(m.path));
  const threads = dump.threads
    .filter((t) => t.teb !== 0n)
    .map((t) => ({ threadId: t.threadId, teb: t.teb }));
  const firstPeb = (offset: bigint, size: 4 | 8): bigint | null => {
    for (const t of threads) {
      const peb = readPointer(read, t.teb + offset, size);
      if (peb) return peb;
    }
    return null;
  };
  const peb = is32 ? firstPeb(ENVIRONMENT_32.tebPeb, 4) : firstPeb(TEB_PEB, 8);
  const peb32 = wow64 ? firstPeb(ENVIRONMENT_32.wow64TebOffset + ENVIRONMENT_32.tebPeb, 4) : null;
  const uses = addressUsesFromMemory(
    read,
    walk,
    threads,
    { native: peb, wow64: peb32 },
    wow64,
    true,
    is32,
  );
  addCapturedStacks(dump, walk, uses);
  if (peb === null) missing.push('the PEB was not captured: heaps are not named');

  const imageAt = moduleLookup(dump);
  let regions: Region[] = walk.flatMap((mbi) =>
    toRegions(
      { mbi, path: mbi.type === MEM_IMAGE ? imageAt(mbi.baseAddress) : null, workingSet: null },
      uses,
      GRANULARITY,
    ).map(unnamedView),
  );
  if (options.includeFree === false) regions = regions.filter((r) => r.state !== 'free');
  const lastEnd =
    walk.length > 0 ? walk[walk.length - 1]!.baseAddress + walk[walk.length - 1]!.regionSize : 0n;
  const maxAddress = is32 ? USER_END_32 : lastEnd - 1n > USER_END_64 ? lastEnd - 1n : USER_END_64;
  const layout: SystemLayout = {
    pageSize: PAGE,
    allocationGranularity: GRANULARITY,
    minAddress: '0x10000',
    maxAddress: formatAddress(maxAddress),
  };
  const exe = dump.modules[0];
  const pid = dump.misc?.pid ?? 0;
  const envelope = snapshotEnvelope({
    takenAt: new Date(dump.timeDateStamp * 1000).toISOString(),
    source: 'windows',
    system: layout,
    host: {
      hostname: hostname(),
      platform: 'win32',
      arch: architectureName(dump.system?.architecture),
    },
    process: {
      pid,
      name: exe ? baseName(exe.path) : String(pid),
      path: exe?.path ?? null,
      commandLine: peb === null ? null : commandLine(read, peb, is32),
    },
    counters: countersOf(dump, walk),
  });
  return {
    ...envelope,
    origin: { kind: 'minidump', file: file.name, captured: dump.streams, missing },
    workingSetUnknown: MINIDUMP_WORKING_SET_UNKNOWN,
    regions,
    durationMs: performance.now() - started,
  };
}

/**
 * A minidump records no file names for mapped views, so a view without one is not known to be a
 * pagefile-backed section (the live rule's `shareable`): it is shown as WinDbg's !address shows
 * it, a mapped file, with a note that its name is not in the dump.
 */
function unnamedView(region: Region): Region {
  if (region.type !== 'mapped' || region.path !== null) return region;
  return { ...region, kind: 'mappedFile', details: region.details ?? NO_VIEW_NAME };
}

export const NO_VIEW_NAME = 'file name not recorded in a minidump';

function architectureName(code: number | undefined): string {
  return code === 9 ? 'x64' : code === 12 ? 'arm64' : code === 0 ? 'ia32' : 'unknown';
}

/** A pointer (`size` bytes) the dump captured at `address`; null where it did not, or it is NULL. */
function readPointer(read: MemoryRead, address: bigint, size: 4 | 8 = 8): bigint | null {
  const b = read(address, size);
  if (!b) return null;
  const value = size === 8 ? b.readBigUInt64LE(0) : BigInt(b.readUInt32LE(0));
  return value === 0n ? null : value;
}

/** PEB.ProcessParameters->CommandLine, a UNICODE_STRING (its 32-bit form in a 32-bit PEB). */
function commandLine(read: MemoryRead, peb: bigint, is32: boolean): string | null {
  const size = is32 ? 4 : 8;
  const parameters = readPointer(
    read,
    peb + (is32 ? ENVIRONMENT_32.pebParameters : PEB_PARAMETERS),
    size,
  );
  const at = is32 ? ENVIRONMENT_32.commandLine : PARAMETERS_COMMAND_LINE;
  const unicode = parameters ? read(parameters + at, 2 * size) : null;
  if (!unicode) return null;
  const length = unicode.readUInt16LE(0);
  const buffer = is32 ? BigInt(unicode.readUInt32LE(4)) : unicode.readBigUInt64LE(8);
  const text = length > 0 && length <= MAX_COMMAND_LINE ? read(buffer, length) : null;
  return text ? text.toString('utf16le') : null;
}

/** The module (image) holding an address: its path. */
function moduleLookup(dump: Minidump): (address: bigint) => string | null {
  const modules = [...dump.modules].sort((a, b) => (a.base < b.base ? -1 : 1));
  return (address) => {
    for (const m of modules) {
      if (address < m.base) return null;
      if (address < m.base + BigInt(m.size)) return m.path;
    }
    return null;
  };
}

/**
 * Threads whose TEB was not captured: the allocation holding the captured stack (the thread's
 * stack pointer up) is its stack, labelled as the live source labels it.
 */
function addCapturedStacks(
  dump: Minidump,
  walk: readonly MemoryBasicInfo[],
  uses: AddressUses,
): void {
  const known = new Set([...uses.stacks.values()].map((s) => s.threadId));
  for (const t of dump.threads) {
    if (known.has(t.threadId) || t.stackSize === 0) continue;
    const mbi = walk.find(
      (m) => m.baseAddress <= t.stackStart && t.stackStart < m.baseAddress + m.regionSize,
    );
    if (mbi && mbi.state !== MEM_FREE && !uses.stacks.has(mbi.allocationBase))
      uses.stacks.set(mbi.allocationBase, {
        threadId: t.threadId,
        details: `Stack of thread ${t.threadId}`,
      });
  }
}

/**
 * Without MemoryInfoListStream: each module is one committed image region and each captured range
 * outside the modules one committed private region, protection unknown (0, shown as null).
 */
function walkFromModulesAndMemory(dump: Minidump): MemoryBasicInfo[] {
  const pieces: MemoryBasicInfo[] = dump.modules.map((m) => ({
    baseAddress: m.base,
    allocationBase: m.base,
    allocationProtect: 0,
    regionSize: BigInt(m.size),
    state: MEM_COMMIT,
    protect: 0,
    type: MEM_IMAGE,
  }));
  for (const r of dump.memory) {
    const base = r.address & ~BigInt(PAGE - 1);
    const end = (r.address + BigInt(r.size) + BigInt(PAGE - 1)) & ~BigInt(PAGE - 1);
    pieces.push({
      baseAddress: base,
      allocationBase: base,
      allocationProtect: 0,
      regionSize: end - base,
      state: MEM_COMMIT,
      protect: 0,
      type: MEM_PRIVATE,
    });
  }
  pieces.sort((a, b) =>
    a.baseAddress < b.baseAddress ? -1 : a.baseAddress > b.baseAddress ? 1 : 0,
  );
  // Overlaps (memory inside a module, ranges sharing a page) belong to the piece that starts first.
  const walk: MemoryBasicInfo[] = [];
  for (const p of pieces) {
    const last = walk[walk.length - 1];
    const lastEnd = last ? last.baseAddress + last.regionSize : 0n;
    if (p.regionSize === 0n || p.baseAddress + p.regionSize <= lastEnd) continue;
    if (p.baseAddress < lastEnd) {
      if (last!.type === MEM_PRIVATE && p.type === MEM_PRIVATE) {
        last!.regionSize = p.baseAddress + p.regionSize - last!.baseAddress;
        continue;
      }
      const cut = lastEnd - p.baseAddress;
      walk.push({
        ...p,
        baseAddress: lastEnd,
        allocationBase: lastEnd,
        regionSize: p.regionSize - cut,
      });
      continue;
    }
    walk.push({ ...p });
  }
  return walk;
}

/** ProcessVmCountersStream (MINIDUMP_PROCESS_VM_COUNTERS_1), where the dump has it. */
function countersOf(dump: Minidump, walk: readonly MemoryBasicInfo[]): SnapshotCounters {
  let virtualSize = 0;
  for (const m of walk) if (m.state !== MEM_FREE) virtualSize += Number(m.regionSize);
  const counters: SnapshotCounters = unknownCounters(virtualSize);
  const vm = dump.vmCounters;
  return vm ? { ...counters, ...vm } : counters;
}
