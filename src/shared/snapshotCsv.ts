/**
 * The snapshot as CSV: one row per region, the columns below, numbers in plain bytes, addresses as
 * `0x` hex, empty cells for nulls, quoting and CRLF line ends per RFC 4180. The CLI
 * writes it and the UI exports it; docs/snapshot-format.md is its public description.
 */
import Papa from 'papaparse';
import { VmscopeError } from './errors';
import { type Region, type Snapshot, type SnapshotTruncation, type WorkingSet } from './model';
import {
  CSV_FIELDS,
  type CsvField,
  type MeasureKey,
  REGION_MEASURES,
  type RegionMeasure,
} from './regionFields';
import {
  HAS_ALLOCATION,
  NO_TYPE,
  type RegionColumns,
  columnsFromRegions,
  regionColumnsOf,
} from './snapshotColumns';

/** The header row's names, from the field catalog (regionFields.ts). */
export const SNAPSHOT_CSV_COLUMNS: readonly string[] = CSV_FIELDS.map((f) => f.key);

/** What a CSV row holds of a region. */
export type CsvRegion = Pick<
  Region,
  | 'base'
  | 'size'
  | 'allocationBase'
  | 'state'
  | 'protect'
  | 'type'
  | 'kind'
  | 'committed'
  | 'workingSet'
  | 'path'
>;

export function csvRegion(r: Region): CsvRegion {
  return {
    base: r.base,
    size: r.size,
    allocationBase: r.allocationBase,
    state: r.state,
    protect: r.protect,
    type: r.type,
    kind: r.kind,
    committed: r.committed,
    workingSet: { ...r.workingSet },
    path: r.path,
  };
}

/** RFC 4180: a cell with a comma, a quote, a line break or an edge space is quoted, quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]|^ | $/;

function text(value: string | null): string {
  if (value === null) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The whole document: the header row, one row per region, each line ended by CRLF. Written by
 * hand rather than with Papa.unparse: only two columns are free text, and for 60,000 regions
 * unparse's per-cell checks were most of the CLI's CSV time. Reading uses papaparse.
 */
export function snapshotToCsv(regions: readonly Region[], truncated?: SnapshotTruncation): string {
  const csv = new TextDecoder().decode(
    regionColumnsToCsv(columnsFromRegions(regions, { extras: false })),
  );
  return truncated ? csv + truncationLine(truncated) : csv;
}

/**
 * The last line of a truncated snapshot's CSV, a `#` comment (readers that take comments skip
 * it; parseSnapshotCsv does): the rows stop short of the user range's top, and why.
 */
export function truncationLine(t: SnapshotTruncation): string {
  return `# truncated at ${t.at}: ${t.reason.replace(/[\r\n]+/g, ' ')}\r\n`;
}

/**
 * A snapshot's CSV as UTF-8 bytes, from its columns where it has them (the Linux source), so no
 * Region object and no string per cell is made.
 */
export function snapshotCsv(snapshot: Snapshot): Uint8Array {
  const csv = regionColumnsToCsv(
    regionColumnsOf(snapshot) ?? columnsFromRegions(snapshot.regions, { extras: false }),
  );
  if (!snapshot.truncated) return csv;
  const line = new TextEncoder().encode(truncationLine(snapshot.truncated));
  const out = new Uint8Array(csv.length + line.length);
  out.set(csv);
  out.set(line, csv.length);
  return out;
}

const COMMA = 44;
const ZERO = 48;
const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** The most a row needs besides its two free-text cells: 2 addresses, 7 numbers, 3 names, commas. */
const ROW_BYTES = 2 * 18 + 7 * 22 + 3 * 16 + 16;

/** Bytes written to a growing buffer. */
class ByteWriter {
  out = new Uint8Array(1 << 16);
  at = 0;
  private readonly encoder = new TextEncoder();

  reserve(bytes: number): void {
    if (this.at + bytes <= this.out.length) return;
    let size = this.out.length * 2;
    while (size < this.at + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.out.subarray(0, this.at));
    this.out = grown;
  }

  bytes(b: Uint8Array): void {
    this.out.set(b, this.at);
    this.at += b.length;
  }

  byte(c: number): void {
    this.out[this.at++] = c;
  }

  /** As `${v}` writes it: plain digits for a whole number of bytes (anything else, as text). */
  number(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) {
      this.bytes(this.encoder.encode(String(v)));
      return;
    }
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    const out = this.out;
    let x = v;
    for (let i = this.at + digits - 1; i >= this.at; i--) {
      const q = Math.floor(x / 10);
      out[i] = ZERO + (x - q * 10);
      x = q;
    }
    this.at += digits;
  }

  /** `0x` and lower-case hex without leading zeros, as addressHex writes it. */
  address(hi: number, lo: number): void {
    const out = this.out;
    out[this.at++] = ZERO;
    out[this.at++] = 120; // x
    if (hi !== 0) {
      this.hex(hi, false);
      this.hex(lo, true);
    } else this.hex(lo, false);
  }

  private hex(v: number, padded: boolean): void {
    let shift = 28;
    if (!padded) while (shift > 0 && v >>> shift === 0) shift -= 4;
    for (; shift >= 0; shift -= 4) this.out[this.at++] = HEX[(v >>> shift) & 15]!;
  }
}

