import Papa from 'papaparse';
import type { KindSummary } from './summary';

export const SUMMARY_CSV_COLUMNS = [
  'kind',
  'size',
  'committed',
  'private',
  'wsTotal',
  'wsPrivate',
  'wsShareable',
  'wsShared',
  'wsLocked',
  'blocks',
  'largestBlock',
] as const;

/** The summary by kind as RFC 4180 CSV, plain bytes, the total row last. */
export function summaryToCsv(rows: readonly KindSummary[]): string {
  return `${Papa.unparse({ fields: [...SUMMARY_CSV_COLUMNS], data: rows.map((r) => SUMMARY_CSV_COLUMNS.map((c) => r[c])) }, { newline: '\r\n' })}\r\n`;
}
