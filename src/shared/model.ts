/**
 * The data model shared by every source, face and file format. These names are public:
 * the JSON snapshot format, the CSV columns and the CLI all use them.
 *
 * Addresses are 64-bit and can exceed 2^53 ([vsyscall] sits at 0xffffffffff600000), so on the
 * wire and in the model they are `0x`-prefixed lower-case hex strings; code that does address
 * arithmetic converts them to bigint (see address.ts). Sizes fit comfortably in a double
 * (a whole 47-bit user range is 2^47 bytes) and stay plain numbers.
 */

export type Address = string;

export const SOURCE_IDS = ['linux', 'windows', 'simulated'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

export const REGION_STATES = ['free', 'reserved', 'committed'] as const;
export type RegionState = (typeof REGION_STATES)[number];

export const REGION_TYPES = ['image', 'mapped', 'private'] as const;
export type RegionType = (typeof REGION_TYPES)[number];

/** VMMap's classification of what a region is used for. */
export const REGION_KINDS = [
  'image',
  'mappedFile',
  'shareable',
  'heap',
  'stack',
  'privateData',
  'pageTable',
  'unusable',
  'free',
  'other',
] as const;
export type RegionKind = (typeof REGION_KINDS)[number];

/**
 * Why regions were grouped into one allocation where the source keeps no record of allocations
 * (Linux, which has no allocation base): the rule of vmscope's inference (docs/linux-source.md).
 * - `same-file`: adjacent mappings of one file (an ELF object's segments);
 * - `guard`: a PROT_NONE mapping directly below an accessible one, taken as its guard;
 * - `reserve-tail`: a PROT_NONE mapping directly above an accessible one, taken as the
 *   uncommitted rest of its reservation;
 * - `unrecorded`: grouped by a version 1 file, which did not record the rule.
 */
export const ALLOCATION_RULES = ['same-file', 'guard', 'reserve-tail', 'unrecorded'] as const;
export type AllocationRule = (typeof ALLOCATION_RULES)[number];

export interface WorkingSet {
  /** Resident bytes (Linux Rss; Windows pages with the Valid bit). */
  total: number;
  /** Resident bytes no other process maps. */
  private: number;
  /** Resident bytes of memory that could be shared (shareable mappings, images, files). */
  shareable: number;
  /** Resident bytes actually shared with another process right now. */
  shared: number;
  /** Resident bytes locked in memory. */
  locked: number;
}

/** Linux-only facts about a mapping, from /proc/PID/smaps, kept raw. */
export interface LinuxRegionInfo {
  /** The raw permission string, e.g. `r-xp`. */
  perms: string;
  /** VmFlags two-letter codes, e.g. ['rd', 'ex', 'mr']. */
  vmFlags: string[];
  offset: number;
  device: string;
  inode: number;
  pss: number;
  swap: number;
  anonymous: number;
  referenced: number;
  [field: string]: unknown;
}

/** Windows-only facts about a region (VirtualQueryEx plus QueryWorkingSetEx). */
export interface WindowsRegionInfo {
  /** MEMORY_BASIC_INFORMATION.Type as a name (MEM_IMAGE, MEM_MAPPED, MEM_PRIVATE) or null. */
  memType: string | null;
  [field: string]: unknown;
}

export interface Region {
  base: Address;
  size: number;
  /** Base of the allocation (reservation) this region belongs to; null for free regions. */
  allocationBase: Address | null;
  /**
   * Only where the allocation is inferred and groups more than one region (Linux): the rule that
   * put this region in it. Each region of such an allocation has one; the first region has the
   * rule that joined the second to it.
   */
  allocationRule?: AllocationRule;
  state: RegionState;
  /** A PAGE_* name, modifiers joined with `|` (e.g. `PAGE_READWRITE|PAGE_GUARD`); null where Windows reports 0. */
  protect: string | null;
  allocationProtect: string | null;
  type: RegionType | null;
  kind: RegionKind;
  /** Committed bytes in this region. */
  committed: number;
  workingSet: WorkingSet;
  /** The mapped file, if any. */
  path: string | null;
  /** Human detail: heap id, thread id of a stack, `[vdso]`, and so on. */
  details: string | null;
  /** Thread whose stack this is, where known. */
  threadId?: number;
  linux?: LinuxRegionInfo;
  windows?: WindowsRegionInfo;
}

/**
 * The GetProcessMemoryInfo view of a process. On Linux these come from /proc/PID/status and stat
 * (see docs/linux-source.md for the mapping); fields a source cannot know are null.
 */
export interface Counters {
  workingSetSize: number;
  peakWorkingSetSize: number | null;
  privateUsage: number;
  pagefileUsage: number | null;
  peakPagefileUsage: number | null;
  pageFaultCount: number;
  softFaultCount: number | null;
  hardFaultCount: number | null;
  virtualSize: number;
  peakVirtualSize: number | null;
  quotaPagedPoolUsage: number | null;
  quotaNonPagedPoolUsage: number | null;
  privateWorkingSetSize: number | null;
  /** Linux extras: RssAnon, RssFile, RssShmem, VmSwap, VmLck, VmPTE (bytes). */
  linux?: {
    rssAnon: number;
    rssFile: number;
    rssShmem: number;
    vmSwap: number;
    vmLck: number;
    vmPte: number;
  };
}

/**
 * A snapshot's counters: a snapshot read from a dump or core file may not know what was resident
 * or how many faults there were; those are null there (and Snapshot.workingSetUnknown says why).
 */
export type SnapshotCounters = Omit<
  Counters,
  'workingSetSize' | 'privateUsage' | 'pageFaultCount'
> & {
  workingSetSize: number | null;
  privateUsage: number | null;
  pageFaultCount: number | null;
};

export interface ProcessInfo {
  pid: number;
  parentPid: number | null;
  name: string;
  path: string | null;
  user: string | null;
  workingSetSize: number | null;
  privateBytes: number | null;
  /** ISO 8601 start time, where known. */
  startTime: string | null;
  commandLine: string | null;
  /** A kernel thread has no user address space: listed, but it has no regions. */
  kernelThread: boolean;
  /** The kernel's own name (Linux comm, 15 characters): for a script, the script's name. */
  comm?: string;
  /** Bytes of address space reserved or mapped, where the source knows it. */
  virtualSize?: number | null;
  /** Page faults since the process started (Linux: minor + major), where the source knows them. */
  pageFaults?: number | null;
}

export interface SystemLayout {
  pageSize: number;
  allocationGranularity: number;
  minAddress: Address;
  maxAddress: Address;
}

export interface SnapshotProcess {
  pid: number;
  name: string;
  path: string | null;
  commandLine: string | null;
}

export interface SnapshotHost {
  hostname: string;
  platform: string;
  arch: string;
}

export const SNAPSHOT_FORMAT = 'vmscope-snapshot';
export const SNAPSHOT_VERSION = 2;
/** Versions a reader takes: version 1 lacks `allocationRule` and is read as version 2. */
export const SNAPSHOT_VERSIONS_READ = [1, 2] as const;

/**
 * A snapshot whose walk of the address space stopped before the top of the user range: the
 * regions from `at` up are missing, for `reason`. Shown wherever the snapshot is.
 */
export interface SnapshotTruncation {
  at: Address;
  reason: string;
}

/** Where a snapshot read from a file came from: a Windows minidump or a Linux ELF core. */
export interface SnapshotOrigin {
  kind: 'minidump' | 'core';
  /** The file's name as it was opened. */
  file: string;
  /** The streams (minidump) or notes (core) the file held and vmscope read, in file order. */
  captured: string[];
  /** What the file lacks, and so what this snapshot cannot show; empty when nothing is missing. */
  missing: string[];
}

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** ISO 8601. For a dump or core file: when it was written. */
  takenAt: string;
  source: SourceId;
  host: SnapshotHost;
  system: SystemLayout;
  process: SnapshotProcess;
  counters: SnapshotCounters;
  /** Only for a snapshot read from a dump or core file. */
  origin?: SnapshotOrigin;
  /**
   * Only where nothing recorded which pages were resident (a core file): why. The regions'
   * workingSet numbers are then not measurements, and counters.workingSetSize is null.
   */
  workingSetUnknown?: string;
  regions: Region[];
  /** Why a snapshot has no regions, e.g. a kernel thread has no user address space. */
  details?: string;
  /** Milliseconds the snapshot took to read. */
  durationMs?: number;
  /** Only when the walk stopped early: the regions from `at` up are missing. */
  truncated?: SnapshotTruncation;
}

export interface SystemInfo {
  platform: string;
  arch: string;
  hostname: string;
  /** Sources this machine can use, the default first. */
  sources: SourceId[];
  defaultSource: SourceId;
  pageSize: number;
  allocationGranularity: number;
  version: string;
}

/** One reading of a process's counters in a live stream. */
export interface Sample {
  pid: number;
  /** Milliseconds since the Unix epoch, from a monotonic clock (performance.timeOrigin + now()). */
  time: number;
  counters: Counters;
}
