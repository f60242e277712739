/**
 * Writes the snapshot document (snapshotJson.ts, docs/snapshot-format.md) as text. A snapshot on
 * columns (snapshotColumns.ts: the Linux source's, a decoded one) is written straight from them
 * as UTF-8 bytes: no Region object and no string per region is made, and each distinct string (a
 * path, a protection, a VmFlags list) is escaped and encoded once rather than once per region.
 * The bytes are exactly JSON.stringify's of the same snapshot with its regions built
 * (test/snapshotJsonBytes.test.ts keeps them so).
 */
import { ByteWriter } from './byteWriter';
import { type ExtrasText, extrasTextOf } from './extrasText';
import {
  ALLOCATION_RULES,
  REGION_KINDS,
  REGION_STATES,
  REGION_TYPES,
  type Snapshot,
} from './model';
import {
  EXTRA_BIT,
  type ExtraColumns,
  type ExtraKind,
  HAS_ALLOCATION,
  NO_RULE,
  NO_TYPE,
  type RegionColumns,
  regionColumnsOf,
  snapshotWithoutRegions,
} from './snapshotColumns';

/** Bytes per chunk: big enough that writing it is cheap, small enough to stream. */
const CHUNK_BYTES = 1 << 20;
/** The most a region needs besides its strings and extras: 2 addresses, 8 numbers, the keys. */
const REGION_BYTES = 512;
/** The most one number field of the extras needs: its key is reserved with it. */
const NUMBER_BYTES = 32;

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);

const NULL = bytes('null');
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/**
 * The fixed text of a region, each piece with the key after it where a value follows: a region
 * is about twenty copies of a piece and values in between. Keys are joined to the names they
 * take (`,"state":"committed"`), so a run of the CLI, which writes before V8 has optimized the
 * writer, copies as few pieces as it can.
 */
const KEY = {
  base: bytes('{"base":"'),
  size: bytes('","size":'),
  allocationBase: bytes(',"allocationBase":'),
  total: bytes(',"workingSet":{"total":'),
  private: bytes(',"private":'),
  shareable: bytes(',"shareable":'),
  shared: bytes(',"shared":'),
  locked: bytes(',"locked":'),
  threadId: bytes(',"threadId":'),
};
const json = (value: unknown): string => JSON.stringify(value);
const STATES = REGION_STATES.map((state) => bytes(`,"state":${json(state)}`));
/** `,"type":...,"kind":...,"committed":` by type (the last row: no type) and kind. */
const TYPE_KINDS = [...REGION_TYPES, null].map((type) =>
  REGION_KINDS.map((kind) => bytes(`,"type":${json(type)},"kind":${json(kind)},"committed":`)),
);
const RULES = ALLOCATION_RULES.map((rule) => bytes(`,"allocationRule":${json(rule)}`));

/** A number as JSON writes it (NaN and the infinities are null there). */
function writeNumber(w: ByteWriter, n: number): void {
  if (Number.isFinite(n)) w.number(n);
  else w.bytes(NULL);
}

/**
 * The document's fields before and after `regions`, in the documented order, each part as JSON
 * writes it (`{"format":...,"counters":{...},"regions":[` and `],...}`).
 */
function frame(s: Omit<Snapshot, 'regions'>): { head: string; tail: string } {
  const head = JSON.stringify({
    format: s.format,
    version: s.version,
    takenAt: s.takenAt,
    source: s.source,
    host: s.host,
    system: s.system,
    process: s.process,
    counters: s.counters,
    ...(s.origin === undefined ? {} : { origin: s.origin }),
    ...(s.workingSetUnknown === undefined ? {} : { workingSetUnknown: s.workingSetUnknown }),
  });
  const tail = JSON.stringify({
    ...(s.details === undefined ? {} : { details: s.details }),
    ...(s.durationMs === undefined ? {} : { durationMs: s.durationMs }),
    ...(s.truncated === undefined ? {} : { truncated: s.truncated }),
  });
  return {
    head: `${head.slice(0, -1)},"regions":[`,
    tail: tail === '{}' ? ']}\n' : `],${tail.slice(1)}\n`,
  };
}

/** Each string of the table as JSON bytes, encoded on first use; null for -1. */
function stringBytes(c: RegionColumns): (index: number) => Uint8Array {
  const cache: (Uint8Array | undefined)[] = new Array(c.strings.length);
  return (index) => (index < 0 ? NULL : (cache[index] ??= bytes(json(c.strings[index]!))));
}

