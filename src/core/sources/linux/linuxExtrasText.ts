/**
 * region.linux as JSON text, written mapping by mapping while smaps is still being read
 * (src/shared/extrasText.ts says why). The text is exactly what the JSON writer writes from the
 * extras' columns (test/snapshotJsonBytes.test.ts keeps them so): the fields in
 * LINUX_EXTRA_FIELDS' order, the first four smaps fields 0 where this kernel does not print them,
 * the others left out.
 */
import { ByteWriter } from '../../../shared/byteWriter';
import { type ExtrasText, textPieces } from '../../../shared/extrasText';
import { LINUX_EXTRA_FIELDS } from '../../../shared/linuxExtras';
import { EXTRA_BIT, type RegionColumns } from '../../../shared/snapshotColumns';
import { RAW, ZERO_WHEN_ABSENT } from './regionsFromSmaps';
import {
  FIELD,
  FIELD_COUNT,
  FIELD_UNIT,
  PERMS_TEXT,
  SPILLED,
  type SmapsScanner,
  fieldBytes,
} from './smapsScanner';

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const json = (value: unknown): string => JSON.stringify(value);

/** The header's five fields come first; then the smaps fields, in LINUX_EXTRA_FIELDS' order. */
const HEADER_FIELDS = 5;
const NUMBER_FIELDS = LINUX_EXTRA_FIELDS.slice(HEADER_FIELDS).map(({ key }) => {
  const zero = ZERO_WHEN_ABSENT.find(([k]) => k === key);
  const raw = RAW.find(([k]) => k === key);
  if (!zero && !raw) throw new Error(`region.linux field ${key} has no smaps field`);
  return { key: bytes(`,${json(key)}:`), source: FIELD[(zero ?? raw)![1]], zero: !!zero };
});
const KEYS = NUMBER_FIELDS.map((f) => f.key);
const SOURCES = Int32Array.from(NUMBER_FIELDS, (f) => f.source);
const UNITS = Float64Array.from(NUMBER_FIELDS, (f) => FIELD_UNIT[f.source]!);
const ZERO_WHEN_NOT_PRINTED = Uint8Array.from(NUMBER_FIELDS, (f) => (f.zero ? 1 : 0));
/** The most a number takes as text (String of any double). */
const NUMBER_BYTES = 32;
/** Room for a mapping's text but its head and device, which are reserved as they come. */
const ROOM = 2 * NUMBER_BYTES + KEYS.reduce((n, key) => n + key.length + NUMBER_BYTES, 0) + 1;
const CLOSE_BRACE = 0x7d;
/** The text is kept in blocks of this size (extrasText.ts). */
const BLOCK_BYTES = 1 << 22;

/** Two rows of smaps fields hold the same values as stored (a spilled one is never the same). */
function sameRows(fields: Uint32Array, a: number, b: number): boolean {
  for (let k = 0; k < FIELD_COUNT; k++) {
    const x = fields[a + k]!;
    if (x !== fields[b + k] || x === SPILLED) return false;
  }
  return true;
}

export class LinuxExtrasText {
  /** The block being written; the full ones before it. */
  private w: ByteWriter;
  private readonly blocks: Uint8Array[] = [];
  /** Where each mapping's text lies, by mapping rather than by region. */
  private pieces = textPieces(1024);
  /** Mappings written so far. */
  private written = 0;
  /** `,"linux":{"perms":"r--p","vmFlags":["rd","mr"],"offset":` by VmFlags list and perms. */
  private readonly heads: (Uint8Array | undefined)[] = [];
  /** `,"device":"fe:01","inode":` by device. */
  private readonly deviceTexts: (Uint8Array | undefined)[] = [];
  /**
   * The last mapping written, and where the text after its offset lies (device, inode, smaps
   * fields and the closing brace): the next mapping shares it where they are the same (a run of
   * guard pages, of untouched memory, of one file mapped page by page), so a run costs its heads
   * and offsets alone.
   */
  private last = -1;
  private lastBlock = 0;
  private lastFrom = 0;
  private lastTo = 0;

  /** `blockBytes`: the size of a block (tests make it small). */
  constructor(private readonly blockBytes = BLOCK_BYTES) {
    this.w = new ByteWriter(blockBytes);
  }

