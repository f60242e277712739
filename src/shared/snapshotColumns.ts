/**
 * A snapshot's regions as columns: every Region field in a typed array, every string once in a
 * table. This is the layout the codec puts on the wire (snapshotCodec.ts), and the Linux source
 * builds it straight from smaps, so a snapshot can be encoded, written as CSV or as JSON
 * (snapshotJsonWriter.ts) without one Region object being made. Region objects are built from the
 * columns when someone asks for them (`regionsFromColumns`): plain objects of one shape, never
 * accessors, which had made every region an object of its own hidden class.
 */
import type { LinuxRegionInfo, Region, Snapshot } from './model';
import type { ExtraColumns, ExtraGroup, ExtraKind } from './extraColumns';
import { DecodedStrings } from './decodedStrings';
import { type LinuxExtrasLiteral, linuxExtrasLiteral } from './linuxExtras';
import { smallInteger, taggedFields } from './taggedFields';
import { ALLOCATION_RULES, REGION_KINDS, REGION_STATES, REGION_TYPES } from './model';
import { BLOCK } from './rowBlocks';
import { keepShapes } from './keptShapes';
import { LINUX_EXTRA_FIELDS } from './linuxExtras';

export type { ExtraColumns, ExtraField, ExtraGroup, ExtraKind } from './extraColumns';

export const ADDRESS_COLUMNS = ['baseHi', 'baseLo', 'allocHi', 'allocLo'] as const;
export const CODE_COLUMNS = ['flags', 'state', 'kind', 'type', 'rule'] as const;
export const NUMBER_COLUMNS = [
  'size',
  'committed',
  'wsTotal',
  'wsPrivate',
  'wsShareable',
  'wsShared',
  'wsLocked',
  'threadId',
] as const;
export const STRING_COLUMNS = ['protect', 'allocationProtect', 'path', 'details'] as const;

/** Bits of the `flags` column. */
export const HAS_ALLOCATION = 1;
export const EXTRA_BIT = { linux: 2, windows: 4 } as const;
/** `type` column value for a null type (free memory). */
export const NO_TYPE = 255;
/** `rule` column value: the allocation is not inferred (index + 1 otherwise). */
export const NO_RULE = 0;

/**
 * Addresses are two 32-bit halves (exact for all 64 bits); state, kind and type are indices into
 * REGION_STATES, REGION_KINDS and REGION_TYPES, rule one more than an index into ALLOCATION_RULES; strings are indices into `strings` (-1: null);
 * threadId is NaN where the region is no thread's stack.
 */
export type RegionColumns = {
  count: number;
  strings: string[];
  extras: ExtraColumns[];
} & Record<(typeof ADDRESS_COLUMNS)[number], Uint32Array> &
  Record<(typeof CODE_COLUMNS)[number], Uint8Array> &
  Record<(typeof NUMBER_COLUMNS)[number], Float64Array> &
  Record<(typeof STRING_COLUMNS)[number], Int32Array>;

/** Fresh, zeroed columns for `count` regions (threadId NaN: no thread). */
export function allocateRegionColumns(
  count: number,
  strings: string[],
  extras: readonly ExtraGroup[],
): RegionColumns {
  const c = columnsLiteral(count, strings) as RegionColumns;
  c.extras = allocateExtraColumns(count, extras);
  return c;
}

/**
 * The columns as one object literal, so that every RegionColumns has one of two hidden classes (the
 * literal's with `extras` added as data, or as lazyRegionColumns' getter): the loops that read them stay optimized from one
 * snapshot to the next. Built key by key they had a fresh hidden class whenever the previous
 * snapshot's had been collected, and V8 threw away the code optimized for the old one, so the
 * first eight or so snapshots of a process each recompiled their hot loops.
 */
