import { REGION_KINDS, REGION_STATES, REGION_TYPES, type Region } from '../../../shared/model';
import {
  EXTRA_BIT,
  type ExtraColumns,
  HAS_ALLOCATION,
  NO_TYPE,
  type RegionColumns,
  StringTable,
  lazyRegionColumns,
  regionsFromColumns,
  writeAddressNumber,
} from '../../../shared/snapshotColumns';
import { LINUX_EXTRA_FIELDS } from '../../../shared/linuxExtras';
import { allocationStarts } from './allocations';
import { type MappingClasses, classifyMappings, fileKeys } from './mappingKinds';
import { isReserved, protectOf } from './protection';
import { BLOCK } from '../../../shared/rowBlocks';
import { keepShapes } from '../../../shared/keptShapes';
import {
  ABSENT,
  FIELD,
  FIELD_COUNT,
  FIELD_UNIT,
  PERMS_TEXT,
  SPILLED,
  type SmapsFieldName,
  type SmapsScanner,
  fieldBytes,
} from './smapsScanner';

export interface RegionOptions {
  /** Files (device:inode) that are ELF objects: their mappings are images. */
  images: ReadonlySet<string>;
  /** Thread id → user stack pointer, for finding the stacks of threads other than the main one. */
  stackPointers: ReadonlyMap<number, number>;
  /** The process id: the main thread's id, owner of [stack]. */
  pid: number;
  includeFree: boolean;
  /** One past the highest user address (0x800000000000 on x86-64); gaps are found below it. */
  userEnd: number;
  /** The mappings' fileKeys, where the caller has made them already (a key per mapping costs). */
  keys?: readonly (string | null)[];
}

/**
 * region.linux: the header's columns (perms, vmFlags, offset, device, inode, the first five of
 * LINUX_EXTRA_FIELDS), then the smaps fields, each named for its smaps line. The first four count
 * as 0 where this kernel lacks them; the others are left out.
 */
export const ZERO_WHEN_ABSENT: readonly [string, SmapsFieldName][] = [
  ['pss', 'Pss'],
  ['swap', 'Swap'],
  ['anonymous', 'Anonymous'],
  ['referenced', 'Referenced'],
];
export const RAW: readonly [string, SmapsFieldName][] = [
  ['size', 'Size'],
  ['kernelPageSize', 'KernelPageSize'],
  ['mmuPageSize', 'MMUPageSize'],
  ['rss', 'Rss'],
  ['pssDirty', 'Pss_Dirty'],
  ['pssAnon', 'Pss_Anon'],
  ['pssFile', 'Pss_File'],
  ['pssShmem', 'Pss_Shmem'],
  ['sharedClean', 'Shared_Clean'],
  ['sharedDirty', 'Shared_Dirty'],
  ['privateClean', 'Private_Clean'],
  ['privateDirty', 'Private_Dirty'],
  ['ksm', 'KSM'],
  ['lazyFree', 'LazyFree'],
  ['anonHugePages', 'AnonHugePages'],
  ['shmemPmdMapped', 'ShmemPmdMapped'],
  ['filePmdMapped', 'FilePmdMapped'],
  ['sharedHugetlb', 'Shared_Hugetlb'],
  ['privateHugetlb', 'Private_Hugetlb'],
  ['swapPss', 'SwapPss'],
  ['locked', 'Locked'],
  ['thpEligible', 'THPeligible'],
  ['protectionKey', 'ProtectionKey'],
];
const FIELD_EXTRAS = [...ZERO_WHEN_ABSENT, ...RAW];
const LINUX_GROUP = { name: 'linux' as const, fields: [...LINUX_EXTRA_FIELDS] };
/** The smaps field of each FIELD_EXTRAS entry. */
const FIELD_SOURCES = Int32Array.from(FIELD_EXTRAS, ([, name]) => FIELD[name]);
/** The column of each FIELD_EXTRAS entry in LINUX_GROUP. */
const FIELD_COLUMN = FIELD_EXTRAS.map(([key]) =>
  LINUX_EXTRA_FIELDS.findIndex((f) => f.key === key),
);