  /**
   * Writes up to `most` of the mappings the scanner has finished: all but its last, whose field
   * lines may still be coming. True when some finished ones are left.
   */
  step(s: SmapsScanner, most: number): boolean {
    const finished = s.count - 1;
    const to = Math.min(finished, this.written + most);
    if (to > this.written) this.write(s, to);
    return to < finished;
  }

  /** Every mapping's text, once the whole file has been scanned, by region (one per mapping, in order). */
  byRegion(s: SmapsScanner, c: RegionColumns): ExtrasText {
    if (s.count > this.written) this.write(s, s.count);
    const p = this.pieces;
    const text: ExtrasText = {
      blocks: [...this.blocks, this.w.out.subarray(0, this.w.at)],
      ...textPieces(c.count),
    };
    let m = 0;
    for (let r = 0; r < c.count; r++) {
      if (!(c.flags[r]! & EXTRA_BIT.linux)) continue;
      text.block[r] = p.block[m]!;
      text.from[r] = p.from[m]!;
      text.to[r] = p.to[m]!;
      text.tailBlock[r] = p.tailBlock[m]!;
      text.tailFrom[r] = p.tailFrom[m]!;
      text.tailTo[r] = p.tailTo[m++]!;
    }
    if (m !== this.written)
      throw new Error(`${m} regions with region.linux for ${this.written} mappings`);
    return text;
  }

  /** Room for `bytes` more in the block, or else a new block. */
  private room(bytes: number): ByteWriter {
    if (this.w.at + bytes > this.w.out.length) {
      this.blocks.push(this.w.out.subarray(0, this.w.at));
      this.w = new ByteWriter(Math.max(this.blockBytes, bytes));
    }
    return this.w;
  }

  /** Writes mappings [written, to). */
  private write(s: SmapsScanner, to: number): void {
    if (to > this.pieces.from.length)
      this.pieces = textPieces(Math.max(to, this.pieces.from.length * 4), this.pieces);
    const { pieces: p, heads, deviceTexts } = this;
    const { fields, spilled, perms, vmFlags, offset, device, inode } = s;
    for (let i = this.written; i < to; i++) {
      const headAt = vmFlags[i]! * PERMS_TEXT.length + perms[i]!;
      const head = (heads[headAt] ??= bytes(
        `,"linux":{"perms":${json(PERMS_TEXT[perms[i]!])},"vmFlags":${json(s.flagList(vmFlags[i]!))},"offset":`,
      ));
      const dev = (deviceTexts[device[i]!] ??= bytes(
        `,"device":${json(s.devices[device[i]!])},"inode":`,
      ));
      const w = this.room(ROOM + head.length + dev.length);
      const block = this.blocks.length;
      p.block[i] = block;
      p.from[i] = w.at;
      w.bytes(head);
      w.number(offset[i]!);
      const last = this.last;
      this.last = i;
      if (
        last >= 0 &&
        device[i] === device[last] &&
        inode[i] === inode[last] &&
        sameRows(fields, i * FIELD_COUNT, last * FIELD_COUNT)
      ) {
        p.to[i] = w.at;
        p.tailBlock[i] = this.lastBlock;
        p.tailFrom[i] = this.lastFrom;
        p.tailTo[i] = this.lastTo;
        continue;
      }
      const tail = w.at;
      w.bytes(dev);
      w.number(inode[i]!);
      writeFields(w, fields, spilled, i * FIELD_COUNT);
      w.byte(CLOSE_BRACE);
      // Written in one piece: no tail of its own to copy.
      p.to[i] = w.at;
      p.tailBlock[i] = block;
      p.tailFrom[i] = w.at;
      p.tailTo[i] = w.at;
      this.lastBlock = block;
      this.lastFrom = tail;
      this.lastTo = w.at;
    }
    this.written = to;
  }
}

/** The smaps fields of the row at `row`, each with its key. */
function writeFields(
  w: ByteWriter,
  fields: Uint32Array,
  spilled: ReadonlyMap<number, number>,
  row: number,
): void {
  for (let f = 0; f < SOURCES.length; f++) {
    let v = fieldBytes(fields, spilled, row + SOURCES[f]!, UNITS[f]!);
    if (v !== v) {
      if (!ZERO_WHEN_NOT_PRINTED[f]) continue;
      v = 0;
    }
    w.bytes(KEYS[f]!);
    w.number(v);
  }
}