function columnsLiteral(count: number, strings: string[]): Omit<RegionColumns, 'extras'> {
  return {
    // As a small integer always: a count summed from a Float64Array (the Linux source's free
    // gaps) is a heap number, and one stored here made `count` a double field, a hidden class
    // of the columns' own that the kept ones did not have (keptShapes.ts).
    count: count | 0,
    strings,
    baseHi: new Uint32Array(count),
    baseLo: new Uint32Array(count),
    allocHi: new Uint32Array(count),
    allocLo: new Uint32Array(count),
    flags: new Uint8Array(count),
    state: new Uint8Array(count),
    kind: new Uint8Array(count),
    type: new Uint8Array(count),
    rule: new Uint8Array(count),
    size: new Float64Array(count),
    committed: new Float64Array(count),
    wsTotal: new Float64Array(count),
    wsPrivate: new Float64Array(count),
    wsShareable: new Float64Array(count),
    wsShared: new Float64Array(count),
    wsLocked: new Float64Array(count),
    threadId: new Float64Array(count).fill(Number.NaN),
    protect: new Int32Array(count),
    allocationProtect: new Int32Array(count),
    path: new Int32Array(count),
    details: new Int32Array(count),
  };
}

/** Per columns made by lazyRegionColumns: the builder of its extras until they are built, then they. */
const pendingExtras = new WeakMap<RegionColumns, (() => ExtraColumns[]) | ExtraColumns[]>();

/**
 * The one getter of every lazy `extras`: one function for all, so that defining it gives every
 * such object the same hidden class (a getter of its own per object would give each its own).
 */
function lazyExtrasGetter(this: RegionColumns): ExtraColumns[] {
  let extras = pendingExtras.get(this) ?? [];
  if (typeof extras === 'function') {
    extras = extras();
    pendingExtras.set(this, extras);
  }
  return extras;
}

/**
 * Fresh columns (as allocateRegionColumns, without extras) whose `extras` are made by `build` on
 * first read. The builder is dropped then, and with it whatever it reads (the Linux source's
 * scanner, whose columns need not outlive the extras).
 */
export function lazyRegionColumns(
  count: number,
  strings: string[],
  build: () => ExtraColumns[],
): RegionColumns {
  const c = columnsLiteral(count, strings) as RegionColumns;
  Object.defineProperty(c, 'extras', {
    enumerable: true,
    configurable: true,
    get: lazyExtrasGetter,
  });
  pendingExtras.set(c, build);
  return c;
}

/** Fresh, zeroed columns for the extra fields of `count` regions. */
export function allocateExtraColumns(count: number, extras: readonly ExtraGroup[]): ExtraColumns[] {
  return extras.map((g) => ({
    name: g.name,
    fields: g.fields.map((f) => ({
      ...f,
      column: f.kind === 'number' ? new Float64Array(count) : new Int32Array(count),
    })),
  }));
}

/** Interns strings into a column table's string list. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  intern(s: string | null | undefined): number {
    if (s === null || s === undefined) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const TWO_32 = 2 ** 32;

export function addressHex(hi: number, lo: number): string {
  return hi === 0
    ? `0x${lo.toString(16)}`
    : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
}

/** Two hex digits per byte value, for writing addresses without Number#toString(16) (slow in V8). */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/**
 * addressHex for many addresses: neighbours share their high half and the top 16 bits of their
 * low half (0x7f3a12340000 .. 0x7f3a1234ffff), so that prefix is made once per change, and the
 * last four digits, of which page-aligned addresses have only 16 values, are kept once each.
 * An address is then one concatenation: one string allocated per address, where digit by digit
 * it was four.
 */
export function addressWriter(): (hi: number, lo: number) => string {
  const writer = new AddressWriter();
  return (hi, lo) => writer.write(hi, lo);
}

/** addressWriter as a class, for a hot loop (DecodedStrings says why not a closure). */
class AddressWriter {
  private lastHi = -1;
  private lastTop = -1;
  private prefix = '';
  private readonly lastFour: string[] = [];

