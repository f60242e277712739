/**
 * A process's samples as chart rows: the byte counters, their peaks, and page faults per second
 * derived from the deltas of the cumulative fault counts. Pure, shared by the UI and the CLI.
 */
import type { Sample } from './model';

export interface SeriesRow {
  /** Milliseconds since the Unix epoch (the sample's monotonic-derived time). */
  time: number;
  workingSet: number;
  /** The source's peak (Windows PeakWorkingSetSize, Linux VmHWM); null where unknown. */
  peakWorkingSet: number | null;
  privateBytes: number;
  /** The source's peak commit where it has one, else the highest private bytes seen so far. */
  peakPrivateBytes: number;
  virtualSize: number;
  /** Page faults of every kind per second since the previous sample; null on the first row. */
  faultsPerSec: number | null;
  /** Faults resolved without I/O; null where the source cannot tell soft from hard. */
  softFaultsPerSec: number | null;
  /** Faults that needed I/O; null where the source cannot tell. */
  hardFaultsPerSec: number | null;
}

/** The numeric series of a row, by name: what charts toggle and what the CSV exports. */
export const SERIES_KEYS = [
  'workingSet',
  'peakWorkingSet',
  'privateBytes',
  'peakPrivateBytes',
  'virtualSize',
  'softFaultsPerSec',
  'hardFaultsPerSec',
] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

function perSecond(now: number | null, before: number | null, seconds: number): number | null {
  if (now === null || before === null || seconds <= 0) return null;
  // A counter that goes backwards (pid reuse, wrap) gives no rate rather than a negative one.
  return now >= before ? (now - before) / seconds : null;
}

/** The row for `sample`, given the previous sample and row of the same process (null at the start). */
export function nextRow(
  sample: Sample,
  previous: { sample: Sample; row: SeriesRow } | null,
): SeriesRow {
  const c = sample.counters;
  const before = previous?.sample.counters ?? null;
  const seconds = previous ? (sample.time - previous.sample.time) / 1000 : 0;
  const seenPeak = Math.max(c.privateUsage, previous?.row.peakPrivateBytes ?? 0);
  const hard = before ? perSecond(c.hardFaultCount, before.hardFaultCount, seconds) : null;
  const all = before ? perSecond(c.pageFaultCount, before.pageFaultCount, seconds) : null;
  const soft = before
    ? c.softFaultCount !== null
      ? perSecond(c.softFaultCount, before.softFaultCount, seconds)
      : hard !== null && all !== null
        ? Math.max(0, all - hard)
        : null
    : null;
  return {
    time: sample.time,
    workingSet: c.workingSetSize,
    peakWorkingSet: c.peakWorkingSetSize,
    privateBytes: c.privateUsage,
    peakPrivateBytes: c.peakPagefileUsage ?? seenPeak,
    virtualSize: c.virtualSize,
    faultsPerSec: all,
    softFaultsPerSec: soft,
    hardFaultsPerSec: hard,
  };
}

/** Rows for a whole series of one process's samples, in time order. */
export function toSeriesRows(samples: readonly Sample[]): SeriesRow[] {
  const rows: SeriesRow[] = [];
  let previous: { sample: Sample; row: SeriesRow } | null = null;
  for (const sample of samples) {
    const row = nextRow(sample, previous);
    rows.push(row);
    previous = { sample, row };
  }
  return rows;
}

/** The index range [start, end) of the rows whose time lies in [from, to] (rows in time order), by binary search. */
export function rangeIndices(
  rows: readonly { time: number }[],
  range: readonly [number, number] | null,
): [number, number] {
  if (!range) return [0, rows.length];
  /** The first index whose time is past `t` (or at it, when `inclusive` is false). */
  const search = (t: number, inclusive: boolean): number => {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const time = rows[mid]!.time;
      if (time < t || (inclusive && time === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [search(range[0], false), search(range[1], true)];
}
