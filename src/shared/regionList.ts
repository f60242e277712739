/**
 * A snapshot's regions as the inspector reads them: the columns (snapshotColumns.ts) for
 * everything that walks every region (allocations, map, filter, sort, summary), and a Region
 * object only for a region someone looks at (a row on screen, the details pane, a copy). Region
 * objects are built from the columns in blocks of BLOCK neighbours on first read and kept, so a
 * 120,000-region snapshot paints its table after building a few hundred of them, not all.
 */
import type { Region, Snapshot } from './model';
import {
  ADDRESS_COLUMNS,
  CODE_COLUMNS,
  NUMBER_COLUMNS,
  type RegionColumns,
  STRING_COLUMNS,
  columnsFromRegions,
  regionColumnsOf,
  regionsFromColumns,
} from './snapshotColumns';

/** What reads regions by index: a Region array or a RegionList. */
export interface RegionsLike {
  readonly length: number;
  at(index: number): Region | undefined;
}

export interface RegionList extends RegionsLike {
  readonly columns: RegionColumns;
  /** Region `index` (built on first read); an index out of range is undefined. */
  at(index: number): Region | undefined;
}

/** Regions built together on a miss: a screen of rows and its neighbours. */
const BLOCK = 256;

/** Rows [start, end) of `c` as views into its arrays (nothing copied). */
export function sliceColumns(c: RegionColumns, start: number, end: number): RegionColumns {
  const out: Record<string, unknown> = { count: end - start, strings: c.strings };
  for (const name of [...ADDRESS_COLUMNS, ...CODE_COLUMNS, ...NUMBER_COLUMNS, ...STRING_COLUMNS])
    out[name] = c[name].subarray(start, end);
  out['extras'] = c.extras.map((g) => ({
    name: g.name,
    fields: g.fields.map((f) => ({ ...f, column: f.column.subarray(start, end) })),
  }));
  return out as RegionColumns;
}

function listOfColumns(columns: RegionColumns): RegionList {
  const blocks: (Region[] | undefined)[] = new Array(Math.ceil(columns.count / BLOCK));
  return {
    columns,
    length: columns.count,
    at(index) {
      if (!(index >= 0 && index < columns.count)) return undefined;
      const b = Math.floor(index / BLOCK);
      let block = blocks[b];
      if (!block) {
        const start = b * BLOCK;
        block = blocks[b] = regionsFromColumns(
          sliceColumns(columns, start, Math.min(columns.count, start + BLOCK)),
        );
      }
      return block[index - b * BLOCK];
    },
  };
}

/** A Region array with its columns beside it (a snapshot opened from a file, a test's regions). */
export function regionListOf(regions: readonly Region[]): RegionList {
  return {
    columns: columnsFromRegions(regions, { extras: false }),
    length: regions.length,
    at: (index) => regions[index],
  };
}

const lists = new WeakMap<Snapshot, RegionList>();

/**
 * The snapshot's regions as a list, made once per snapshot: on the columns it was decoded to
 * (no Region built until read), or on its Region array.
 */
export function regionList(snapshot: Snapshot): RegionList {
  let list = lists.get(snapshot);
  if (!list) {
    const columns = regionColumnsOf(snapshot);
    list = columns ? listOfColumns(columns) : regionListOf(snapshot.regions);
    lists.set(snapshot, list);
  }
  return list;
}

/** A Region array's columns, or the columns themselves. */
export function columnsOf(regions: readonly Region[] | RegionColumns): RegionColumns {
  return Array.isArray(regions)
    ? columnsFromRegions(regions as readonly Region[], { extras: false })
    : (regions as RegionColumns);
}

const TWO_32 = 2 ** 32;

/** Region i's base as a double (exact below 2^53, within 2^12 of it above). */
export function baseNumber(c: RegionColumns, i: number): number {
  return c.baseHi[i]! * TWO_32 + c.baseLo[i]!;
}

/** Region i's base, exactly. */
export function baseBigint(c: RegionColumns, i: number): bigint {
  return (BigInt(c.baseHi[i]!) << 32n) | BigInt(c.baseLo[i]!);
}