  write(hi: number, lo: number): string {
    // Compared as int32 (`| 0`): compared as the uint32 they are, a half above 2^31 (a vsyscall
    // address) threw away the caller's code, optimized for the small integers of every other.
    const h = hi | 0;
    if (h === 0) return addressHex(0, lo);
    const top = lo >>> 16;
    if (h !== this.lastHi || top !== this.lastTop) {
      this.lastHi = h;
      this.lastTop = top;
      this.prefix = `0x${hi.toString(16)}${HEX_BYTE[top >>> 8]!}${HEX_BYTE[top & 255]!}`;
    }
    const low = lo & 0xffff;
    return this.prefix + (this.lastFour[low] ??= HEX_BYTE[low >>> 8]! + HEX_BYTE[low & 255]!);
  }
}

/** One working set for every region with none resident (free memory, reservations): frozen, so it is never changed for all. */
const NOTHING_RESIDENT: Region['workingSet'] = Object.freeze({
  total: 0,
  private: 0,
  shareable: 0,
  shared: 0,
  locked: 0,
});

/** Stores a 0x hex address as two 32-bit halves without building intermediate strings where it fits. */
function writeAddress(hex: string, hi: Uint32Array, lo: Uint32Array, i: number): void {
  const digits = hex.length - 2;
  if (digits <= 8) {
    hi[i] = 0;
    lo[i] = Number.parseInt(hex.slice(2), 16);
  } else {
    hi[i] = Number.parseInt(hex.slice(2, hex.length - 8), 16);
    lo[i] = Number.parseInt(hex.slice(hex.length - 8), 16);
  }
}

/** Stores an address below 2^53 given as a number. */
export function writeAddressNumber(
  value: number,
  hi: Uint32Array,
  lo: Uint32Array,
  i: number,
): void {
  hi[i] = Math.floor(value / TWO_32);
  lo[i] = value % TWO_32;
}

/** The kind a value is stored as; undefined for an absent value. */
function kindOf(v: unknown): ExtraKind | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number'
    ? 'number'
    : typeof v === 'string'
      ? 'string'
      : Array.isArray(v) && v.every((w) => typeof w === 'string' && !w.includes(' '))
        ? 'words'
        : 'json';
}

/**
 * The extra fields of the regions, each with the one kind all its values have ('json' where they
 * differ or none is given), in the order the keys first appear. One pass, nothing allocated per
 * region: a million-region snapshot made a million-entry array per field here, and a keys array
 * per region, and the collector then walked the simulator's whole state to clear them.
 */
function extraGroups(regions: readonly Region[]): ExtraGroup[] {
  const groups: ExtraGroup[] = [];
  for (const name of ['linux', 'windows'] as const) {
    // Per key: its kind so far (null: no value seen yet).
    const kinds = new Map<string, ExtraKind | null>();
    for (const r of regions) {
      const extra = r[name] as Record<string, unknown> | undefined;
      if (!extra) continue;
      for (const key in extra) {
        const k = kindOf(extra[key]);
        const seen = kinds.get(key);
        if (seen === undefined) kinds.set(key, k ?? null);
        else if (k !== undefined && seen !== k) kinds.set(key, seen === null ? k : 'json');
      }
    }
    if (kinds.size === 0) continue;
    groups.push({ name, fields: [...kinds].map(([key, kind]) => ({ key, kind: kind ?? 'json' })) });
  }
  return groups;
}

const STATE_CODES = new Map(REGION_STATES.map((s, i) => [s, i]));
const KIND_CODES = new Map(REGION_KINDS.map((s, i) => [s, i]));
const TYPE_CODES = new Map(REGION_TYPES.map((s, i) => [s, i]));
const RULE_CODES = new Map(ALLOCATION_RULES.map((s, i) => [s, i + 1]));

/**
 * Writes Region objects into columns one row at a time: for columnsFromRegions, and for a source
 * that makes its regions one by one and keeps none (the simulator), whose extra fields are then
 * given when the columns are allocated.
 */
