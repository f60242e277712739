/**
 * Where each simulated physical page was first written (PhysicalPage.writtenAt), and the line such
 * a page then holds: the simulator's memory bytes are derived from it (pageContents.ts). Kept
 * apart from pageContents.ts so SimProcess can mark writes without an import circle.
 */
import type { PhysicalPage } from './machine';

export const WRITTEN_LINE_BYTES = 64;

/** The text each line of a page first written at `address` holds (64 bytes with its newline). */
export function writtenLine(address: bigint): string {
  return `vmscope-sim page written at 0x${address.toString(16).padStart(16, '0')}`
    .padEnd(WRITTEN_LINE_BYTES - 1, ' ')
    .concat('\n');
}

/** A write reached this physical page (the page at `pageAddress`): it keeps its bytes from now on. */
export function markWritten(phys: PhysicalPage, pageAddress: bigint): void {
  phys.writtenAt ??= pageAddress;
}