const TWO_32 = 2 ** 32;
/** The unit of the working-set fields (all printed in kB). */
const KB = 1024;
const STATE = {
  free: REGION_STATES.indexOf('free'),
  reserved: REGION_STATES.indexOf('reserved'),
  committed: REGION_STATES.indexOf('committed'),
};
const FREE_KIND = REGION_KINDS.indexOf('free');

/** Index of the mapping holding `address`, or -1 (mappings are sorted and disjoint). */
function mappingAt(s: SmapsScanner, address: number): number {
  let lo = 0;
  let hi = s.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (address < s.startOf(mid)) hi = mid - 1;
    else if (address >= s.endOf(mid)) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Marks thread stacks: the allocation holding a thread's stack pointer becomes kind `stack` with
 * that thread's id, guard page included, if it is anonymous private memory or [stack]. (A stack
 * pointer elsewhere, in a Go heap arena or a signal stack inside a file mapping, is left alone.)
 */
function markStacks(
  s: SmapsScanner,
  classes: MappingClasses,
  starts: Int32Array,
  options: RegionOptions,
): Int32Array {
  const threadIds = new Int32Array(s.count);
  const stackPath = s.paths.indexOf('[stack]');
  const mainStack = stackPath < 0 ? -1 : s.path.subarray(0, s.count).indexOf(stackPath);
  const marked = new Map<string, number>();
  const mark = (i: number, tid: number): void => {
    const key = `${classes.of[i]}:${tid}`;
    let index = marked.get(key);
    if (index === undefined) {
      index = classes.list.length;
      classes.list.push({
        ...classes.list[classes.of[i]!]!,
        kind: 'stack',
        details: `thread ${tid}`,
      });
      marked.set(key, index);
    }
    classes.of[i] = index;
    threadIds[i] = tid;
  };
  if (mainStack >= 0) mark(mainStack, options.pid);
  for (const [tid, sp] of options.stackPointers) {
    const at = mappingAt(s, sp);
    if (at < 0 || at === mainStack || !classes.list[classes.of[at]!]!.anonymous) continue;
    const first = starts[at]!;
    for (let i = first; i < s.count && starts[i] === first; i++) mark(i, tid);
  }
  return threadIds;
}

/** The free gaps below userEnd: the gap before mapping i is [from[i], to[i]) where to[i] > from[i]; `end` is where the last one starts. */
function freeGaps(
  s: SmapsScanner,
  userEnd: number,
): { from: Float64Array; to: Float64Array; end: number; count: number } {
  const n = s.count;
  const from = new Float64Array(n);
  const to = new Float64Array(n);
  // Carried from block to block: the end of the mappings so far, and the gaps counted.
  const carried = new Float64Array(2);
  for (let first = 0; first < n; first += BLOCK)
    gapsOfBlock(s, userEnd, from, to, carried, first, Math.min(n, first + BLOCK));
  const end = carried[0]!;
  return { from, to, end, count: carried[1]! + (end < userEnd ? 1 : 0) };
}

/** freeGaps for mappings [first, last) (rowBlocks.ts). */
function gapsOfBlock(
  s: SmapsScanner,
  userEnd: number,
  from: Float64Array,
  to: Float64Array,
  carried: Float64Array,
  first: number,
  last: number,
): void {
  let cursor = carried[0]!;
  let count = carried[1]!;
  for (let i = first; i < last; i++) {
    // Mappings above userEnd ([vsyscall]) follow the last gap.
    const high = s.isHigh(i);
    const gapEnd = high ? userEnd : Math.min(s.startOf(i), userEnd);
    from[i] = cursor;
    to[i] = gapEnd;
    if (gapEnd > cursor) count++;
    cursor = Math.max(cursor, gapEnd, high ? userEnd : Math.min(s.endOf(i), userEnd));
  }
  carried[0] = cursor;
  carried[1] = count;
}