export class RegionRowWriter {
  constructor(
    private readonly c: RegionColumns,
    private readonly table: StringTable,
  ) {}

  write(i: number, r: Region): void {
    const { c, table } = this;
    writeAddress(r.base, c.baseHi, c.baseLo, i);
    let flags = 0;
    if (r.allocationBase !== null) {
      flags |= HAS_ALLOCATION;
      writeAddress(r.allocationBase, c.allocHi, c.allocLo, i);
    }
    c.state[i] = STATE_CODES.get(r.state)!;
    c.kind[i] = KIND_CODES.get(r.kind)!;
    c.type[i] = r.type === null ? NO_TYPE : TYPE_CODES.get(r.type)!;
    c.rule[i] = r.allocationRule === undefined ? NO_RULE : RULE_CODES.get(r.allocationRule)!;
    c.size[i] = r.size;
    c.committed[i] = r.committed;
    const ws = r.workingSet;
    c.wsTotal[i] = ws.total;
    c.wsPrivate[i] = ws.private;
    c.wsShareable[i] = ws.shareable;
    c.wsShared[i] = ws.shared;
    c.wsLocked[i] = ws.locked;
    c.threadId[i] = r.threadId ?? Number.NaN;
    c.protect[i] = table.intern(r.protect);
    c.allocationProtect[i] = table.intern(r.allocationProtect);
    c.path[i] = table.intern(r.path);
    c.details[i] = table.intern(r.details);
    if (r.linux) flags |= EXTRA_BIT.linux;
    if (r.windows) flags |= EXTRA_BIT.windows;
    for (const g of c.extras) {
      const extra = r[g.name] as Record<string, unknown> | undefined;
      for (const f of g.fields) {
        const v = extra?.[f.key];
        if (f.kind === 'number') f.column[i] = v === undefined ? Number.NaN : (v as number);
        else if (v === undefined) f.column[i] = -1;
        else
          f.column[i] = table.intern(
            f.kind === 'string'
              ? (v as string)
              : f.kind === 'words'
                ? (v as string[]).join(' ')
                : JSON.stringify(v),
          );
      }
    }
    c.flags[i] = flags;
  }
}

/**
 * Region objects as columns (what encoding a snapshot from any source starts with). Without
 * `extras` the source-specific fields are left out (CSV has no use for them).
 */
export function columnsFromRegions(
  regions: readonly Region[],
  { extras = true } = {},
): RegionColumns {
  const count = regions.length;
  const table = new StringTable();
  const c = allocateRegionColumns(count, table.strings, extras ? extraGroups(regions) : []);
  const rows = new RegionRowWriter(c, table);
  for (let i = 0; i < count; i++) rows.write(i, regions[i]!);
  return c;
}

/** Extras of up to this many fields are built from templates: a set of fields is a mask in a double. */
const MAX_SHAPED_FIELDS = 52;
const BIT = Array.from({ length: MAX_SHAPED_FIELDS }, (_, k) => 2 ** k);

/**
 * How one group's extras are built: a plain object per region, keys always in the group's order
 * (so every region's extras share one hidden class), values decoded from the string table once
 * per distinct string rather than once per region. For region.linux as a current kernel prints
 * it, `literal` builds one object literal (linuxExtras.ts); `general` builds any other.
 */
function extraBuilder(
  decoded: DecodedStrings,
  group: ExtraColumns,
): { literal: LinuxExtrasLiteral | null; general: (i: number) => Record<string, unknown> } {
  const has = (f: ExtraColumns['fields'][number], i: number): boolean => {
    const v = f.column[i]!;
    return f.kind === 'number' ? v === v : v >= 0;
  };
  const valueOf = (f: ExtraColumns['fields'][number], i: number): unknown => {
    const v = f.column[i]!;
    return f.kind === 'number' ? v : decoded.value(f.kind, v);
  };
  return {
    literal: linuxExtrasLiteral(decoded, group),
    general: generalBuilder(group.fields, has, valueOf),
  };
}

