import { formatBytes } from '../../../../shared/format';
import type { SeriesKey, SeriesRow } from '../../../../shared/series';
import type { TimedRow } from './chartTypes';

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
export const PROCESS_COLORS = [
  '#2f6fde',
  '#d9480f',
  '#2b8a3e',
  '#7b61ff',
  '#c2255c',
  '#0c8599',
  '#e67700',
  '#5c940d',
];

export const formatRate = (perSecond: number): string =>
  perSecond >= 10_000
    ? `${(perSecond / 1000).toFixed(0)}k/s`
    : `${perSecond.toFixed(perSecond < 10 ? 1 : 0)}/s`;

export function formatterFor(key: SeriesKey): (value: number) => string {
  return key === 'softFaultsPerSec' || key === 'hardFaultsPerSec' ? formatRate : formatBytes;
}

const accessors = new Map<SeriesKey, (row: TimedRow) => number | null>();

/** A series' value in a row: one function per key, so a chart can tell when a line's data is the same. */
export function seriesValue(key: SeriesKey): (row: TimedRow) => number | null {
  let accessor = accessors.get(key);
  if (!accessor) {
    accessor = (row) => (row as SeriesRow)[key];
    accessors.set(key, accessor);
  }
  return accessor;
}

/** One formatter for every label: toLocaleTimeString builds a new one on each call (about 1 ms). */
const clock = new Intl.DateTimeFormat([], {
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** hh:mm:ss in the viewer's locale, 24-hour. */
export const formatClock = (time: number): string => clock.format(time);
