import { formatBytes } from '../../../../shared/format';
import type { SeriesKey } from '../../../../shared/series';

/**
 * Points LTTB keeps per series: about one per two pixels of a wide chart, which looks the same
 * as more, while recharts' cost grows with every row it is given.
 */
export const DRAW_POINTS = 600;

export interface LineSpec {
  key: SeriesKey;
  name: string;
  color: string;
  /** Peaks are drawn dashed, so they read as a bound rather than as a series of their own. */
  dashed?: boolean;
}

export const MEMORY_LINES: LineSpec[] = [
  { key: 'workingSet', name: 'Working set', color: '#2f6fde' },
  { key: 'peakWorkingSet', name: 'Peak working set', color: '#7fa7ee', dashed: true },
  { key: 'privateBytes', name: 'Private bytes', color: '#d9480f' },
  { key: 'peakPrivateBytes', name: 'Peak private bytes', color: '#f08c5a', dashed: true },
  { key: 'virtualSize', name: 'Virtual size', color: '#7b61ff' },
];

export const FAULT_LINES: LineSpec[] = [
  { key: 'softFaultsPerSec', name: 'Soft faults/s', color: '#2b8a3e' },
  { key: 'hardFaultsPerSec', name: 'Hard faults/s', color: '#c92a2a' },
];

export const ALL_LINES = [...MEMORY_LINES, ...FAULT_LINES];

/** Colours for one line per process when processes share a chart. */
export const PROCESS_COLORS = ['#2f6fde', '#d9480f', '#2b8a3e', '#7b61ff', '#c2255c', '#0c8599', '#e67700', '#5c940d'];

export const formatRate = (perSecond: number): string =>
  perSecond >= 10_000 ? `${(perSecond / 1000).toFixed(0)}k/s` : `${perSecond.toFixed(perSecond < 10 ? 1 : 0)}/s`;

export function formatterFor(key: SeriesKey): (value: number) => string {
  return key === 'softFaultsPerSec' || key === 'hardFaultsPerSec' ? formatRate : formatBytes;
}

/** hh:mm:ss in the viewer's locale, 24-hour. */
export const formatClock = (time: number): string => new Date(time).toLocaleTimeString([], { hour12: false });
