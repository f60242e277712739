import type { Region, RegionKind, RegionState, RegionType, WorkingSet } from '../../shared/model';
import { formatAddress } from '../../shared/address';
import { MEM_FLAGS, memName, protectName } from '../../shared/winConstants';
import type { MemoryBasicInfo } from './memoryBasicInfo';
import { emptyWorkingSet } from './workingSetBits';

/** One VirtualQueryEx answer plus what was learned about it afterwards. */
export interface RawRegion {
  mbi: MemoryBasicInfo;
  /** GetMappedFileNameW's answer, already in drive-letter form; null when there is none. */
  path: string | null;
  /** Null where QueryWorkingSetEx was refused: the columns are unknown, shown as 0. */
  workingSet: WorkingSet | null;
}

export interface StackUse {
  threadId: number;
  details: string;
}

/** What the PEB and the threads' TEBs say allocations are for, keyed by allocation base. */
export interface AddressUses {
  heaps: Map<bigint, string>;
  stacks: Map<bigint, StackUse>;
  /** Details for single regions (PEB, TEBs), keyed by region base. */
  labels: Map<bigint, string>;
}

export function noUses(): AddressUses {
  return { heaps: new Map(), stacks: new Map(), labels: new Map() };
}

/** Adds a region's label; structures sharing a region (a PEB and its PEB32) are listed together. */
export function addLabel(uses: AddressUses, regionBase: bigint, label: string): void {
  const existing = uses.labels.get(regionBase);
  uses.labels.set(regionBase, existing ? `${existing}, ${label}` : label);
}

const { MEM_COMMIT, MEM_FREE, MEM_IMAGE, MEM_MAPPED, MEM_PRIVATE, MEM_RESERVE } = MEM_FLAGS;

const STATES: ReadonlyMap<number, RegionState> = new Map([
  [MEM_COMMIT, 'committed'],
  [MEM_RESERVE, 'reserved'],
  [MEM_FREE, 'free'],
]);

const TYPES: ReadonlyMap<number, RegionType> = new Map([
  [MEM_IMAGE, 'image'],
  [MEM_MAPPED, 'mapped'],
  [MEM_PRIVATE, 'private'],
]);

/** VMMap's classification: the memory type decides first, then what the PEB and TEBs say. */
export function classify(mbi: MemoryBasicInfo, path: string | null, uses: AddressUses): RegionKind {
  if (mbi.state === MEM_FREE) return 'free';
  if (mbi.type === MEM_IMAGE) return 'image';
  // A MEM_MAPPED view with no file name is a pagefile-backed section.
  if (mbi.type === MEM_MAPPED) return path ? 'mappedFile' : 'shareable';
  if (uses.heaps.has(mbi.allocationBase)) return 'heap';
  if (uses.stacks.has(mbi.allocationBase)) return 'stack';
  return 'privateData';
}

function details(mbi: MemoryBasicInfo, kind: RegionKind, uses: AddressUses): string | null {
  if (kind === 'heap') return uses.heaps.get(mbi.allocationBase) ?? null;
  if (kind === 'stack') return uses.stacks.get(mbi.allocationBase)?.details ?? null;
  return uses.labels.get(mbi.baseAddress) ?? null;
}

function freeRegion(base: bigint, size: bigint, kind: 'free' | 'unusable'): Region {
  return {
    base: formatAddress(base),
    size: Number(size),
    allocationBase: null,
    state: 'free',
    protect: null,
    allocationProtect: null,
    type: null,
    kind,
    committed: 0,
    workingSet: emptyWorkingSet(),
    path: null,
    details: null,
  };
}

/**
 * A free range as VMMap shows it: an allocation ends on a page boundary but the next one can
 * only start on an allocation-granularity boundary, so the rest of that granule is unusable.
 */
function freeRegions(base: bigint, size: bigint, granularity: bigint): Region[] {
  const end = base + size;
  const aligned = ((base + granularity - 1n) / granularity) * granularity;
  if (aligned === base) return [freeRegion(base, size, 'free')];
  if (aligned >= end) return [freeRegion(base, size, 'unusable')];
  return [freeRegion(base, aligned - base, 'unusable'), freeRegion(aligned, end - aligned, 'free')];
}

/** One VirtualQueryEx answer as the shared model's regions (a free one may become two). */
export function toRegions(raw: RawRegion, uses: AddressUses, granularity: number): Region[] {
  const { mbi } = raw;
  if (mbi.state === MEM_FREE)
    return freeRegions(mbi.baseAddress, mbi.regionSize, BigInt(granularity));
  const kind = classify(mbi, raw.path, uses);
  const region: Region = {
    base: formatAddress(mbi.baseAddress),
    size: Number(mbi.regionSize),
    allocationBase: formatAddress(mbi.allocationBase),
    state: STATES.get(mbi.state) ?? 'reserved',
    protect: protectName(mbi.protect),
    allocationProtect: protectName(mbi.allocationProtect),
    type: TYPES.get(mbi.type) ?? null,
    kind,
    committed: mbi.state === MEM_COMMIT ? Number(mbi.regionSize) : 0,
    workingSet: raw.workingSet ?? emptyWorkingSet(),
    path: raw.path,
    details: details(mbi, kind, uses),
    windows: {
      memType: memName(mbi.type),
      state: memName(mbi.state),
      protectValue: mbi.protect,
      allocationProtectValue: mbi.allocationProtect,
      workingSetKnown: raw.workingSet !== null,
    },
  };
  const stack = kind === 'stack' ? uses.stacks.get(mbi.allocationBase) : undefined;
  if (stack) region.threadId = stack.threadId;
  return [region];
}
