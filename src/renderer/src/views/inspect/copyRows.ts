import Papa from 'papaparse';
import type { Allocation } from '../../../../shared/allocations';
import type { RegionList } from '../../../../shared/regionList';
import type { RegionRow } from '../../../../shared/regionRows';
import { columnLabel } from './kindColors';
import { type Column, cellText } from './regionColumns';

/** Selected rows as tab-separated text, the shown columns as they read on screen (for pasting into a message). */
export function rowsAsText(
  rows: RegionRow[],
  regions: RegionList,
  allocations: readonly Allocation[],
  columns: readonly Column[],
): string {
  const lines = [columns.map((c) => columnLabel(c.key)).join('\t')];
  for (const row of rows)
    lines.push(columns.map((c) => cellText(c, row, regions, allocations)).join('\t'));
  return `${lines.join('\n')}\n`;
}

/** Selected rows as RFC 4180 CSV with exact bytes (for a spreadsheet). */
export function rowsAsCsv(
  rows: RegionRow[],
  regions: RegionList,
  allocations: readonly Allocation[],
  columns: readonly Column[],
): string {
  return `${Papa.unparse({
    fields: columns.map((c) => c.key),
    data: rows.map((row) => columns.map((c) => c.value(row, regions, allocations) ?? '')),
  })}\r\n`;
}