/** A key and each string of the table as its value (`,"details":"[heap]"`), encoded on first use. */
function keyedStrings(c: RegionColumns, key: string): (index: number) => Uint8Array {
  const cache: (Uint8Array | undefined)[] = new Array(c.strings.length + 1);
  return (index) =>
    (cache[index + 1] ??= bytes(`${key}${index < 0 ? 'null' : json(c.strings[index]!)}`));
}

/** `,"protect":...,"allocationProtect":...` for each pair of strings met, encoded once. */
function protectPairs(
  c: RegionColumns,
): (protect: number, allocationProtect: number) => Uint8Array {
  const cache = new Map<number, Uint8Array>();
  const width = c.strings.length + 1;
  return (p, ap) => {
    const key = (p + 1) * width + ap + 1;
    let pair = cache.get(key);
    if (pair === undefined) {
      const text = (i: number): string => (i < 0 ? 'null' : json(c.strings[i]!));
      pair = bytes(`,"protect":${text(p)},"allocationProtect":${text(ap)}`);
      cache.set(key, pair);
    }
    return pair;
  };
}

/** Writes region i's extras (`,"linux":{...}`) as JSON.stringify writes the built objects. */
function extrasWriter(
  c: RegionColumns,
  strings: (index: number) => Uint8Array,
): ((w: ByteWriter, i: number) => void) | null {
  if (c.extras.length === 0) return null;
  // Words and json values are written as their decoded value would be: once per string.
  const decoded = new Map<number, Uint8Array>();
  const valueBytes = (kind: ExtraKind, index: number): Uint8Array => {
    if (kind === 'string') return strings(index);
    let value = decoded.get(index);
    if (value === undefined) {
      const s = c.strings[index]!;
      value = bytes(json(kind === 'words' ? (s === '' ? [] : s.split(' ')) : JSON.parse(s)));
      decoded.set(index, value);
    }
    return value;
  };
  const groups = c.extras.map((g) => {
    const open = bytes(`,${json(g.name)}:{`);
    const segments = segmentsOf(c, g, valueBytes);
    // Room for the group but its string values, made once for the whole group.
    const room = segments.reduce(
      (n, f) => n + f.first.length + 1 + (f.kind === 'number' ? NUMBER_BYTES : 0),
      open.length + 1,
    );
    return { bit: EXTRA_BIT[g.name], open, segments, room };
  });
  return (w, i) => {
    const flags = c.flags[i]!;
    for (const g of groups) {
      if (!(flags & g.bit)) continue;
      w.reserve(g.room);
      w.bytes(g.open);
      let first = true;
      for (const f of g.segments) {
        if (f.kind === 'number') {
          const v = f.numbers[i]!;
          if (v !== v) continue;
          w.bytes(first ? f.first : f.next);
          writeNumber(w, v);
        } else if (f.kind === 'constant') {
          w.bytes(first ? f.first : f.next);
        } else {
          const v = f.indexes[i]!;
          if (v < 0) continue;
          const value = valueBytes(f.kind, v);
          w.bytes(first ? f.first : f.next);
          w.reserve(value.length);
          w.bytes(value);
        }
        first = false;
      }
      w.byte(CLOSE_BRACE);
    }
  };
}

/** Writes region i's extras from the text the source wrote of them (extrasText.ts). */
function textWriter(t: ExtrasText): (w: ByteWriter, i: number) => void {
  const { blocks, block, from, to, tailBlock, tailFrom, tailTo } = t;
  return (w, i) => {
    const start = from[i]!;
    const end = to[i]!;
    const tailStart = tailFrom[i]!;
    const tailEnd = tailTo[i]!;
    w.reserve(end - start + tailEnd - tailStart);
    if (end > start) w.bytes(blocks[block[i]!]!.subarray(start, end));
    if (tailEnd > tailStart) w.bytes(blocks[tailBlock[i]!]!.subarray(tailStart, tailEnd));
  };
}

/**
 * What one group's extras are written from: a field's key (with and without the comma before it)
 * and column; or, for a run of fields that every region of the group has with the same value
 * (most smaps fields are 0 in every mapping, kernelPageSize 4096), the run's whole text at once,
 * never absent. A field no region of the group has (three smaps fields only smaps_rollup prints)
 * has no segment.
 */
