import { useEffect, useMemo, useState } from 'react';
import { type Allocation, groupAllocations } from '../../../../shared/allocations';
import { type Fragmentation, fragmentation } from '../../../../shared/fragmentation';
import type { Snapshot } from '../../../../shared/model';
import { baseProtection, searchIndex } from '../../../../shared/regionFilter';
import { type RegionList, regionList } from '../../../../shared/regionList';
import { SORT_KEYS, columnOrder } from '../../../../shared/regionRows';
import { type KindSummary, summarizeByKind } from '../../../../shared/summary';
import { traceMark } from '../../paintTrace';

/** What is worked out after the first paint: null until then. */
export interface SnapshotTotals {
  summary: KindSummary[];
  frag: Fragmentation;
  /** The base protections present, sorted: the protection filter's choices. */
  protections: string[];
}

/** What the inspector derives once per snapshot, whatever is filtered, sorted or selected. */
export interface SnapshotModel {
  regions: RegionList;
  allocations: Allocation[];
  /** For each region, the index of its allocation. */
  regionToAllocation: Int32Array;
  totals: SnapshotTotals | null;
}

/** While the page is idle, one piece per callback so none delays a frame for long. */
function whenIdle(work: (() => void)[]): () => void {
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
}

/**
 * The snapshot's regions (on its columns: no Region is built for the first paint) and
 * allocations, which the table and the map draw from; the summary, the filter's choices, the
 * search index and each column's sort order are worked out after that first paint, when idle
 * (for a whole snapshot, not for the part of one that is streamed).
 */
export function useSnapshotModel(snapshot: Snapshot, partial = false): SnapshotModel {
  const regions = regionList(snapshot);
  const allocations = useMemo(() => {
    const grouped = groupAllocations(regions.columns);
    traceMark('allocations');
    return grouped;
  }, [regions]);
  const regionToAllocation = useMemo(() => {
    const map = new Int32Array(regions.length);
    allocations.forEach((a, index) => map.fill(index, a.first, a.first + a.count));
    return map;
  }, [regions, allocations]);
  const [totals, setTotals] = useState<{ of: RegionList; totals: SnapshotTotals } | null>(null);

  useEffect(
    () =>
      // A part of a streamed snapshot is drawn, not summed or indexed: the whole one follows.
      partial
        ? undefined
        : whenIdle([
            () => {
              const c = regions.columns;
              const protections = [
                ...new Set(
                  Array.from(new Set(c.protect), (s) =>
                    baseProtection(s < 0 ? null : c.strings[s]!),
                  ),
                ),
              ].sort();
              setTotals({
                of: regions,
                totals: {
                  summary: summarizeByKind(c, allocations),
                  frag: fragmentation(c),
                  protections,
                },
              });
              traceMark('summary');
            },
            () => {
              searchIndex(regions);
              traceMark('index');
            },
            ...SORT_KEYS.map((key) => () => void columnOrder(regions, allocations, key)),
          ]),
    [regions, allocations, partial],
  );

  return {
    regions,
    allocations,
    regionToAllocation,
    totals: totals?.of === regions ? totals.totals : null,
  };
}