type Field = ExtraColumns['fields'][number];

/** Extras of any group, a plain object per region with its present fields in the group's order. */
function generalBuilder(
  fields: readonly Field[],
  has: (f: Field, i: number) => boolean,
  valueOf: (f: Field, i: number) => unknown,
): (i: number) => Record<string, unknown> {
  if (fields.length > MAX_SHAPED_FIELDS) {
    return (i) => {
      const extra: Record<string, unknown> = {};
      for (const f of fields) if (has(f, i)) extra[f.key] = valueOf(f, i);
      return extra;
    };
  }
  // Objects built by adding 30 keys one by one fall into V8's dictionary mode (2 KB each, slow
  // to read). Instead, each set of present fields gets one template with fast properties, made
  // once; a region's extras are a copy of its template, filled in.
  const shapes = new Map<number, { template: object; present: typeof fields }>();
  return (i) => {
    let mask = 0;
    for (let k = 0; k < fields.length; k++) if (has(fields[k]!, i)) mask += BIT[k]!;
    let shape = shapes.get(mask);
    if (!shape) {
      const present = fields.filter((_, k) => Math.floor(mask / BIT[k]!) % 2 === 1);
      const template = JSON.parse(
        JSON.stringify(Object.fromEntries(present.map((f) => [f.key, 0]))),
      );
      shapes.set(mask, (shape = { template, present }));
    }
    const extra: Record<string, unknown> = { ...shape.template };
    for (const f of shape.present) extra[f.key] = valueOf(f, i);
    return extra;
  };
}

/** A Region's literal, its fields made tagged (taggedFields.ts). */
const regionObject = taggedFields(
  (
    base: string,
    size: number,
    allocationBase: string | null,
    state: Region['state'],
    protect: string | null,
    allocationProtect: string | null,
    type: Region['type'],
    kind: Region['kind'],
    committed: number,
    workingSet: Region['workingSet'],
    path: string | null,
    details: string | null,
  ): Region => ({
    base,
    size: smallInteger(size),
    allocationBase,
    state,
    protect,
    allocationProtect,
    type,
    kind,
    committed: smallInteger(committed),
    workingSet,
    path,
    details,
  }),
);

const workingSetObject = taggedFields(
  (total: number, priv: number, shareable: number, shared: number, locked: number) => ({
    total: smallInteger(total),
    private: smallInteger(priv),
    shareable: smallInteger(shareable),
    shared: smallInteger(shared),
    locked: smallInteger(locked),
  }),
);

/**
 * Region objects from columns: plain data objects, all of one shape, with no accessors, so that
 * JSON, a structured clone or a spread reads them at the speed of any object literal.
 */
export function regionsFromColumns(c: RegionColumns): Region[] {
  const rows = new RegionObjects(c);
  const regions: Region[] = new Array(c.count);
  for (let from = 0; from < c.count; from += BLOCK)
    rows.build(regions, from, Math.min(c.count, from + BLOCK));
  return regions;
}

/** What regionsFromColumns keeps from block to block (rowBlocks.ts). */
class RegionObjects {
  /** Builders of region.linux and region.windows, null where the columns have none. */
  private readonly linuxLiteral: LinuxExtrasLiteral | null = null;
  private readonly linux: ((i: number) => Record<string, unknown>) | null = null;
  private readonly windows: ((i: number) => Record<string, unknown>) | null = null;
  private readonly address = new AddressWriter();
  /** The block's region.linux as the literal builds them (LinuxExtrasLiteral.buildBlock). */
  private readonly linuxBlock: (LinuxRegionInfo | undefined)[] = new Array(BLOCK).fill(undefined);
  // An allocation's regions are neighbours: its base's string is made once. Its halves are kept
  // as int32 (`| 0`): compared as the uint32 they are, the one above 2^31 (a vsyscall address)
  // threw away the code optimized for the small integers of every other, in every snapshot.
  private allocation: string | null = null;
  private allocationHi = -1;
  private allocationLo = -1;

