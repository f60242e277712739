/**
 * Regions' extras already written as JSON text, for the JSON writer (snapshotJsonWriter.ts) to
 * copy instead of building and writing the extras' columns.
 *
 * A Linux snapshot is bound by the kernel's read of smaps, during which the thread that scans it
 * waits most of the time (readAhead.ts). Where the snapshot will be written as JSON (the
 * `vmscope snapshot --format json` command says so once, before it asks for the snapshot), the
 * Linux source writes each mapping's `,"linux":{...}` in that waiting time, as the mapping is
 * scanned: region.linux is more than half of the document's bytes. Nothing else asks for the text,
 * so a snapshot for the inspector, CSV or the codec never pays for it.
 */
import type { RegionColumns } from './snapshotColumns';

/**
 * Every region's extras text: bytes [from[r], to[r]) of `blocks[block[r]]`, then bytes
 * [tailFrom[r], tailTo[r]) of `blocks[tailBlock[r]]`; both empty for a region without extras.
 * The tail may be another region's (one run of regions with the same values shares one text).
 * In blocks of a few megabytes: one buffer grown to hold them all would be copied and thrown away
 * again and again (and its garbage made V8 collect during the read).
 */
export interface ExtrasText extends TextPieces {
  blocks: Uint8Array[];
}

/** Where each text lies in the blocks: one row per region (or, while written, per mapping). */
export interface TextPieces {
  block: Uint16Array;
  from: Int32Array;
  to: Int32Array;
  tailBlock: Uint16Array;
  tailFrom: Int32Array;
  tailTo: Int32Array;
}

/** Pieces for `length` rows, the first rows copied from `old` where given (to grow them). */
export function textPieces(length: number, old?: TextPieces): TextPieces {
  const pieces: TextPieces = {
    block: new Uint16Array(length),
    from: new Int32Array(length),
    to: new Int32Array(length),
    tailBlock: new Uint16Array(length),
    tailFrom: new Int32Array(length),
    tailTo: new Int32Array(length),
  };
  if (old) for (const key of Object.keys(pieces) as (keyof TextPieces)[]) pieces[key].set(old[key]);
  return pieces;
}

const texts = new WeakMap<RegionColumns, ExtrasText>();

/** Gives columns their extras as text: the JSON writer then never reads `extras`. */
export function attachExtrasText(columns: RegionColumns, text: ExtrasText): void {
  texts.set(columns, text);
}

export function extrasTextOf(columns: RegionColumns): ExtrasText | undefined {
  return texts.get(columns);
}

let wanted = false;

/**
 * Snapshots taken in this thread from now on are (`true`) or are not all written as JSON:
 * sources may write their extras as text.
 */
export function wantExtrasText(want: boolean): void {
  wanted = want;
}

export function extrasTextWanted(): boolean {
  return wanted;
}
