import type { Allocation } from './allocations';
import type { Region } from './model';

/**
 * The region table's rows: VMMap's tree flattened. An allocation of one region is a single row;
 * a larger one is a header row followed, when expanded, by its regions (those the filter keeps).
 */
export type RegionRow =
  | { type: 'allocation'; allocation: number; regions: number[]; expandable: boolean }
  | { type: 'region'; allocation: number; region: number };

export const SORT_KEYS = [
  'address',
  'kind',
  'size',
  'committed',
  'wsTotal',
  'wsPrivate',
  'wsShareable',
  'wsShared',
  'wsLocked',
  'protect',
  'state',
  'blocks',
  'details',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface RowSort {
  key: SortKey;
  descending: boolean;
}

function sortValue(a: Allocation, regions: readonly Region[], key: SortKey): number | string {
  const first = regions[a.first]!;
  switch (key) {
    case 'address':
      return a.first;
    case 'kind':
      return a.kind;
    case 'size':
      return a.size;
    case 'committed':
      return a.committed;
    case 'wsTotal':
      return a.wsTotal;
    case 'wsPrivate':
      return a.wsPrivate;
    case 'wsShareable':
      return a.wsShareable;
    case 'wsShared':
      return a.wsShared;
    case 'wsLocked':
      return a.wsLocked;
    case 'protect':
      return first.allocationProtect ?? first.protect ?? '';
    case 'state':
      return first.state;
    case 'blocks':
      return a.count;
    case 'details':
      return first.path ?? first.details ?? '';
  }
}

/**
 * Rows for the current filter, sort and expansion. Allocations are sorted by the column
 * (address order breaks ties); the regions inside one stay in address order.
 */
export function buildRows(
  regions: readonly Region[],
  allocations: readonly Allocation[],
  /** Whether the filter keeps region i. */
  matches: (index: number) => boolean,
  sort: RowSort,
  expanded: ReadonlySet<number>,
): RegionRow[] {
  const kept: { allocation: number; regions: number[] }[] = [];
  for (let a = 0; a < allocations.length; a++) {
    const alloc = allocations[a]!;
    const inside: number[] = [];
    for (let i = alloc.first; i < alloc.first + alloc.count; i++) if (matches(i)) inside.push(i);
    if (inside.length > 0) kept.push({ allocation: a, regions: inside });
  }
  if (sort.key !== 'address' || sort.descending) {
    const values = new Map(kept.map((k) => [k.allocation, sortValue(allocations[k.allocation]!, regions, sort.key)]));
    const dir = sort.descending ? -1 : 1;
    kept.sort((x, y) => {
      const a = values.get(x.allocation)!;
      const b = values.get(y.allocation)!;
      const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
      return c !== 0 ? c * dir : x.allocation - y.allocation;
    });
  }
  const rows: RegionRow[] = [];
  for (const k of kept) {
    const expandable = allocations[k.allocation]!.count > 1;
    rows.push({ type: 'allocation', allocation: k.allocation, regions: k.regions, expandable });
    if (expandable && expanded.has(k.allocation)) {
      for (const region of k.regions) rows.push({ type: 'region', allocation: k.allocation, region });
    }
  }
  return rows;
}

/** The regions a set of selected rows covers, each once (an allocation row covers all of its kept regions). */
export function selectedRegions(rows: readonly RegionRow[], selected: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  for (const index of selected) {
    const row = rows[index];
    if (!row) continue;
    if (row.type === 'region') out.add(row.region);
    else for (const r of row.regions) out.add(r);
  }
  return out;
}
