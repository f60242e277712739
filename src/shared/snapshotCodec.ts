/**
 * A compact binary form of a Snapshot for moving it between threads and processes: the region
 * columns of snapshotColumns.ts in one buffer after a small JSON header. A 60,000-region snapshot
 * is about 48 MB of JSON that costs ~0.7 s to stringify and again to parse at every hop; here it
 * is a few MB that the worker transfers without copying and the UI decodes in tens of
 * milliseconds. A snapshot built from columns (the Linux source) is encoded by copying them, with
 * no Region object made. Lossless: decode(encode(s)) deep-equals s. Not a file format (files are
 * snapshotJson.ts).
 */
import type { Snapshot } from './model';
import {
  ADDRESS_COLUMNS,
  CODE_COLUMNS,
  EXTRA_BIT,
  type ExtraField,
  type ExtraGroup,
  NUMBER_COLUMNS,
  type RegionColumns,
  STRING_COLUMNS,
  columnsFromRegions,
  regionColumnsOf,
  snapshotFromColumns,
  snapshotWithoutRegions,
} from './snapshotColumns';

const MAGIC = 0x43534d56; // "VMSC"
/** 2: the `rule` code column (the allocation rule). */
const VERSION = 2;

/**
 * An extra field as encoded: where every region of its group has the same value (most smaps
 * fields are 0 everywhere, kernelPageSize 4096) the value is stored once, as `constant` (null for
 * NaN, which JSON cannot hold), instead of a column.
 */
type EncodedField = ExtraField & { constant?: number | null };

interface Meta {
  snapshot: Omit<Snapshot, 'regions'>;
  count: number;
  strings: string[];
  extras: { name: ExtraGroup['name']; fields: EncodedField[] }[];
}

/** A value marked as encoded, as it travels inside a Result. */
export interface EncodedSnapshot {
  $codec: 'snapshot';
  data: ArrayBuffer;
}

export function isEncodedSnapshot(value: unknown): value is EncodedSnapshot {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as EncodedSnapshot).$codec === 'snapshot' &&
    (value as EncodedSnapshot).data instanceof ArrayBuffer
  );
}

export function isSnapshot(value: unknown): value is Snapshot {
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as Snapshot).format !== 'vmscope-snapshot'
  )
    return false;
  // A columnar snapshot's regions are not built just to check their type.
  return (
    regionColumnsOf(value as Snapshot) !== undefined || Array.isArray((value as Snapshot).regions)
  );
}

type ColumnType = 'f64' | 'i32' | 'u32' | 'u8';
const BYTES: Record<ColumnType, number> = { f64: 8, i32: 4, u32: 4, u8: 1 };

/** Where each column sits: fixed columns, then one per extra field that is not constant, each padded to 8 bytes. */
function layout(count: number, extras: Meta['extras']) {
  const columns: { name: string; type: ColumnType }[] = [
    ...ADDRESS_COLUMNS.map((name) => ({ name, type: 'u32' as const })),
    ...CODE_COLUMNS.map((name) => ({ name, type: 'u8' as const })),
    ...NUMBER_COLUMNS.map((name) => ({ name, type: 'f64' as const })),
    ...STRING_COLUMNS.map((name) => ({ name, type: 'i32' as const })),
  ];
  for (const g of extras) {
    for (const f of g.fields) {
      if (f.constant === undefined)
        columns.push({ name: `${g.name}.${f.key}`, type: f.kind === 'number' ? 'f64' : 'i32' });
    }
  }
  let offset = 0;
  const placed = columns.map((c) => {
    const at = offset;
    offset += Math.ceil((count * BYTES[c.type]) / 8) * 8;
    return { ...c, offset: at };
  });
  return { placed, bytes: offset };
}

/** The one value `column` holds in every row whose flags have `bit`, or undefined if they differ. */
function constantOf(
  column: Float64Array | Int32Array,
  flags: Uint8Array,
  bit: number,
  count: number,
): number | undefined {
  let value: number | undefined;
  for (let i = 0; i < count; i++) {
    if (!(flags[i]! & bit)) continue;
    const v = column[i]!;
    if (value === undefined) value = v;
    else if (v !== value && (v === v || value === value)) return undefined;
  }
  return value;
}