  constructor(private readonly c: RegionColumns) {
    const decoded = new DecodedStrings(c.strings);
    for (const g of c.extras) {
      const { literal, general } = extraBuilder(decoded, g);
      this[g.name] = general;
      if (g.name === 'linux') this.linuxLiteral = literal;
    }
  }

  /** Regions [from, to). */
  build(regions: Region[], from: number, to: number): void {
    const { c, address, linuxLiteral, linuxBlock, linux, windows } = this;
    linuxLiteral?.buildBlock(linuxBlock, from, to, c.flags, EXTRA_BIT.linux);
    const { strings, baseHi, baseLo, allocHi, allocLo, flags, state, kind, type, rule } = c;
    const { size, committed, threadId, protect, allocationProtect, path, details } = c;
    const { wsTotal, wsPrivate, wsShareable, wsShared, wsLocked } = c;
    let { allocation, allocationHi, allocationLo } = this;
    let lastWorkingSet = NOTHING_RESIDENT;
    let lastShared = true;
    for (let i = from; i < to; i++) {
      const f = flags[i]!;
      const typeIndex = type[i]!;
      const tid = threadId[i]!;
      const hi = baseHi[i]!;
      const lo = baseLo[i]!;
      const base = address.write(hi, lo);
      if (f & HAS_ALLOCATION) {
        const aHi = allocHi[i]! | 0;
        const aLo = allocLo[i]! | 0;
        if (aHi !== allocationHi || aLo !== allocationLo) {
          allocationHi = aHi;
          allocationLo = aLo;
          allocation =
            aHi === (hi | 0) && aLo === (lo | 0) ? base : address.write(allocHi[i]!, allocLo[i]!);
        }
      }
      const total = wsTotal[i]!;
      let workingSet: Region['workingSet'];
      if (
        total === 0 &&
        wsPrivate[i] === 0 &&
        wsShareable[i] === 0 &&
        wsShared[i] === 0 &&
        wsLocked[i] === 0
      )
        workingSet = NOTHING_RESIDENT;
      // A working set equal to the previous region's is that one, frozen (as NOTHING_RESIDENT is,
      // so no region can change another's): runs of equal ones are common (a page each of many
      // small mappings), and an object fewer per region is a tenth of a Region's cost.
      else if (
        i > from &&
        total === wsTotal[i - 1] &&
        wsPrivate[i] === wsPrivate[i - 1] &&
        wsShareable[i] === wsShareable[i - 1] &&
        wsShared[i] === wsShared[i - 1] &&
        wsLocked[i] === wsLocked[i - 1]
      ) {
        if (!lastShared) Object.freeze(lastWorkingSet);
        lastShared = true;
        workingSet = lastWorkingSet;
      } else {
        workingSet = workingSetObject(
          total,
          wsPrivate[i]!,
          wsShareable[i]!,
          wsShared[i]!,
          wsLocked[i]!,
        );
        lastShared = false;
      }
      lastWorkingSet = workingSet;
      const p = protect[i]!;
      const ap = allocationProtect[i]!;
      const pa = path[i]!;
      const d = details[i]!;
      const region = regionObject(
        base,
        size[i]!,
        f & HAS_ALLOCATION ? allocation : null,
        REGION_STATES[state[i]!]!,
        p < 0 ? null : strings[p]!,
        ap < 0 ? null : strings[ap]!,
        typeIndex === NO_TYPE ? null : REGION_TYPES[typeIndex]!,
        REGION_KINDS[kind[i]!]!,
        committed[i]!,
        workingSet,
        pa < 0 ? null : strings[pa]!,
        d < 0 ? null : strings[d]!,
      );
      // The extras before threadId: the Linux source's JSON has always had its keys in this order.
      if (rule[i] !== NO_RULE) region.allocationRule = ALLOCATION_RULES[rule[i]! - 1]!;
      if (linux !== null && f & EXTRA_BIT.linux)
        region.linux = ((linuxLiteral && linuxBlock[i - from]) ?? linux(i)) as never;
      if (windows !== null && f & EXTRA_BIT.windows) region.windows = windows(i) as never;
      if (tid === tid) region.threadId = tid;
      regions[i] = region;
    }
    this.allocation = allocation;
    this.allocationHi = allocationHi;
    this.allocationLo = allocationLo;
  }
}

