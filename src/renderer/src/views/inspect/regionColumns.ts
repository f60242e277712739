import { displayAddress } from '../../../../shared/address';
import type { Allocation } from '../../../../shared/allocations';
import { formatBytes } from '../../../../shared/format';
import {
  REGION_KINDS,
  REGION_STATES,
  type Region,
  type RegionKind,
  type RegionState,
  type SourceId,
} from '../../../../shared/model';
import type { RegionList } from '../../../../shared/regionList';
import { addressHex } from '../../../../shared/snapshotColumns';
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
  /**
   * The cell's value for a row: the allocation's totals, or one region's, read from the
   * snapshot's columns by index (only the Linux extras build their region).
   */
  value: (
    row: RegionRow,
    regions: RegionList,
    allocations: readonly Allocation[],
  ) => string | number | null;
}

const sizeOf =
  (key: MeasureKey) =>
  (row: RegionRow, regions: RegionList, allocations: readonly Allocation[]): number =>
    row.type === 'region' ? regions.columns[key][row.region]! : allocations[row.allocation]![key];

/** A measure allocations do not carry: summed over the allocation's regions when shown. */
const summedOver =
  (region: (r: Region) => number) =>
  (row: RegionRow, regions: RegionList, allocations: readonly Allocation[]): number => {
    if (row.type === 'region') return region(regions.at(row.region)!);
    const a = allocations[row.allocation]!;
    let sum = 0;
    for (let i = a.first; i < a.first + a.count; i++) sum += region(regions.at(i)!);
    return sum;
  };

/** The region a row shows first: its own, or its allocation's first. */
export const firstIndex = (row: RegionRow, allocations: readonly Allocation[]): number =>
  row.type === 'region' ? row.region : allocations[row.allocation]!.first;

/** A string column's text at region i, or null. */
/** A string column's text at region `i`, or null. */
export const stringAt = (
  regions: RegionList,
  column: 'protect' | 'allocationProtect' | 'path' | 'details',
  i: number,
): string | null => {
  const s = regions.columns[column][i]!;
  return s < 0 ? null : regions.columns.strings[s]!;
};

/** Region i's state, read from its column. */
export const stateAt = (regions: RegionList, i: number): RegionState =>
  REGION_STATES[regions.columns.state[i]!]!;

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
      row.type === 'region'
        ? addressHex(regions.columns.baseHi[row.region]!, regions.columns.baseLo[row.region]!)
        : allocs[row.allocation]!.base,
  },
  {
    key: 'kind',
    label: 'Kind',
    width: 104,
    value: (row, regions, allocs): RegionKind =>
      row.type === 'region'
        ? REGION_KINDS[regions.columns.kind[row.region]!]!
        : allocs[row.allocation]!.kind,
  },
  ...REGION_MEASURES.map((m): Column => ({
    key: m.key,
    label: m.label,
    numeric: true,
    width: MEASURE_WIDTHS[m.key] ?? 72,
    hidden: !SHOWN_MEASURES.has(m.key),
    value: sizeOf(m.key),
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
      const i = firstIndex(row, allocs);
      return stringAt(
        regions,
        row.type === 'allocation' && row.expandable ? 'allocationProtect' : 'protect',
        i,
      );
    },
  },
  {
    key: 'state',
    label: 'State',
    width: 82,
    value: (row, regions, allocs) => stateAt(regions, firstIndex(row, allocs)),
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
      const i = firstIndex(row, allocs);
      return stringAt(regions, 'path', i) ?? stringAt(regions, 'details', i) ?? '';
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
  regions: RegionList,
  allocations: readonly Allocation[],
): string {
  const v = column.value(row, regions, allocations);
  if (v === null) return '';
  if (column.key === 'address') return displayAddress(String(v));
  if (column.key === 'kind') return kindLabel(v as Region['kind']);
  if (column.key === 'state') return stateLabel(v as Region['state']);
  if (column.key === 'details') {
    const i = firstIndex(row, allocations);
    const path = stringAt(regions, 'path', i);
    if (path !== null) return path;
    const details = stringAt(regions, 'details', i);
    return details === null ? '' : regionDetailsText(details).text;
  }
  if (column.numeric && column.key !== 'blocks') return formatBytes(v as number);
  return String(v);
}