/** Every column of `c` by its layout name. */
function columnsByName(c: RegionColumns): Map<string, ArrayBufferView> {
  const byName = new Map<string, ArrayBufferView>();
  for (const name of [...ADDRESS_COLUMNS, ...CODE_COLUMNS, ...NUMBER_COLUMNS, ...STRING_COLUMNS])
    byName.set(name, c[name]);
  for (const g of c.extras) for (const f of g.fields) byName.set(`${g.name}.${f.key}`, f.column);
  return byName;
}

/** Columns start after the 12-byte header and the meta JSON, on an 8-byte boundary (Float64Array needs it). */
const columnsStart = (metaLength: number): number => Math.ceil((12 + metaLength) / 8) * 8;

export function encodeSnapshot(snapshot: Snapshot): EncodedSnapshot {
  const c = regionColumnsOf(snapshot) ?? columnsFromRegions(snapshot.regions);
  const extras = c.extras.map((g) => ({
    name: g.name,
    fields: g.fields.map(({ key, kind, column }): EncodedField => {
      const constant = constantOf(column, c.flags, EXTRA_BIT[g.name], c.count);
      return constant === undefined
        ? { key, kind }
        : { key, kind, constant: constant === constant ? constant : null };
    }),
  }));
  const meta: Meta = {
    snapshot: snapshotWithoutRegions(snapshot),
    count: c.count,
    strings: c.strings,
    extras,
  };
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const start = columnsStart(metaBytes.length);
  const { placed, bytes } = layout(c.count, extras);
  const out = new ArrayBuffer(start + bytes);
  const header = new DataView(out);
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, VERSION, true);
  header.setUint32(8, metaBytes.length, true);
  const all = new Uint8Array(out);
  all.set(metaBytes, 12);
  const byName = columnsByName(c);
  for (const p of placed) {
    const column = byName.get(p.name)!;
    all.set(
      new Uint8Array(column.buffer, column.byteOffset, c.count * BYTES[p.type]),
      start + p.offset,
    );
  }
  return { $codec: 'snapshot', data: out };
}

function view(
  buffer: ArrayBuffer,
  at: number,
  type: ColumnType,
  count: number,
): Float64Array | Int32Array | Uint32Array | Uint8Array {
  switch (type) {
    case 'f64':
      return new Float64Array(buffer, at, count);
    case 'i32':
      return new Int32Array(buffer, at, count);
    case 'u32':
      return new Uint32Array(buffer, at, count);
    case 'u8':
      return new Uint8Array(buffer, at, count);
  }
}

/** The columns of an encoded snapshot, as views into its buffer (nothing copied). */
function decodeColumns(buffer: ArrayBuffer, meta: Meta, start: number): RegionColumns {
  const { count, strings, extras } = meta;
  const views = new Map(
    layout(count, extras).placed.map((p) => [
      p.name,
      view(buffer, start + p.offset, p.type, count),
    ]),
  );
  const c: Record<string, unknown> = { count, strings };
  for (const name of [...ADDRESS_COLUMNS, ...CODE_COLUMNS, ...NUMBER_COLUMNS, ...STRING_COLUMNS])
    c[name] = views.get(name);
  c['extras'] = extras.map((g) => ({
    name: g.name,
    fields: g.fields.map(({ key, kind, constant }) => ({
      key,
      kind,
      column:
        constant === undefined
          ? (views.get(`${g.name}.${key}`) as Float64Array | Int32Array)
          : (kind === 'number' ? new Float64Array(count) : new Int32Array(count)).fill(
              constant ?? Number.NaN,
            ),
    })),
  }));
  return c as RegionColumns;
}

/**
 * The snapshot back, on its columns: its regions are built on first read, and its CSV, JSON and
 * re-encoding are written from the columns without them.
 */
export function decodeSnapshot(encoded: EncodedSnapshot): Snapshot {
  const buffer = encoded.data;
  const header = new DataView(buffer);
  if (
    buffer.byteLength < 12 ||
    header.getUint32(0, true) !== MAGIC ||
    header.getUint32(4, true) !== VERSION
  ) {
    throw new Error('Not an encoded vmscope snapshot of this version.');
  }
  const metaLength = header.getUint32(8, true);
  const meta = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 12, metaLength))) as Meta;
  return snapshotFromColumns(meta.snapshot, decodeColumns(buffer, meta, columnsStart(metaLength)));
}