/** Writes one field's cell of region i. */
type CellWriter = (w: ByteWriter, i: number) => void;

/** How each catalog field is written from the columns: by its cell kind, reading the column of its key. */
function cellWriter(
  field: CsvField,
  c: RegionColumns,
  text: (stringIndex: number) => Uint8Array | null,
): CellWriter {
  const encoder = new TextEncoder();
  switch (field.cell) {
    case 'address': {
      if (field.key === 'base') return (w, i) => w.address(c.baseHi[i]!, c.baseLo[i]!);
      return (w, i) => {
        if (c.flags[i]! & HAS_ALLOCATION) w.address(c.allocHi[i]!, c.allocLo[i]!);
      };
    }
    case 'bytes': {
      const column = c[field.key as MeasureKey];
      return (w, i) => w.number(column[i]!);
    }
    case 'name': {
      const column = c[field.key as 'state' | 'kind' | 'type'];
      const names = field.names!.map((n) => encoder.encode(n));
      return (w, i) => {
        if (column[i] !== NO_TYPE) w.bytes(names[column[i]!]!);
      };
    }
    case 'text': {
      const column = c[field.key as 'protect' | 'path'];
      return (w, i) => {
        const cell = text(column[i]!);
        if (cell) {
          // Room for the cell and the rest of the row's fixed-size cells.
          w.reserve(cell.length + ROW_BYTES);
          w.bytes(cell);
        }
      };
    }
  }
}

function regionColumnsToCsv(c: RegionColumns): Uint8Array {
  const encoder = new TextEncoder();
  // Each distinct string is quoted and encoded once.
  const cells: (Uint8Array | undefined)[] = new Array(c.strings.length);
  const cell = (i: number): Uint8Array | null =>
    i < 0 ? null : (cells[i] ??= encoder.encode(text(c.strings[i]!)));
  const writers = CSV_FIELDS.map((f) => cellWriter(f, c, cell));
  const w = new ByteWriter();
  w.reserve(256);
  w.bytes(encoder.encode(`${SNAPSHOT_CSV_COLUMNS.join(',')}\r\n`));
  for (let i = 0; i < c.count; i++) {
    w.reserve(ROW_BYTES);
    for (let f = 0; f < writers.length; f++) {
      if (f > 0) w.byte(COMMA);
      writers[f]!(w, i);
    }
    w.byte(13);
    w.byte(10);
  }
  return w.out.subarray(0, w.at);
}

const ADDRESS = /^0x[0-9a-f]+$/;

function malformed(line: number, why: string): VmscopeError {
  return new VmscopeError('malformed-file', `Snapshot CSV line ${line}: ${why}.`);
}

const MEASURE_BY_KEY = new Map<string, RegionMeasure>(REGION_MEASURES.map((m) => [m.key, m]));

/** One cell as its catalog field says it is written; anything else is a `malformed-file` error. */
function readCell(field: CsvField, v: string, line: number): string | number | null {
  if (v === '' && field.nullable) return null;
  switch (field.cell) {
    case 'bytes':
      if (!/^\d+$/.test(v))
        throw malformed(line, `${field.key} must be a whole number of bytes, got "${v}"`);
      return Number(v);
    case 'address':
      if (!ADDRESS.test(v))
        throw malformed(line, `${field.key} must be a 0x hex address, got "${v}"`);
      return v;
    case 'name':
      if (!field.names!.includes(v))
        throw malformed(line, `${field.key} "${v}" is not one of ${field.names!.join(', ')}`);
      return v;
    case 'text':
      return v;
  }
}

/** Reads a snapshot CSV back; any cell that is not what the format says is a `malformed-file` error. */
export function parseSnapshotCsv(text: string): CsvRegion[] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true, comments: '#' });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    throw malformed((e.row ?? 0) + 1, e.message);
  }
  const [header, ...rows] = parsed.data;
  if (header?.join(',') !== SNAPSHOT_CSV_COLUMNS.join(',')) {
    throw malformed(1, `the header must be ${SNAPSHOT_CSV_COLUMNS.join(',')}`);
  }
  return rows.map((row, i) => {
    const line = i + 2;
    if (row.length !== SNAPSHOT_CSV_COLUMNS.length)
      throw malformed(line, `expected ${SNAPSHOT_CSV_COLUMNS.length} cells, got ${row.length}`);
    // Each cell by its catalog entry, to where the catalog says it lives in a Region.
    const region: Record<string, unknown> = {};
    const workingSet: Partial<WorkingSet> = {};
    CSV_FIELDS.forEach((field, c) => {
      const value = readCell(field, row[c]!, line);
      const inWorkingSet = MEASURE_BY_KEY.get(field.key)?.workingSetKey;
      if (inWorkingSet) workingSet[inWorkingSet] = value as number;
      else region[field.key] = value;
    });
    region['workingSet'] = workingSet;
    return region as unknown as CsvRegion;
  });
}