/**
 * Columns of one region of each shape a Linux snapshot's regions have: free; a mapping with
 * region.linux, with or without an inferred allocation rule and a thread id; region.linux with a
 * protection key.
 */
function linuxShapeSamples(): RegionColumns {
  const rows = 6;
  const c = allocateRegionColumns(rows, [''], [{ name: 'linux', fields: [...LINUX_EXTRA_FIELDS] }]);
  for (const f of c.extras[0]!.fields)
    if (f.key === 'pssAnon' || f.key === 'pssFile' || f.key === 'pssShmem')
      f.column.fill(Number.NaN);
    else if (f.key === 'protectionKey') f.column.fill(Number.NaN, 0, rows - 1);
  c.flags.fill(HAS_ALLOCATION | EXTRA_BIT.linux, 1);
  c.wsTotal.fill(1, 1);
  c.rule[2] = c.rule[4] = 1;
  c.threadId[3] = c.threadId[4] = 1;
  return c;
}

// Per snapshot: its columns, the builder of its Region objects, often the Regions themselves: one
// of each is kept, built the same way (keptShapes.ts).
{
  const samples = linuxShapeSamples();
  const rows = new RegionObjects(samples);
  const regions: Region[] = new Array(samples.count);
  rows.build(regions, 0, samples.count);
  keepShapes(
    allocateRegionColumns(0, [], []),
    lazyRegionColumns(0, [], () => []),
    rows,
    regions,
  );
}

const COLUMNS = Symbol('vmscope.regionColumns');

/**
 * A snapshot whose regions are `columns`: `regions` is built from them on first read (then it is
 * an ordinary array), and the encoder and the CSV writer read the columns directly. Such a
 * snapshot is not to be changed in place: assigning `regions` drops the columns, but editing a
 * region of the built array would not reach them.
 */
export function snapshotFromColumns(
  rest: Omit<Snapshot, 'regions'>,
  columns: RegionColumns,
): Snapshot {
  const snapshot = { ...rest } as Snapshot;
  const settle = (target: Snapshot, regions: Region[]): Region[] => {
    Object.defineProperty(target, 'regions', {
      value: regions,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return regions;
  };
  Object.defineProperty(snapshot, 'regions', {
    enumerable: true,
    configurable: true,
    get(this: Snapshot) {
      return settle(this, regionsFromColumns(columns));
    },
    set(this: Snapshot, regions: Region[]) {
      delete (this as unknown as Record<symbol, unknown>)[COLUMNS];
      settle(this, regions);
    },
  });
  Object.defineProperty(snapshot, COLUMNS, { value: columns, configurable: true });
  return snapshot;
}

/** The columns a snapshot was built from, if it was (snapshotFromColumns). */
export function regionColumnsOf(snapshot: Snapshot): RegionColumns | undefined {
  return (snapshot as unknown as Record<symbol, RegionColumns | undefined>)[COLUMNS];
}

/** Every field of a snapshot but its regions, without building the regions of a columnar one. */
export function snapshotWithoutRegions(snapshot: Snapshot): Omit<Snapshot, 'regions'> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(snapshot))
    if (key !== 'regions') rest[key] = (snapshot as unknown as Record<string, unknown>)[key];
  return rest as Omit<Snapshot, 'regions'>;
}

/** How many regions a snapshot has, without building a columnar one's regions. */
export function regionCount(snapshot: Snapshot): number {
  return regionColumnsOf(snapshot)?.count ?? snapshot.regions.length;
}
