/**
 * The rows of the ported table marked as Wine differences (`wine`), as the markdown table
 * docs/sandbox.md carries verbatim: fidelity.test.ts checks the docs hold exactly this, and the
 * cross-check under Wine (test/windows/liveSandbox.wine.ts) checks each marked row still differs.
 */
import { FIDELITY_TABLE } from './cases';

export interface WineMark {
  case: string;
  /** The row's index in its case. */
  step: number;
  op: string;
  source: string;
  reason: string;
}

export const WINE_MARKS: WineMark[] = FIDELITY_TABLE.flatMap((c) =>
  c.rows.flatMap((row, step) =>
    row.wine
      ? [{ case: c.name, step, op: row.step['op'] as string, source: row.source, reason: row.wine }]
      : [],
  ),
);

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The markdown table of the marks: case, step, call, the cited assertion, and why Wine differs. */
export function wineMarkTable(): string {
  const rows = WINE_MARKS.map(
    (m) => `| ${cell(m.case)} | ${m.step} | ${m.op} | ${cell(m.source)} | ${cell(m.reason)} |`,
  );
  return [
    '| Case | Step | Call | Assertion (Windows) | Why Wine 8.0 differs |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