type Segment = {
  kind: ExtraKind | 'constant';
  /**
   * The column twice, by type: the one of the other type empty. Each loop then reads one kind of
   * array, where one property of either kind made every read polymorphic (a third of the time).
   */
  numbers: Float64Array;
  indexes: Int32Array;
  first: Uint8Array;
  next: Uint8Array;
};

const NO_NUMBERS = new Float64Array(0);
const NO_INDEXES = new Int32Array(0);

function segment(
  kind: Segment['kind'],
  column: Float64Array | Int32Array | null,
  first: string,
  next: string,
): Segment {
  return {
    kind,
    numbers: column instanceof Float64Array ? column : NO_NUMBERS,
    indexes: column instanceof Int32Array ? column : NO_INDEXES,
    first: bytes(first),
    next: bytes(next),
  };
}

function segmentsOf(
  c: RegionColumns,
  g: ExtraColumns,
  valueBytes: (kind: ExtraKind, index: number) => Uint8Array,
): Segment[] {
  const bit = EXTRA_BIT[g.name];
  // Fields of one value in every region often share one column (the Linux source's): scanned once.
  const scanned = new Map<Float64Array | Int32Array, number>();
  const decoder = new TextDecoder();
  const segments: Segment[] = [];
  let run: string[] | null = null;
  const endRun = (): void => {
    if (!run) return;
    const text = run.join(',');
    segments.push(segment('constant', null, text, `,${text}`));
    run = null;
  };
  for (const f of g.fields) {
    const key = `${json(f.key)}:`;
    let value = scanned.get(f.column);
    if (value === undefined) scanned.set(f.column, (value = constantOf(c, bit, f)));
    // Written by no region: a run of constants goes on across it.
    if (value === ABSENT) continue;
    if (value === VARIES) {
      endRun();
      segments.push(segment(f.kind, f.column, key, `,${key}`));
      continue;
    }
    const text = f.kind === 'number' ? json(value) : decoder.decode(valueBytes(f.kind, value));
    run ??= [];
    run.push(key + text);
  }
  endRun();
  return segments;
}

/** constantOf: no region of the group has the field. */
const ABSENT = -1;
/** constantOf: the regions' values differ, or some have the field and some do not. */
const VARIES = -2;

/**
 * The value every region of the group has in this field (a number, or a string's index), or
 * ABSENT or VARIES. Both markers are negative: neither a byte count nor an index is.
 */
function constantOf(c: RegionColumns, bit: number, f: ExtraColumns['fields'][number]): number {
  const { column } = f;
  return column instanceof Float64Array
    ? constantNumber(c.flags, bit, c.count, column)
    : constantIndex(c.flags, bit, c.count, column);
}

// One loop per type of column: a loop over either kind is polymorphic, and three times as slow.
function constantNumber(
  flags: Uint8Array,
  bit: number,
  count: number,
  column: Float64Array,
): number {
  let value = Number.NaN;
  let absent = false;
  for (let i = 0; i < count; i++) {
    if (!(flags[i]! & bit)) continue;
    const v = column[i]!;
    if (v !== v) absent = true;
    else if (value !== value) value = v;
    else if (v !== value) return VARIES;
    // Absent in one region and present in another: no constant.
    if (absent && value === value) return VARIES;
  }
  // A negative value is written as it is, never taken for a marker.
  return value !== value ? ABSENT : value < 0 ? VARIES : value;
}

function constantIndex(flags: Uint8Array, bit: number, count: number, column: Int32Array): number {
  let value = -1;
  let absent = false;
  for (let i = 0; i < count; i++) {
    if (!(flags[i]! & bit)) continue;
    const v = column[i]!;
    if (v < 0) absent = true;
    else if (value < 0) value = v;
    else if (v !== value) return VARIES;
    if (absent && value >= 0) return VARIES;
  }
  return value < 0 ? ABSENT : value;
}

