import type { Allocation } from './allocations';
import { REGION_STATES } from './model';
import type { RegionList } from './regionList';
import {
  LINUX_MEASURES,
  type LinuxMeasureKey,
  MEASURE_KEYS,
  type MeasureKey,
} from './regionFields';

/**
 * The region table's rows: VMMap's tree flattened. An allocation of one region is a single row;
 * a larger one is a header row followed, when expanded, by its regions (those the filter keeps).
 */
export type RegionRow =
  | { type: 'allocation'; allocation: number; regions: number[]; expandable: boolean }
  | { type: 'region'; allocation: number; region: number };

export type SortKey =
  'address' | 'kind' | MeasureKey | LinuxMeasureKey | 'protect' | 'state' | 'blocks' | 'details';
/**
 * The columns sorted ahead when idle, in table order. The Linux-only measures are left out: their
 * values live in each region's smaps extras, which are built only when read, so they sort on demand.
 */
export const SORT_KEYS: readonly SortKey[] = [
  'address',
  'kind',
  ...MEASURE_KEYS,
  'protect',
  'state',
  'blocks',
  'details',
];
export interface RowSort {
  key: SortKey;
  descending: boolean;
}

/** A column's value for an allocation, read from the columns (the Linux extras from its regions). */
function sortValue(a: Allocation, regions: RegionList, key: SortKey): number | string {
  const c = regions.columns;
  const first = a.first;
  const text = (...indices: number[]): string => {
    for (const s of indices) if (s >= 0) return c.strings[s]!;
    return '';
  };
  switch (key) {
    case 'address':
      return a.first;
    case 'kind':
      return a.kind;
    case 'protect':
      return text(c.allocationProtect[first]!, c.protect[first]!);
    case 'state':
      return REGION_STATES[c.state[first]!]!;
    case 'blocks':
      return a.count;
    case 'details':
      return text(c.path[first]!, c.details[first]!);
    case 'pss':
    case 'swap': {
      const measure = LINUX_MEASURES.find((m) => m.key === key)!;
      let sum = 0;
      for (let i = a.first; i < a.first + a.count; i++) sum += measure.value(regions.at(i)!);
      return sum;
    }
    default:
      // A measure: the allocation's sum.
      return a[key];
  }
}

/**
 * One number per allocation that orders like the column: the value itself, or for text columns
 * its rank among the column's distinct strings, so sorting compares numbers, never strings.
 */
function sortKeys(
  regions: RegionList,
  allocations: readonly Allocation[],
  key: SortKey,
): Float64Array {
  const keys = new Float64Array(allocations.length);
  const values = allocations.map((a) => sortValue(a, regions, key));
  if (values.every((v) => typeof v === 'number')) {
    keys.set(values as number[]);
    return keys;
  }
  const collator = new Intl.Collator();
  const rank = new Map(
    [...new Set(values.map(String))].sort(collator.compare).map((text, i) => [text, i]),
  );
  values.forEach((v, i) => (keys[i] = rank.get(String(v))!));
  return keys;
}

export interface ColumnOrder {
  /** Allocation indices in ascending column order, address order breaking ties. */
  order: Uint32Array;
  /** The sort key per allocation; null for the address column (the order is the identity). */
  keys: Float64Array | null;
}

/** Sorted once per allocation list and column; a later sort on the same column is a walk. */
const orders = new WeakMap<readonly Allocation[], Map<SortKey, ColumnOrder>>();

/** The column's order, sorted on first use; call it ahead, when idle, so the first click on a header is fast. */
export function columnOrder(
  regions: RegionList,
  allocations: readonly Allocation[],
  key: SortKey,
): ColumnOrder {
  let byKey = orders.get(allocations);
  if (!byKey) orders.set(allocations, (byKey = new Map()));
  let found = byKey.get(key);
  if (!found) {
    const order = new Uint32Array(allocations.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const keys = key === 'address' ? null : sortKeys(regions, allocations, key);
    if (keys) order.sort((x, y) => keys[x]! - keys[y]! || x - y);
    found = { order, keys };
    byKey.set(key, found);
  }
  return found;
}

/**
 * Rows for the current filter, sort and expansion. Allocations are sorted by the column
 * (address order breaks ties, also when descending); the regions inside one stay in address order.
 */
export function buildRows(
  regions: RegionList,
  allocations: readonly Allocation[],
  /** Whether the filter keeps region i; null keeps every region. */
  matches: ((index: number) => boolean) | null,
  sort: RowSort,
  expanded: ReadonlySet<number>,
): RegionRow[] {
  const { order, keys } = columnOrder(regions, allocations, sort.key);
  const rows: RegionRow[] = [];
  const n = order.length;
  const visit = (a: number): void => {
    const alloc = allocations[a]!;
    const end = alloc.first + alloc.count;
    let inside: number[];
    if (matches === null) {
      inside = new Array<number>(alloc.count);
      for (let i = alloc.first; i < end; i++) inside[i - alloc.first] = i;
    } else {
      inside = [];
      for (let i = alloc.first; i < end; i++) if (matches(i)) inside.push(i);
      if (inside.length === 0) return;
    }
    const expandable = alloc.count > 1;
    rows.push({ type: 'allocation', allocation: a, regions: inside, expandable });
    if (expandable && expanded.has(a))
      for (const region of inside) rows.push({ type: 'region', allocation: a, region });
  };
  if (!sort.descending) {
    for (let i = 0; i < n; i++) visit(order[i]!);
  } else if (keys === null) {
    for (let i = n - 1; i >= 0; i--) visit(order[i]!);
  } else {
    // Descending: runs of equal keys from the end, each run still in address order.
    let hi = n;
    while (hi > 0) {
      let lo = hi - 1;
      while (lo > 0 && keys[order[lo - 1]!] === keys[order[hi - 1]!]) lo--;
      for (let i = lo; i < hi; i++) visit(order[i]!);
      hi = lo;
    }
  }
  return rows;
}

/** The regions a set of selected rows covers, each once (an allocation row covers all of its kept regions). */
export function selectedRegions(
  rows: readonly RegionRow[],
  selected: ReadonlySet<number>,
): Set<number> {
  const out = new Set<number>();
  for (const index of selected) {
    const row = rows[index];
    if (!row) continue;
    if (row.type === 'region') out.add(row.region);
    else for (const r of row.regions) out.add(r);
  }
  return out;
}