/** What writeMappingRows reads besides the scanner: codes per class and per mapping. */
interface RowCodes {
  protectIndex: Int32Array;
  classPath: Int32Array;
  classDetails: Int32Array;
  typeIndex: Uint8Array;
  kindIndex: Uint8Array;
  classPrivate: Uint8Array;
  classOf: Int32Array;
  starts: Int32Array;
  rules: Uint8Array;
  threadIds: Int32Array;
  /** Written: the region of each mapping, for the extras. */
  regionOf: Int32Array;
  gapFrom: Float64Array;
  gapTo: Float64Array;
  includeFree: boolean;
  noAccess: number;
}

/**
 * Strings and codes by what they are made from (perms bits, class), interned into `table` in
 * this order, and the per-mapping columns writeMappingRows reads.
 */
function rowCodes(
  table: StringTable,
  classes: MappingClasses,
  starts: Int32Array,
  rules: Uint8Array,
  threadIds: Int32Array,
  regionOf: Int32Array,
  gaps: { from: Float64Array; to: Float64Array },
  includeFree: boolean,
): RowCodes {
  const protectIndex = Int32Array.from(PERMS_TEXT, (_, bits) => table.intern(protectOf(bits)));
  return {
    protectIndex,
    classPath: Int32Array.from(classes.list, (k) => table.intern(k.path)),
    classDetails: Int32Array.from(classes.list, (k) => table.intern(k.details)),
    typeIndex: Uint8Array.from(classes.list, (k) => REGION_TYPES.indexOf(k.type)),
    kindIndex: Uint8Array.from(classes.list, (k) => REGION_KINDS.indexOf(k.kind)),
    classPrivate: Uint8Array.from(classes.list, (k) => (k.type === 'private' ? 1 : 0)),
    classOf: classes.of,
    starts,
    rules,
    threadIds,
    regionOf,
    gapFrom: gaps.from,
    gapTo: gaps.to,
    includeFree,
    noAccess: protectIndex[0]!,
  };
}

// Codes are made per snapshot and read by its per-mapping loop: one is kept (keptShapes.ts).
keepShapes(
  rowCodes(
    new StringTable(),
    { list: [], of: new Int32Array(0) },
    new Int32Array(0),
    new Uint8Array(0),
    new Int32Array(0),
    new Int32Array(0),
    { from: new Float64Array(0), to: new Float64Array(0) },
    true,
  ),
);

/** Writes free region r. */
function writeFreeRow(
  c: RegionColumns,
  r: number,
  from: number,
  to: number,
  noAccess: number,
): void {
  writeAddressNumber(from, c.baseHi, c.baseLo, r);
  c.size[r] = to - from;
  c.state[r] = STATE.free;
  // VirtualQueryEx reports free memory as PAGE_NOACCESS.
  c.protect[r] = noAccess;
  c.allocationProtect[r] = -1;
  c.type[r] = NO_TYPE;
  c.kind[r] = FREE_KIND;
  c.path[r] = -1;
  c.details[r] = -1;
}

