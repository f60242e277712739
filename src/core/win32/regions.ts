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

/** The fields of a VirtualQuery answer that decide its kind. */
type Classified = Pick<MemoryBasicInfo, 'state' | 'type' | 'allocationBase'>;

/** VMMap's classification: the memory type decides first, then what the PEB and TEBs say. */
export function classify(mbi: Classified, path: string | null, uses: AddressUses): RegionKind {
  if (mbi.state === MEM_FREE) return 'free';
  if (mbi.type === MEM_IMAGE) return 'image';
  // A MEM_MAPPED view with no file name is a pagefile-backed section.
  if (mbi.type === MEM_MAPPED) return path ? 'mappedFile' : 'shareable';
  if (uses.heaps.has(mbi.allocationBase)) return 'heap';
  if (uses.stacks.has(mbi.allocationBase)) return 'stack';
  return 'privateData';
}

/**
 * One region that is not free, as a caller that walks millions of them gives it: its addresses
 * already formatted and its size a number, so the caller decides what each costs (the simulator
 * formats an allocation's base once for all its regions and makes no bigint per region).
 */
export interface QueriedRegion extends Omit<MemoryBasicInfo, 'baseAddress' | 'regionSize'> {
  base: string;
  size: number;
  /** `allocationBase` formatted. */
  allocationBaseText: string;
  path: string | null;
  workingSet: WorkingSet | null;
  /** The label of a region of its own (PEB, TEB): `uses.labels` at its base. */
  label: string | null;
}

/** A region that is not free as the shared model's Region. */
export function queriedRegion(q: QueriedRegion, uses: AddressUses): Region {
  const kind = classify(q, q.path, uses);
  const stack = kind === 'stack' ? uses.stacks.get(q.allocationBase) : undefined;
  const region: Region = {
    base: q.base,
    size: q.size,
    allocationBase: q.allocationBaseText,
    state: STATES.get(q.state) ?? 'reserved',
    protect: protectNameOf(q.protect),
    allocationProtect: protectNameOf(q.allocationProtect),
    type: TYPES.get(q.type) ?? null,
    kind,
    committed: q.state === MEM_COMMIT ? q.size : 0,
    workingSet: q.workingSet ?? emptyWorkingSet(),
    path: q.path,
    details:
      kind === 'heap'
        ? (uses.heaps.get(q.allocationBase) ?? null)
        : kind === 'stack'
          ? (stack?.details ?? null)
          : q.label,
    windows: {
      memType: memNameOf(q.type),
      state: memNameOf(q.state),
      protectValue: q.protect,
      allocationProtectValue: q.allocationProtect,
      workingSetKnown: q.workingSet !== null,
    },
  };
  if (stack) region.threadId = stack.threadId;
  return region;
}

/** `name` of each value made once: a million regions share a handful of protections and types. */
function namedOnce(name: (value: number) => string | null): (value: number) => string | null {
  const names = new Map<number, string | null>();
  return (value) => {
    let named = names.get(value);
    if (named === undefined) names.set(value, (named = name(value)));
    return named;
  };
}
const protectNameOf = namedOnce(protectName);
const memNameOf = namedOnce(memName);

export function freeRegion(base: string, size: number, kind: 'free' | 'unusable'): Region {
  return {
    base,
    size,
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
  const region = (from: bigint, to: bigint, kind: 'free' | 'unusable'): Region =>
    freeRegion(formatAddress(from), Number(to - from), kind);
  if (aligned === base) return [region(base, end, 'free')];
  if (aligned >= end) return [region(base, end, 'unusable')];
  return [region(base, aligned, 'unusable'), region(aligned, end, 'free')];
}

/** One VirtualQueryEx answer as the shared model's regions (a free one may become two). */
export function toRegions(raw: RawRegion, uses: AddressUses, granularity: number): Region[] {
  const { mbi } = raw;
  if (mbi.state === MEM_FREE)
    return freeRegions(mbi.baseAddress, mbi.regionSize, BigInt(granularity));
  const { baseAddress, regionSize, ...rest } = mbi;
  const region = queriedRegion(
    {
      ...rest,
      base: formatAddress(baseAddress),
      size: Number(regionSize),
      allocationBaseText: formatAddress(mbi.allocationBase),
      path: raw.path,
      workingSet: raw.workingSet,
      label: uses.labels.get(baseAddress) ?? null,
    },
    uses,
  );
  return [region];
}
