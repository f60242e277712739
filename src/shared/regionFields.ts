/**
 * The region's fields, listed once: what each is called in the table, the CSV and the summary,
 * how it is read from a Region and whether it adds up. The table, the CSV, the kind summary, the
 * allocations (VMMap's tree), the diff and the summary pane all read this list; a new field is one
 * entry here. The byte measures come first: they are the numbers that are summed per allocation,
 * per kind and compared between snapshots.
 */
import {
  ALLOCATION_RULES,
  REGION_KINDS,
  REGION_STATES,
  REGION_TYPES,
  type Region,
  type WorkingSet,
} from './model';

/** A number of bytes of a region that adds up over regions (per allocation, per kind). */
export interface RegionMeasure<K extends string = string> {
  key: K;
  /** Column header in the region table and the summary pane. */
  label: string;
  value: (r: Region) => number;
  /** Part of the working set (compared together by the diff). */
  workingSet: boolean;
  /**
   * Where the measure lives in a Region: a field of `workingSet`, or (null) the Region field
   * named `key`. The CSV reader writes it there.
   */
  workingSetKey: keyof WorkingSet | null;
}

const regionMeasure = <K extends 'size' | 'committed'>(
  key: K,
  label: string,
): RegionMeasure<K> => ({
  key,
  label,
  value: (r) => r[key],
  workingSet: false,
  workingSetKey: null,
});

const workingSetMeasure = <K extends string>(
  key: K,
  label: string,
  field: keyof WorkingSet,
): RegionMeasure<K> => ({
  key,
  label,
  value: (r) => r.workingSet[field],
  workingSet: true,
  workingSetKey: field,
});

/** In table and CSV order. */
export const REGION_MEASURES = [
  regionMeasure('size', 'Size'),
  regionMeasure('committed', 'Committed'),
  workingSetMeasure('wsTotal', 'WS total', 'total'),
  workingSetMeasure('wsPrivate', 'WS private', 'private'),
  workingSetMeasure('wsShareable', 'WS shareable', 'shareable'),
  workingSetMeasure('wsShared', 'WS shared', 'shared'),
  workingSetMeasure('wsLocked', 'Locked', 'locked'),
] as const;

export type MeasureKey = (typeof REGION_MEASURES)[number]['key'];
export const MEASURE_KEYS = REGION_MEASURES.map((m) => m.key);
export const WORKING_SET_MEASURES = REGION_MEASURES.filter((m) => m.workingSet);

/** Sums of the measures over some regions. */
export type Measures = Record<MeasureKey, number>;

export function zeroMeasures(): Measures {
  return {
    size: 0,
    committed: 0,
    wsTotal: 0,
    wsPrivate: 0,
    wsShareable: 0,
    wsShared: 0,
    wsLocked: 0,
  };
}

/**
 * How a field is written in the CSV: `address` as 0x hex, `bytes` as plain digits, `name` as one
 * of `names`, `text` as free text (quoted when it must be). Null is an empty cell.
 */
export type CsvCell = 'address' | 'bytes' | 'name' | 'text';

export interface CsvField {
  /** The column's name in the CSV header (the Region field, or the measure's key). */
  key: string;
  cell: CsvCell;
  nullable: boolean;
  /** The allowed values of a `name` cell. */
  names?: readonly string[];
}

const bytes = (key: MeasureKey): CsvField => ({ key, cell: 'bytes', nullable: false });

/** The snapshot CSV's columns, in order (docs/snapshot-format.md). */
export const CSV_FIELDS: readonly CsvField[] = [
  { key: 'base', cell: 'address', nullable: false },
  bytes('size'),
  { key: 'allocationBase', cell: 'address', nullable: true },
  { key: 'state', cell: 'name', nullable: false, names: REGION_STATES },
  { key: 'protect', cell: 'text', nullable: true },
  { key: 'type', cell: 'name', nullable: true, names: REGION_TYPES },
  { key: 'kind', cell: 'name', nullable: false, names: REGION_KINDS },
  ...REGION_MEASURES.filter((m) => m.key !== 'size').map((m) => bytes(m.key)),
  { key: 'path', cell: 'text', nullable: true },
  // Last, so a file of the first version (without it) reads the same up to here.
  { key: 'allocationRule', cell: 'name', nullable: true, names: ALLOCATION_RULES },
];

/** A row of the summary by kind: the measures, plus what only adds up per kind. */
export interface SummaryField<K extends string = string> {
  key: K;
  label: string;
  /** A count, not bytes. */
  count?: boolean;
}

/** The summary's numbers in column order (the pane and summary CSV): committed private bytes after committed. */
export const SUMMARY_FIELDS = [
  REGION_MEASURES[0],
  REGION_MEASURES[1],
  { key: 'private', label: 'Private' },
  ...WORKING_SET_MEASURES,
  { key: 'blocks', label: 'Blocks', count: true },
  { key: 'largestBlock', label: 'Largest' },
] as const satisfies readonly SummaryField[];

/**
 * Bytes only the Linux source knows per region, read from its raw smaps facts (`region.linux`):
 * shown as optional table columns, never summed into the measures above (other sources have none).
 */
export const LINUX_MEASURES = [
  { key: 'pss', label: 'Pss', value: (r: Region): number => r.linux?.pss ?? 0 },
  { key: 'swap', label: 'Swap', value: (r: Region): number => r.linux?.swap ?? 0 },
] as const;

export type LinuxMeasureKey = (typeof LINUX_MEASURES)[number]['key'];