/** Mappings [from, to) as regions from row r on, each after the free gap before it; returns the next row. */
function writeMappingRows(
  s: SmapsScanner,
  c: RegionColumns,
  codes: RowCodes,
  from: number,
  to: number,
  r: number,
): number {
  // Locals for the loop, which reads and writes some 30 arrays.
  const { fields, spilled, startHi, startLo, endHi, endLo } = s;
  const permsOf = s.perms;
  const { protectIndex, classPath, classDetails, typeIndex, kindIndex, classPrivate } = codes;
  const { classOf, starts, rules, threadIds, regionOf, gapFrom, gapTo, includeFree } = codes;
  // Field columns as locals too: an imported binding is read through a getter in some loaders.
  const { Rss, Private_Clean, Private_Dirty, Anonymous, Shared_Clean, Shared_Dirty, Locked } =
    FIELD;
  const { baseHi, baseLo, allocHi, allocLo, flags, state, protect, allocationProtect } = c;
  const { type, kind, rule, size, committed, path, details, threadId } = c;
  const { wsTotal, wsPrivate, wsShareable, wsShared, wsLocked } = c;
  for (let i = from; i < to; i++) {
    if (includeFree && gapTo[i]! > gapFrom[i]!)
      writeFreeRow(c, r++, gapFrom[i]!, gapTo[i]!, codes.noAccess);
    const perms = permsOf[i]!;
    const k = classOf[i]!;
    const row = i * FIELD_COUNT;
    const first = starts[i]!;
    const bytes = (endHi[i]! - startHi[i]!) * TWO_32 + (endLo[i]! - startLo[i]!);
    const reserved = isReserved(perms);
    baseHi[r] = startHi[i]!;
    baseLo[r] = startLo[i]!;
    allocHi[r] = startHi[first]!;
    allocLo[r] = startLo[first]!;
    flags[r] = HAS_ALLOCATION | EXTRA_BIT.linux;
    state[r] = reserved ? STATE.reserved : STATE.committed;
    protect[r] = protectIndex[perms]!;
    allocationProtect[r] = protectIndex[permsOf[first]!]!;
    rule[r] = rules[i]!;
    type[r] = typeIndex[k]!;
    kind[r] = kindIndex[k]!;
    size[r] = bytes;
    committed[r] = reserved ? 0 : bytes;
    // smaps values are NaN where this kernel does not print the field; they count as 0 (NaN || 0).
    const rss = fieldBytes(fields, spilled, row + Rss, KB) || 0;
    wsTotal[r] = rss;
    wsPrivate[r] =
      (fieldBytes(fields, spilled, row + Private_Clean, KB) || 0) +
      (fieldBytes(fields, spilled, row + Private_Dirty, KB) || 0);
    // Resident pages that could be shared: all of a file or shmem mapping's pages except the ones
    // a private mapping has copied on write (those are Anonymous).
    wsShareable[r] = classPrivate[k]
      ? 0
      : Math.max(0, rss - (fieldBytes(fields, spilled, row + Anonymous, KB) || 0));
    wsShared[r] =
      (fieldBytes(fields, spilled, row + Shared_Clean, KB) || 0) +
      (fieldBytes(fields, spilled, row + Shared_Dirty, KB) || 0);
    wsLocked[r] = fieldBytes(fields, spilled, row + Locked, KB) || 0;
    path[r] = classPath[k]!;
    details[r] = classDetails[k]!;
    if (threadIds[i]) threadId[r] = threadIds[i]!;
    regionOf[i] = r;
    r++;
  }
  return r;
}

/**
 * Every mapping as a region, in address order, with the free gaps of the user range between them,
 * as columns (snapshotColumns.ts): no object per region.
 */
export function regionColumnsFromSmaps(s: SmapsScanner, options: RegionOptions): RegionColumns {
  const n = s.count;
  const classes = classifyMappings(s, options.keys ?? fileKeys(s), options.images);
  const { starts, rules } = allocationStarts(s, classes);
  const threadIds = markStacks(s, classes, starts, options);
  const { userEnd, includeFree } = options;
  const gaps = freeGaps(s, userEnd);
  const count = includeFree ? n + gaps.count : n;

  const table = new StringTable();
  /** The region of each mapping, for the extras. */
  const regionOf = new Int32Array(n);
  // region.linux is built only for those who read it (the codec, Region objects): CSV does not.
  const c = lazyRegionColumns(count, table.strings, () => [linuxExtras(s, table, regionOf, count)]);

  const codes = rowCodes(table, classes, starts, rules, threadIds, regionOf, gaps, includeFree);
  let r = 0;
  for (let from = 0; from < n; from += BLOCK)
    r = writeMappingRows(s, c, codes, from, Math.min(n, from + BLOCK), r);
  if (includeFree && gaps.end < userEnd) writeFreeRow(c, r, gaps.end, userEnd, codes.noAccess);
  return c;
}

/**
 * Columns holding one value in every row, one per distinct value, shared by every field that has
 * that value in every mapping (most smaps fields are 0 everywhere, three are never printed): extras
 * columns are only read, and a region without region.linux (a free gap) is never read in them.
 * At 120,000 regions each column saved is a megabyte.
 */
