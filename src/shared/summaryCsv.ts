import Papa from 'papaparse';
import { SUMMARY_FIELDS } from './regionFields';
import type { KindSummary } from './summary';

export const SUMMARY_CSV_COLUMNS = ['kind', ...SUMMARY_FIELDS.map((f) => f.key)] as const;

/** The summary by kind as RFC 4180 CSV, plain bytes, the total row last. */
export function summaryToCsv(rows: readonly KindSummary[]): string {
  return `${Papa.unparse({ fields: [...SUMMARY_CSV_COLUMNS], data: rows.map((r) => SUMMARY_CSV_COLUMNS.map((c) => r[c])) }, { newline: '\r\n' })}\r\n`;
}
