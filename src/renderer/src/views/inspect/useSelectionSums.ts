import { useMemo } from 'react';
import type { Snapshot } from '../../../../shared/model';
import { type RegionRow, selectedRegions } from '../../../../shared/regionRows';

/** The regions under the selected rows and their totals, for the status line. */
export function useSelectionSums(
  regions: Snapshot['regions'],
  rows: readonly RegionRow[],
  indices: ReadonlySet<number>,
) {
  const chosen = useMemo(() => selectedRegions(rows, indices), [rows, indices]);
  const sums = useMemo(() => {
    let size = 0;
    let committed = 0;
    let ws = 0;
    let priv = 0;
    for (const i of chosen) {
      const r = regions[i]!;
      size += r.size;
      committed += r.committed;
      ws += r.workingSet.total;
      priv += r.workingSet.private;
    }
    return { size, committed, ws, priv };
  }, [chosen, regions]);
  return { chosen, sums };
}