class ConstantColumns {
  private readonly byValue = new Map<string, Float64Array | Int32Array>();

  constructor(private readonly count: number) {}

  numbers(value: number): Float64Array {
    return this.column('n', value, () => new Float64Array(this.count)) as Float64Array;
  }

  indexes(value: number): Int32Array {
    return this.column('i', value, () => new Int32Array(this.count)) as Int32Array;
  }

  private column(
    type: string,
    value: number,
    make: () => Float64Array | Int32Array,
  ): Float64Array | Int32Array {
    const key = `${type}${value}`;
    let column = this.byValue.get(key);
    if (column === undefined) {
      column = make().fill(value);
      this.byValue.set(key, column);
    }
    return column;
  }
}

/**
 * The one value of the first `n` of `values` (NaN equal to NaN), or undefined where they differ.
 * A plain loop: a callback returning a number would box each one.
 */
function constantOf(values: Float64Array, n: number): number | undefined {
  const first = n > 0 ? values[0]! : Number.NaN;
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    if (v !== first && (v === v || first === first)) return undefined;
  }
  return first;
}

/**
 * Which smaps fields differ between the first n mappings: `first` gets each field's value in
 * the first mapping, in bytes (NaN read as 0 for the first `zeroFirst` fields), `varies` a 1 for
 * each field whose value differs in any later one. One pass over the mappings' rows in the order
 * they lie in memory: a pass per field, FIELD_COUNT values apart, read each row's cache lines
 * once a field and was a fifth of the time of building every Region. The values are compared as
 * stored (one unit per field); a spilled one counts as differing.
 */
function varyingFields(
  s: SmapsScanner,
  n: number,
  sources: Int32Array,
  zeroFirst: number,
): { first: Float64Array; varies: Uint8Array } {
  const { fields } = s;
  const first = new Float64Array(sources.length);
  const firstStored = new Uint32Array(sources.length);
  const varies = new Uint8Array(sources.length);
  for (let f = 0; f < sources.length; f++) {
    const v = n > 0 ? s.value(0, sources[f]!) : Number.NaN;
    first[f] = f < zeroFirst && v !== v ? 0 : v;
    const stored = n > 0 ? fields[sources[f]!]! : ABSENT;
    firstStored[f] = f < zeroFirst && stored === ABSENT ? 0 : stored;
    if (stored === SPILLED && n > 1) varies[f] = 1;
  }
  for (let from = 1; from < n; from += BLOCK)
    markVarying(fields, sources, zeroFirst, firstStored, varies, from, Math.min(n, from + BLOCK));
  return { first, varies };
}

/** varyingFields for mappings [from, to) (rowBlocks.ts). */
function markVarying(
  fields: Uint32Array,
  sources: Int32Array,
  zeroFirst: number,
  first: Uint32Array,
  varies: Uint8Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const row = i * FIELD_COUNT;
    for (let f = 0; f < sources.length; f++) {
      if (varies[f]) continue;
      let v = fields[row + sources[f]!]!;
      if (f < zeroFirst && v === ABSENT) v = 0;
      if (v !== first[f] || v === SPILLED) varies[f] = 1;
    }
  }
}

