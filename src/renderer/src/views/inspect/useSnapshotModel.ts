import { useEffect, useMemo } from 'react';
import { type Allocation, groupAllocations } from '../../../../shared/allocations';
import { type Fragmentation, fragmentation } from '../../../../shared/fragmentation';
import type { Snapshot } from '../../../../shared/model';
import { baseProtection, searchIndex } from '../../../../shared/regionFilter';
import { SORT_KEYS, columnOrder } from '../../../../shared/regionRows';
import { type KindSummary, summarizeByKind } from '../../../../shared/summary';

/** What the inspector derives once per snapshot, whatever is filtered, sorted or selected. */
export interface SnapshotModel {
  regions: Snapshot['regions'];
  allocations: Allocation[];
  /** For each region, the index of its allocation. */
  regionToAllocation: Int32Array;
  summary: KindSummary[];
  frag: Fragmentation;
  /** The base protections present, sorted: the protection filter's choices. */
  protections: string[];
}

/** The snapshot's derived data, and its search index and sort orders built while the page is idle. */
export function useSnapshotModel(regions: Snapshot['regions']): SnapshotModel {
  const allocations = useMemo(() => groupAllocations(regions), [regions]);
  const regionToAllocation = useMemo(() => {
    const map = new Int32Array(regions.length);
    allocations.forEach((a, index) => map.fill(index, a.first, a.first + a.count));
    return map;
  }, [regions, allocations]);
  const summary = useMemo(() => summarizeByKind(regions), [regions]);
  const frag = useMemo(() => fragmentation(regions), [regions]);
  const protections = useMemo(
    () => [...new Set(regions.map((r) => baseProtection(r.protect)))].sort(),
    [regions],
  );

  // While the page is idle after the first paint: the search's per-region index, then each
  // column's sort order, one piece per idle callback so none delays a frame for long.
  useEffect(() => {
    const work = [
      () => void searchIndex(regions),
      ...SORT_KEYS.map((key) => () => void columnOrder(regions, allocations, key)),
    ];
    let idle = 0;
    const next = (): void => {
      // The timeout: a page that is never idle still gets it done, a second late.
      idle = requestIdleCallback(
        () => {
          work.shift()?.();
          if (work.length > 0) next();
        },
        { timeout: 1000 },
      );
    };
    next();
    return () => cancelIdleCallback(idle);
  }, [regions, allocations]);

  return { regions, allocations, regionToAllocation, summary, frag, protections };
}
