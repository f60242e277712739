/** CSV of watched samples, one row per sample: the CLI prints it and the UI downloads it. */
import Papa from 'papaparse';
import type { Sample } from './model';
import type { SeriesRow } from './series';

export const SERIES_CSV_COLUMNS = [
  'pid',
  'time',
  'workingSetSize',
  'peakWorkingSetSize',
  'privateUsage',
  'peakPrivateUsage',
  'virtualSize',
  'pageFaultCount',
  'softFaultCount',
  'hardFaultCount',
  'softFaultsPerSec',
  'hardFaultsPerSec',
] as const;

const rate = (value: number | null): string => (value === null ? '' : value.toFixed(1));

function cells(sample: Sample, row: SeriesRow): (string | number)[] {
  const c = sample.counters;
  return [
    sample.pid,
    new Date(sample.time).toISOString(),
    c.workingSetSize,
    c.peakWorkingSetSize ?? '',
    c.privateUsage,
    row.peakPrivateBytes,
    c.virtualSize,
    c.pageFaultCount,
    c.softFaultCount ?? '',
    c.hardFaultCount ?? '',
    rate(row.softFaultsPerSec),
    rate(row.hardFaultsPerSec),
  ];
}

export function seriesCsvHeader(): string {
  return Papa.unparse([[...SERIES_CSV_COLUMNS]]);
}

/** One CSV line (no newline) for a sample and its derived row. */
export function seriesCsvLine(sample: Sample, row: SeriesRow): string {
  return Papa.unparse([cells(sample, row)]);
}

/** A whole CSV document: header, then the rows of every series in the order given. */
export function seriesCsv(
  series: readonly { samples: readonly Sample[]; rows: readonly SeriesRow[] }[],
): string {
  const data: (string | number)[][] = [];
  for (const { samples, rows } of series) samples.forEach((s, i) => data.push(cells(s, rows[i]!)));
  return `${Papa.unparse({ fields: [...SERIES_CSV_COLUMNS], data })}\n`;
}