/** The columns of region.linux: mapping i's values in row regionOf[i]. */
function linuxExtras(
  s: SmapsScanner,
  table: StringTable,
  regionOf: Int32Array,
  count: number,
): ExtraColumns {
  const n = s.count;
  const constants = new ConstantColumns(count);
  const permsIndex = Int32Array.from(PERMS_TEXT, (text) => table.intern(text));
  const deviceIndex = Int32Array.from(s.devices, (d) => table.intern(d));
  const flagIndex = Int32Array.from(s.flagTexts, (_, i) => table.intern(s.flagList(i).join(' ')));
  /** A header column of string indexes, lookup[codes[i]], or the shared column of its one value. */
  const indexColumn = (lookup: Int32Array, codes: Uint8Array | Int32Array): Int32Array => {
    const first = n > 0 ? lookup[codes[0]!]! : -1;
    if (allLookUpTo(lookup, codes, n, first)) return constants.indexes(first);
    const column = new Int32Array(count);
    scatterLookedUp(column, regionOf, lookup, codes, n);
    return column;
  };
  const numberColumn = (values: Float64Array): Float64Array => {
    const value = constantOf(values, n);
    if (value !== undefined) return constants.numbers(value);
    const column = new Float64Array(count);
    scatterNumbers(column, regionOf, values, n);
    return column;
  };
  const columns: (Float64Array | Int32Array)[] = [
    indexColumn(permsIndex, s.perms),
    indexColumn(flagIndex, s.vmFlags),
    numberColumn(s.offset),
    indexColumn(deviceIndex, s.device),
    numberColumn(s.inode),
  ];
  const { fields, spilled } = s;
  const zeroWhenAbsent = ZERO_WHEN_ABSENT.length;
  const { first, varies } = varyingFields(s, n, FIELD_SOURCES, zeroWhenAbsent);
  /** The smaps fields that differ between mappings: their target columns and source fields. */
  const targets: Float64Array[] = [];
  const sources: number[] = [];
  let varyingZeroWhenAbsent = 0;
  for (let f = 0; f < FIELD_EXTRAS.length; f++) {
    if (!varies[f]) {
      // NaN (not printed by this kernel): 0 for the first few, left out for the rest.
      columns[FIELD_COLUMN[f]!] = constants.numbers(first[f]!);
      continue;
    }
    const column = new Float64Array(count);
    columns[FIELD_COLUMN[f]!] = column;
    targets.push(column);
    sources.push(FIELD_SOURCES[f]!);
    if (f < zeroWhenAbsent) varyingZeroWhenAbsent++;
  }
  const sourceFields = Int32Array.from(sources);
  const units = Float64Array.from(sources, (f) => FIELD_UNIT[f]!);
  for (let from = 0; from < n; from += BLOCK)
    scatterFields(
      targets,
      sourceFields,
      units,
      varyingZeroWhenAbsent,
      fields,
      spilled,
      regionOf,
      from,
      Math.min(n, from + BLOCK),
    );
  return {
    name: LINUX_GROUP.name,
    fields: LINUX_GROUP.fields.map((field, k) => ({ ...field, column: columns[k]! })),
  };
}

/** Every one of the first n codes looks up to `value`. */
function allLookUpTo(
  lookup: Int32Array,
  codes: Uint8Array | Int32Array,
  n: number,
  value: number,
): boolean {
  for (let i = 0; i < n; i++) if (lookup[codes[i]!] !== value) return false;
  return true;
}

/** column[regionOf[i]] = lookup[codes[i]] for the first n mappings. */
function scatterLookedUp(
  column: Int32Array,
  regionOf: Int32Array,
  lookup: Int32Array,
  codes: Uint8Array | Int32Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) column[regionOf[i]!] = lookup[codes[i]!]!;
}

function scatterNumbers(
  column: Float64Array,
  regionOf: Int32Array,
  values: Float64Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) column[regionOf[i]!] = values[i]!;
}

/**
 * The varying smaps fields of mappings [from, to) into their columns (the first `zeroFirst` of
 * them 0 where absent). Row by row: a mapping's fields are neighbours in `fields`, a field's
 * values are not.
 */
function scatterFields(
  targets: Float64Array[],
  sources: Int32Array,
  units: Float64Array,
  zeroFirst: number,
  fields: Uint32Array,
  spilled: ReadonlyMap<number, number>,
  regionOf: Int32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const r = regionOf[i]!;
    const row = i * FIELD_COUNT;
    for (let f = 0; f < targets.length; f++) {
      const v = fieldBytes(fields, spilled, row + sources[f]!, units[f]!);
      targets[f]![r] = f < zeroFirst && v !== v ? 0 : v;
    }
  }
}

/** The same regions as objects (their `linux` extras built when first read). */
export function regionsFromSmaps(s: SmapsScanner, options: RegionOptions): Region[] {
  return regionsFromColumns(regionColumnsFromSmaps(s, options));
}
