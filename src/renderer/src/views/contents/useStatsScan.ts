import { useMemo } from 'react';
import type { ContentStats } from '../../../../shared/memoryScan';
import { useScan } from './useScan';

const statsOf = (e: { stats: ContentStats[] }): ContentStats[] => e.stats;
/** Statistics count whole 4 KiB pages (src/core/contents/contentStats.ts). */
const PAGE = 4096;

/** Committed but zero: the bytes of pages read whole and found all zero. */
export const zeroBytes = (s: ContentStats): number => s.zeroPages * PAGE;

/**
 * The content statistics of one process, computed in the service (off the UI thread) with
 * progress: one scan shared by the Statistics tab and the summary's committed-but-zero tab, so
 * statistics computed in either show in both.
 */
export function useStatsScan() {
  const [state, start, cancel] = useScan('region.stats', statsOf);
  // One value while nothing changes, so the memoized summary pane that shows it stays put.
  return useMemo(() => [state, start, cancel] as const, [state, start, cancel]);
}

export type StatsScan = ReturnType<typeof useStatsScan>;
