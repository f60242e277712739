import type { ChildProcess } from 'node:child_process';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild } from '../support/children';

/** What test/helpers/contents.c reports: where its known contents are. */
export interface ContentsReport {
  pageSize: number;
  rw: string;
  none: string;
  gap: string;
  /** Two one-page mappings side by side (read-write, then read-only), ACROSS_MARKER across them. */
  joined: string;
  big: string;
  bigSize: number;
}

export interface ContentsProcess {
  child: ChildProcess;
  pid: number;
  report: ContentsReport;
}

/** The ASCII marker at rw + 0x100, the UTF-16LE one at rw + page + 0x40, the pattern at rw + 2 pages + 0x10. */
export const ASCII_MARKER = 'VMSCOPE-MARKER-ASCII-1234';
export const WIDE_MARKER = 'VmscopeWideMarker';
export const PATTERN_HEX = 'de ad be ef 01 23 45 67 89 ab cd ef fe ed fa ce';
/** UTF-16LE at an odd address: rw + 2 pages + 0x81. */
export const ODD_WIDE_MARKER = 'VmscopeOddWide';
/** ASCII from 12 bytes before the end of the first joined page into the second. */
export const ACROSS_MARKER = 'VMSCOPE-ACROSS-A-BOUNDARY';

/** Starts the contents helper (with `bigMiB` of written memory, optionally ending in the pattern). */
export async function startContentsHelper(bigMiB = 0, pattern = false): Promise<ContentsProcess> {
  const args = bigMiB > 0 ? [String(bigMiB), ...(pattern ? ['pattern'] : [])] : [];
  const child = spawnChild(compileHelper('contents'), args);
  const report = JSON.parse(await firstLine(child)) as ContentsReport;
  return { child, pid: child.pid!, report };
}
