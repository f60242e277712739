import Papa from 'papaparse';
import type { Allocation } from '../../../../shared/allocations';
import type { Region } from '../../../../shared/model';
import type { RegionRow } from '../../../../shared/regionRows';
import { COLUMNS, cellText } from './RegionTable';

/** Selected rows as tab-separated text, as they read on screen (for pasting into a message). */
export function rowsAsText(
  rows: RegionRow[],
  regions: readonly Region[],
  allocations: readonly Allocation[],
): string {
  const lines = [COLUMNS.map((c) => c.label).join('\t')];
  for (const row of rows)
    lines.push(COLUMNS.map((c) => cellText(c, row, regions, allocations)).join('\t'));
  return `${lines.join('\n')}\n`;
}

/** Selected rows as RFC 4180 CSV with exact bytes (for a spreadsheet). */
export function rowsAsCsv(
  rows: RegionRow[],
  regions: readonly Region[],
  allocations: readonly Allocation[],
): string {
  return `${Papa.unparse({
    fields: COLUMNS.map((c) => c.key),
    data: rows.map((row) => COLUMNS.map((c) => c.value(row, regions, allocations) ?? '')),
  })}\r\n`;
}
