import { displayAddress } from '../../../../shared/address';
import type { Allocation } from '../../../../shared/allocations';
import { formatBytes } from '../../../../shared/format';
import type { Region, SourceId } from '../../../../shared/model';
import { LINUX_MEASURES, type MeasureKey, REGION_MEASURES } from '../../../../shared/regionFields';
import type { RegionRow, SortKey } from '../../../../shared/regionRows';
import { regionDetailsText } from '../../i18n/engineText';
import { kindLabel, stateLabel } from './kindColors';

/** One column of the region table: what it shows and how wide it starts. */
export interface Column {
  key: SortKey;
  /** The English header (exports); the UI shows columnLabel(key), in its language. */
  label: string;
  numeric?: boolean;
  /** Default pixels; the one growing column takes its width as a minimum and the rest of the row. */
  width: number;
  grows?: boolean;
  /** Shown only for snapshots of this source. */
  only?: SourceId;
  /** Off until the user turns it on in the column menu. */
  hidden?: boolean;
  /** The cell's value for a row: the allocation's totals, or one region's. */
  value: (
    row: RegionRow,
    regions: readonly Region[],
    allocations: readonly Allocation[],
  ) => string | number | null;
}

const sizeOf =
  (alloc: MeasureKey, region: (r: Region) => number) =>
  (row: RegionRow, regions: readonly Region[], allocations: readonly Allocation[]): number =>
    row.type === 'region' ? region(regions[row.region]!) : allocations[row.allocation]![alloc];

/** A measure allocations do not carry: summed over the allocation's regions when shown. */
const summedOver =
  (region: (r: Region) => number) =>
  (row: RegionRow, regions: readonly Region[], allocations: readonly Allocation[]): number => {
    if (row.type === 'region') return region(regions[row.region]!);
    const a = allocations[row.allocation]!;
    let sum = 0;
    for (let i = a.first; i < a.first + a.count; i++) sum += region(regions[i]!);
    return sum;
  };

export const firstOf = (
  row: RegionRow,
  regions: readonly Region[],
  allocations: readonly Allocation[],
): Region => regions[row.type === 'region' ? row.region : allocations[row.allocation]!.first]!;

/**
 * The defaults fit Address to Details in a 1024-pixel window beside the details pane (a table of
 * about 760 pixels); the other working-set parts, Blocks and the Linux extras start hidden.
 */
const SHOWN_MEASURES: ReadonlySet<MeasureKey> = new Set(['size', 'committed', 'wsTotal']);
const MEASURE_WIDTHS: Partial<Record<MeasureKey, number>> = {
  size: 70,
  committed: 88,
  wsPrivate: 80,
  wsShareable: 96,
  wsShared: 80,
};

/** Every column in its default order. */
export const COLUMNS: readonly Column[] = [
  {
    key: 'address',
    label: 'Address',
    width: 132,
    value: (row, regions, allocs) =>
      row.type === 'region' ? regions[row.region]!.base : allocs[row.allocation]!.base,
  },
  {
    key: 'kind',
    label: 'Kind',
    width: 104,
    value: (row, regions, allocs) =>
      row.type === 'region' ? regions[row.region]!.kind : allocs[row.allocation]!.kind,
  },
  ...REGION_MEASURES.map((m): Column => ({
    key: m.key,
    label: m.label,
    numeric: true,
    width: MEASURE_WIDTHS[m.key] ?? 72,
    hidden: !SHOWN_MEASURES.has(m.key),
    value: sizeOf(m.key, m.value),
  })),
  ...LINUX_MEASURES.map((m): Column => ({
    key: m.key,
    label: m.label,
    numeric: true,
    width: 74,
    only: 'linux',
    hidden: true,
    value: summedOver(m.value),
  })),
  {
    key: 'protect',
    label: 'Protection',
    width: 124,
    value: (row, regions, allocs) => {
      const r = firstOf(row, regions, allocs);
      return row.type === 'allocation' && row.expandable ? r.allocationProtect : r.protect;
    },
  },
  {
    key: 'state',
    label: 'State',
    width: 82,
    value: (row, regions, allocs) => firstOf(row, regions, allocs).state,
  },
  {
    key: 'blocks',
    label: 'Blocks',
    numeric: true,
    width: 58,
    hidden: true,
    value: (row, _r, allocs) => (row.type === 'allocation' ? allocs[row.allocation]!.count : null),
  },
  {
    key: 'details',
    label: 'Details',
    width: 60,
    grows: true,
    value: (row, regions, allocs) => {
      const r = firstOf(row, regions, allocs);
      return r.path ?? r.details ?? '';
    },
  },
];

/** The columns a snapshot of `source` can show, in default order. */
export function columnsFor(source: SourceId): readonly Column[] {
  return COLUMNS.filter((c) => c.only === undefined || c.only === source);
}

/** A cell's text as shown. */
export function cellText(
  column: Column,
  row: RegionRow,
  regions: readonly Region[],
  allocations: readonly Allocation[],
): string {
  const v = column.value(row, regions, allocations);
  if (v === null) return '';
  if (column.key === 'address') return displayAddress(String(v));
  if (column.key === 'kind') return kindLabel(v as Region['kind']);
  if (column.key === 'state') return stateLabel(v as Region['state']);
  if (column.key === 'details') {
    const r = firstOf(row, regions, allocations);
    return r.path ?? (r.details === null ? '' : regionDetailsText(r.details).text);
  }
  if (column.numeric && column.key !== 'blocks') return formatBytes(v as number);
  return String(v);
}
