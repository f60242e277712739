/**
 * Writes the snapshot document (snapshotJson.ts, docs/snapshot-format.md) as text. A snapshot on
 * columns (snapshotColumns.ts: the Linux source's, a decoded one) is written straight from them
 * as UTF-8 bytes: no Region object and no string per region is made, and each distinct string (a
 * path, a protection, a VmFlags list) is escaped and encoded once rather than once per region. The bytes are exactly JSON.stringify's of the same
 * snapshot with its regions built (test/snapshotJsonBytes.test.ts keeps them so).
 */
import { ByteWriter } from './byteWriter';
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

const quoted = (names: readonly string[]): Uint8Array[] =>
  names.map((n) => bytes(JSON.stringify(n)));
const STATES = quoted(REGION_STATES);
const KINDS = quoted(REGION_KINDS);
const TYPES = quoted(REGION_TYPES);
const RULES = quoted(ALLOCATION_RULES);
const NULL = bytes('null');
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/** The fixed text of a region, before each of its values. */
const KEY = {
  base: bytes('{"base":"'),
  size: bytes('","size":'),
  allocationBase: bytes(',"allocationBase":'),
  state: bytes(',"state":'),
  protect: bytes(',"protect":'),
  allocationProtect: bytes(',"allocationProtect":'),
  type: bytes(',"type":'),
  kind: bytes(',"kind":'),
  committed: bytes(',"committed":'),
  total: bytes(',"workingSet":{"total":'),
  private: bytes(',"private":'),
  shareable: bytes(',"shareable":'),
  shared: bytes(',"shared":'),
  locked: bytes(',"locked":'),
  path: bytes('},"path":'),
  details: bytes(',"details":'),
  allocationRule: bytes(',"allocationRule":'),
  threadId: bytes(',"threadId":'),
};

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
  return (index) =>
    index < 0 ? NULL : (cache[index] ??= bytes(JSON.stringify(c.strings[index]!)));
}

/** Writes region i's extras (`,"linux":{...}`) as JSON.stringify writes the built objects. */
function extrasWriter(
  c: RegionColumns,
  json: (index: number) => Uint8Array,
): ((w: ByteWriter, i: number) => void) | null {
  if (c.extras.length === 0) return null;
  // Words and json values are written as their decoded value would be: once per string.
  const decoded = new Map<number, Uint8Array>();
  const valueBytes = (kind: ExtraKind, index: number): Uint8Array => {
    if (kind === 'string') return json(index);
    let value = decoded.get(index);
    if (value === undefined) {
      const s = c.strings[index]!;
      value = bytes(
        JSON.stringify(kind === 'words' ? (s === '' ? [] : s.split(' ')) : JSON.parse(s)),
      );
      decoded.set(index, value);
    }
    return value;
  };
  const groups = c.extras.map((g) => ({
    bit: EXTRA_BIT[g.name],
    open: bytes(`,${JSON.stringify(g.name)}:{`),
    segments: segmentsOf(c, g, valueBytes),
  }));
  return (w, i) => {
    const flags = c.flags[i]!;
    for (const g of groups) {
      if (!(flags & g.bit)) continue;
      w.reserve(g.open.length);
      w.bytes(g.open);
      let first = true;
      for (const f of g.segments) {
        if (f.kind === 'number') {
          const v = f.numbers[i]!;
          if (v !== v) continue;
          const key = first ? f.first : f.next;
          w.reserve(key.length + NUMBER_BYTES);
          w.bytes(key);
          writeNumber(w, v);
        } else if (f.kind === 'constant') {
          const key = first ? f.first : f.next;
          w.reserve(key.length);
          w.bytes(key);
        } else {
          const v = f.indexes[i]!;
          if (v < 0) continue;
          const key = first ? f.first : f.next;
          const value = valueBytes(f.kind, v);
          w.reserve(key.length + value.length);
          w.bytes(key);
          w.bytes(value);
        }
        first = false;
      }
      w.reserve(1);
      w.byte(CLOSE_BRACE);
    }
  };
}

