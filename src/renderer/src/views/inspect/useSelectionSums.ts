import { useMemo } from 'react';
import type { RegionList } from '../../../../shared/regionList';
import { type RegionRow, selectedRegions } from '../../../../shared/regionRows';

/** The regions under the selected rows and their totals, for the status line. */
export function useSelectionSums(
  regions: RegionList,
  rows: readonly RegionRow[],
  indices: ReadonlySet<number>,
) {
  const chosen = useMemo(() => selectedRegions(rows, indices), [rows, indices]);
  const sums = useMemo(() => {
    let size = 0;
    let committed = 0;
    let ws = 0;
    let priv = 0;
    const c = regions.columns;
    for (const i of chosen) {
      size += c.size[i]!;
      committed += c.committed[i]!;
      ws += c.wsTotal[i]!;
      priv += c.wsPrivate[i]!;
    }
    return { size, committed, ws, priv };
  }, [chosen, regions]);
  return { chosen, sums };
}
