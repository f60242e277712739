/**
 * The snapshot as CSV: one row per region, the columns below, numbers in plain bytes, addresses as
 * `0x` hex, empty cells for nulls, quoting and CRLF line ends per RFC 4180. The CLI
 * writes it and the UI exports it; docs/snapshot-format.md is its public description.
 */
import Papa from 'papaparse';
import { VmscopeError } from './errors';
import {
  REGION_KINDS,
  REGION_STATES,
  REGION_TYPES,
  type Region,
  type RegionKind,
  type RegionState,
  type RegionType,
} from './model';

export const SNAPSHOT_CSV_COLUMNS = [
  'base',
  'size',
  'allocationBase',
  'state',
  'protect',
  'type',
  'kind',
  'committed',
  'wsTotal',
  'wsPrivate',
  'wsShareable',
  'wsShared',
  'wsLocked',
  'path',
] as const;

/** What a CSV row holds of a region. */
export type CsvRegion = Pick<
  Region,
  'base' | 'size' | 'allocationBase' | 'state' | 'protect' | 'type' | 'kind' | 'committed' | 'workingSet' | 'path'
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
export function snapshotToCsv(regions: readonly Region[]): string {
  const lines = new Array<string>(regions.length + 2);
  lines[0] = SNAPSHOT_CSV_COLUMNS.join(',');
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i]!;
    const ws = r.workingSet;
    lines[i + 1] =
      `${r.base},${r.size},${r.allocationBase ?? ''},${r.state},${text(r.protect)},${r.type ?? ''},${r.kind},` +
      `${r.committed},${ws.total},${ws.private},${ws.shareable},${ws.shared},${ws.locked},${text(r.path)}`;
  }
  lines[regions.length + 1] = '';
  return lines.join('\r\n');
}

const ADDRESS = /^0x[0-9a-f]+$/;

function malformed(line: number, why: string): VmscopeError {
  return new VmscopeError('malformed-file', `Snapshot CSV line ${line}: ${why}.`);
}

/** Reads a snapshot CSV back; any cell that is not what the format says is a `malformed-file` error. */
export function parseSnapshotCsv(text: string): CsvRegion[] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
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
    if (row.length !== SNAPSHOT_CSV_COLUMNS.length) throw malformed(line, `expected ${SNAPSHOT_CSV_COLUMNS.length} cells, got ${row.length}`);
    const cell = (c: number): string => row[c]!;
    const bytes = (c: number): number => {
      const v = cell(c);
      if (!/^\d+$/.test(v)) throw malformed(line, `${SNAPSHOT_CSV_COLUMNS[c]} must be a whole number of bytes, got "${v}"`);
      return Number(v);
    };
    const address = (c: number, nullable: boolean): string | null => {
      const v = cell(c);
      if (v === '' && nullable) return null;
      if (!ADDRESS.test(v)) throw malformed(line, `${SNAPSHOT_CSV_COLUMNS[c]} must be a 0x hex address, got "${v}"`);
      return v;
    };
    const oneOf = <T extends string>(c: number, allowed: readonly T[], nullable: boolean): T | null => {
      const v = cell(c);
      if (v === '' && nullable) return null;
      if (!(allowed as readonly string[]).includes(v)) throw malformed(line, `${SNAPSHOT_CSV_COLUMNS[c]} "${v}" is not one of ${allowed.join(', ')}`);
      return v as T;
    };
    return {
      base: address(0, false)!,
      size: bytes(1),
      allocationBase: address(2, true),
      state: oneOf<RegionState>(3, REGION_STATES, false)!,
      protect: cell(4) === '' ? null : cell(4),
      type: oneOf<RegionType>(5, REGION_TYPES, true),
      kind: oneOf<RegionKind>(6, REGION_KINDS, false)!,
      committed: bytes(7),
      workingSet: { total: bytes(8), private: bytes(9), shareable: bytes(10), shared: bytes(11), locked: bytes(12) },
      path: cell(13) === '' ? null : cell(13),
    };
  });
}