/** Writes region i as JSON.stringify writes the region regionsFromColumns builds. */
function regionWriter(c: RegionColumns): (w: ByteWriter, i: number) => void {
  const text = extrasTextOf(c);
  const extras = text ? textWriter(text) : extrasWriter(c, stringBytes(c));
  const protects = protectPairs(c);
  const paths = keyedStrings(c, '},"path":');
  const details = keyedStrings(c, ',"details":');
  return (w, i) => {
    const flags = c.flags[i]!;
    const protect = protects(c.protect[i]!, c.allocationProtect[i]!);
    const path = paths(c.path[i]!);
    const detail = details(c.details[i]!);
    // Room for all but the extras' strings, which their writer makes room for.
    w.reserve(REGION_BYTES + protect.length + path.length + detail.length);
    w.bytes(KEY.base);
    w.address(c.baseHi[i]!, c.baseLo[i]!);
    w.bytes(KEY.size);
    writeNumber(w, c.size[i]!);
    w.bytes(KEY.allocationBase);
    if (flags & HAS_ALLOCATION) {
      w.byte(QUOTE);
      w.address(c.allocHi[i]!, c.allocLo[i]!);
      w.byte(QUOTE);
    } else w.bytes(NULL);
    w.bytes(STATES[c.state[i]!]!);
    w.bytes(protect);
    const type = c.type[i]!;
    w.bytes(TYPE_KINDS[type === NO_TYPE ? REGION_TYPES.length : type]![c.kind[i]!]!);
    writeNumber(w, c.committed[i]!);
    w.bytes(KEY.total);
    writeNumber(w, c.wsTotal[i]!);
    w.bytes(KEY.private);
    writeNumber(w, c.wsPrivate[i]!);
    w.bytes(KEY.shareable);
    writeNumber(w, c.wsShareable[i]!);
    w.bytes(KEY.shared);
    writeNumber(w, c.wsShared[i]!);
    w.bytes(KEY.locked);
    writeNumber(w, c.wsLocked[i]!);
    w.bytes(path);
    w.bytes(detail);
    const rule = c.rule[i]!;
    if (rule !== NO_RULE) w.bytes(RULES[rule - 1]!);
    extras?.(w, i);
    const tid = c.threadId[i]!;
    w.reserve(KEY.threadId.length + NUMBER_BYTES);
    if (tid === tid) {
      w.bytes(KEY.threadId);
      writeNumber(w, tid);
    }
    w.byte(CLOSE_BRACE);
  };
}

/**
 * Regions from `from` on, comma-separated, until a chunk is full or they end; returns where it
 * stopped. The loop is a plain function, not the generator's own: V8 optimizes it once and keeps
 * it, where a loop across yields was deoptimized again and again.
 */
function writeRegions(
  w: ByteWriter,
  region: (w: ByteWriter, i: number) => void,
  from: number,
  count: number,
): number {
  let i = from;
  for (; i < count && w.at < CHUNK_BYTES; i++) {
    if (i > 0) {
      w.reserve(1);
      w.byte(COMMA);
    }
    region(w, i);
  }
  return i;
}

/**
 * The document as UTF-8, in chunks of about a megabyte (for a stream); joined, they are the
 * whole text, one line and a final newline. With `reuse`, every chunk is a view of one buffer
 * that the next chunk overwrites: write or copy each before asking for the next (a writer that
 * sends the document on at once needs no fresh megabyte per chunk).
 */
export function* snapshotJsonChunks(
  s: Snapshot,
  { reuse = false }: { reuse?: boolean } = {},
): Generator<Uint8Array> {
  const c = regionColumnsOf(s);
  const { head, tail } = frame(c ? snapshotWithoutRegions(s) : s);
  if (!c) {
    // Regions that are objects already: JSON.stringify writes them as fast as anything can.
    yield bytes(`${head}${JSON.stringify(s.regions).slice(1, -1)}${tail}`);
    return;
  }
  const region = regionWriter(c);
  const w = new ByteWriter(CHUNK_BYTES * 2);
  const headBytes = bytes(head);
  w.reserve(headBytes.length);
  w.bytes(headBytes);
  for (let i = 0; i < c.count;) {
    i = writeRegions(w, region, i, c.count);
    if (w.at >= CHUNK_BYTES) yield reuse ? w.restart() : w.take();
  }
  const tailBytes = bytes(tail);
  w.reserve(tailBytes.length);
  w.bytes(tailBytes);
  yield reuse ? w.restart() : w.take();
}

/** The whole document as UTF-8 bytes. */
export function snapshotToJsonBytes(s: Snapshot): Uint8Array {
  const chunks = [...snapshotJsonChunks(s)];
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The whole document, keys in the documented order, one line and a final newline. */
export function snapshotToJson(s: Snapshot): string {
  return new TextDecoder().decode(snapshotToJsonBytes(s));
}