/**
 * What one group's extras are written from: a field's key (with and without the comma before it)
 * and column; or, for a run of fields that every region of the group has with the same value
 * (most smaps fields are 0 in every mapping, kernelPageSize 4096), the run's whole text at once,
 * never absent.
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
    const key = `${JSON.stringify(f.key)}:`;
    const value = constantOf(c, bit, f);
    if (value === null) {
      endRun();
      segments.push(segment(f.kind, f.column, key, `,${key}`));
      continue;
    }
    const text =
      f.kind === 'number' ? JSON.stringify(value) : decoder.decode(valueBytes(f.kind, value));
    run ??= [];
    run.push(key + text);
  }
  endRun();
  return segments;
}

/** The value every region of the group has in this field, or null where they differ or one lacks it. */
function constantOf(
  c: RegionColumns,
  bit: number,
  f: ExtraColumns['fields'][number],
): number | null {
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
): number | null {
  let value = Number.NaN;
  for (let i = 0; i < count; i++) {
    if (!(flags[i]! & bit)) continue;
    const v = column[i]!;
    // Absent (NaN) in any region, or a second value: no constant.
    if (v !== v || (v !== value && value === value)) return null;
    value = v;
  }
  return value === value ? value : null;
}

function constantIndex(
  flags: Uint8Array,
  bit: number,
  count: number,
  column: Int32Array,
): number | null {
  let value = -1;
  for (let i = 0; i < count; i++) {
    if (!(flags[i]! & bit)) continue;
    const v = column[i]!;
    if (v < 0 || (v !== value && value >= 0)) return null;
    value = v;
  }
  return value >= 0 ? value : null;
}

/** Writes region i as JSON.stringify writes the region regionsFromColumns builds. */
function regionWriter(c: RegionColumns): (w: ByteWriter, i: number) => void {
  const json = stringBytes(c);
  const extras = extrasWriter(c, json);
  const text = (w: ByteWriter, key: Uint8Array, index: number): void => {
    const value = json(index);
    w.reserve(key.length + value.length);
    w.bytes(key);
    w.bytes(value);
  };
  return (w, i) => {
    w.reserve(REGION_BYTES);
    w.bytes(KEY.base);
    w.address(c.baseHi[i]!, c.baseLo[i]!);
    w.bytes(KEY.size);
    writeNumber(w, c.size[i]!);
    w.bytes(KEY.allocationBase);
    if (c.flags[i]! & HAS_ALLOCATION) {
      w.byte(QUOTE);
      w.address(c.allocHi[i]!, c.allocLo[i]!);
      w.byte(QUOTE);
    } else w.bytes(NULL);
    w.bytes(KEY.state);
    w.bytes(STATES[c.state[i]!]!);
    text(w, KEY.protect, c.protect[i]!);
    text(w, KEY.allocationProtect, c.allocationProtect[i]!);
    const type = c.type[i]!;
    w.reserve(REGION_BYTES);
    w.bytes(KEY.type);
    w.bytes(type === NO_TYPE ? NULL : TYPES[type]!);
    w.bytes(KEY.kind);
    w.bytes(KINDS[c.kind[i]!]!);
    w.bytes(KEY.committed);
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
    text(w, KEY.path, c.path[i]!);
    text(w, KEY.details, c.details[i]!);
    const rule = c.rule[i]!;
    if (rule !== NO_RULE) {
      const name = RULES[rule - 1]!;
      w.reserve(KEY.allocationRule.length + name.length);
      w.bytes(KEY.allocationRule);
      w.bytes(name);
    }
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
 * whole text, one line and a final newline.
 */
export function* snapshotJsonChunks(s: Snapshot): Generator<Uint8Array> {
  const c = regionColumnsOf(s);
  const { head, tail } = frame(c ? snapshotWithoutRegions(s) : s);
  if (!c) {
    // Regions that are objects already: JSON.stringify writes them as fast as anything can.
    yield bytes(`${head}${JSON.stringify(s.regions).slice(1, -1)}${tail}`);
    return;
  }
  const region = regionWriter(c);
  const w = new ByteWriter();
  const headBytes = bytes(head);
  w.reserve(headBytes.length);
  w.bytes(headBytes);
  for (let i = 0; i < c.count;) {
    i = writeRegions(w, region, i, c.count);
    if (w.at >= CHUNK_BYTES) yield w.take();
  }
  const tailBytes = bytes(tail);
  w.reserve(tailBytes.length);
  w.bytes(tailBytes);
  yield w.take();
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
