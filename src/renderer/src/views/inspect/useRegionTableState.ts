import { useMemo, useState } from 'react';
import type { Allocation } from '../../../../shared/allocations';
import type { RegionKind } from '../../../../shared/model';
import type { RegionList } from '../../../../shared/regionList';
import { parseUserAddress } from '../../../../shared/address';
import { regionAtAddress } from '../../../../shared/regionAtAddress';
import {
  NO_FILTER,
  type RegionFilter,
  isNoFilter,
  matchRegions,
} from '../../../../shared/regionFilter';
import {
  type RegionRow,
  type RowSort,
  type SortKey,
  buildRows,
} from '../../../../shared/regionRows';
import { useStableCallback } from '../../useStableCallback';
import { type Selection, useSelection } from './useSelection';

/** The region table's view state: filter, sort, expanded allocations, rows, selection and focus. */
export interface RegionTableState {
  filter: RegionFilter;
  setFilter: (filter: RegionFilter) => void;
  /** Some filter is set (the toolbar offers to clear it). */
  filtering: boolean;
  /** Per region, 1 where it matches the filter; null when nothing is filtered. */
  matches: Uint8Array | null;
  sort: RowSort;
  onSort: (key: SortKey) => void;
  expanded: ReadonlySet<number>;
  toggle: (allocation: number) => void;
  expandAll: () => void;
  collapseAll: () => void;
  rows: RegionRow[];
  selection: Selection;
  /** The region of the focused row (an allocation's first region), or null. */
  focusRegion: number | null;
  /** Selects a region picked on the address map, expanding its allocation when it has several. */
  selectFromMap: (region: number) => void;
  /**
   * Go to address: when the text is an address, selects the region that holds it (a free block
   * too), expanding its allocation. False when it is no address or lies in no region.
   */
  goToAddress: (text: string) => boolean;
  /** Filters to one kind (null: every kind), from the summary pane. */
  onKind: (kind: RegionKind | null) => void;
  /** The selected rows, in table order. */
  selectedRows: () => RegionRow[];
}

export function useRegionTableState(
  regions: RegionList,
  allocations: readonly Allocation[],
  regionToAllocation: Int32Array,
): RegionTableState {
  const [filter, setFilter] = useState<RegionFilter>(NO_FILTER);
  const [sort, setSort] = useState<RowSort>({ key: 'address', descending: false });
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const filtering = !isNoFilter(filter);
  const matches = useMemo(() => matchRegions(regions, filter), [regions, filter]);
  const rows = useMemo(
    () => buildRows(regions, allocations, matches ? (i) => matches[i] === 1 : null, sort, expanded),
    [regions, allocations, matches, sort, expanded],
  );
  const selection = useSelection(rows);

  const focusRow = selection.focus !== null ? rows[selection.focus] : undefined;
  const focusRegion = focusRow
    ? focusRow.type === 'region'
      ? focusRow.region
      : allocations[focusRow.allocation]!.first
    : null;

  const toggle = (allocation: number): void => {
    const next = new Set(expanded);
    if (next.has(allocation)) next.delete(allocation);
    else next.add(allocation);
    setExpanded(next);
  };
  const onSort = (key: SortKey): void =>
    setSort((s) =>
      s.key === key
        ? { key, descending: !s.descending }
        : {
            key,
            descending:
              key !== 'address' &&
              key !== 'kind' &&
              key !== 'protect' &&
              key !== 'state' &&
              key !== 'details',
          },
    );

  const selectFromMap = useStableCallback((region: number): void => {
    const allocation = regionToAllocation[region]!;
    if (allocations[allocation]!.count > 1) {
      if (!expanded.has(allocation)) setExpanded(new Set([...expanded, allocation]));
      selection.selectKey(`r${region}`);
    } else {
      selection.selectKey(`a${allocation}`);
    }
  });
  const goToAddress = useStableCallback((text: string): boolean => {
    const address = parseUserAddress(text);
    const region = address === null ? -1 : regionAtAddress(regions, address);
    if (region < 0) return false;
    selectFromMap(region);
    return true;
  });
  const onKind = useStableCallback((kind: RegionKind | null) =>
    setFilter({ ...filter, kinds: kind ? new Set([kind]) : null }),
  );

  const selectedRows = (): typeof rows =>
    [...selection.indices].sort((a, b) => a - b).map((i) => rows[i]!);
  const expandAll = (): void =>
    setExpanded(new Set(allocations.map((_, i) => i).filter((i) => allocations[i]!.count > 1)));
  const collapseAll = (): void => setExpanded(new Set());

  return {
    filter,
    setFilter,
    filtering,
    matches,
    sort,
    onSort,
    expanded,
    toggle,
    expandAll,
    collapseAll,
    rows,
    selection,
    focusRegion,
    selectFromMap,
    goToAddress,
    onKind,
    selectedRows,
  };
}
