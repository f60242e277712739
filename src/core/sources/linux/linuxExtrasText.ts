/**
 * region.linux as JSON text, written mapping by mapping while smaps is still being read
 * (src/shared/extrasText.ts says why). The text is exactly what the JSON writer writes from the
 * extras' columns (test/snapshotJsonBytes.test.ts keeps them so): the fields in
 * LINUX_EXTRA_FIELDS' order, the first four smaps fields 0 where this kernel does not print them,
 * the others left out.
 */
import { ByteWriter } from '../../../shared/byteWriter';
import type { ExtrasText } from '../../../shared/extrasText';
import { LINUX_EXTRA_FIELDS } from '../../../shared/linuxExtras';
import { EXTRA_BIT, type RegionColumns } from '../../../shared/snapshotColumns';
import { RAW, ZERO_WHEN_ABSENT } from './regionsFromSmaps';
import { FIELD, FIELD_COUNT, PERMS_TEXT, type SmapsScanner } from './smapsScanner';

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
const ZERO_WHEN_NOT_PRINTED = Uint8Array.from(NUMBER_FIELDS, (f) => (f.zero ? 1 : 0));
/** `,"linux":{"perms":"r-xp","vmFlags":` by perms code. */
const PERMS = PERMS_TEXT.map((p) => bytes(`,"linux":{"perms":${json(p)},"vmFlags":`));

/** The most a number takes as text (String of any double). */
const NUMBER_BYTES = 32;
/** Room for a mapping's text but its VmFlags and device, which are reserved as they come. */
const ROOM =
  Math.max(...PERMS.map((p) => p.length)) +
  2 * NUMBER_BYTES +
  KEYS.reduce((n, key) => n + key.length + NUMBER_BYTES, 0) +
  1;
const CLOSE_BRACE = 0x7d;
/** The text is kept in blocks of this size (extrasText.ts). */
const BLOCK_BYTES = 1 << 22;

/** Two rows of smaps fields hold the same values (NaN, a field not printed, equal to NaN). */
function sameRows(fields: Float64Array, a: number, b: number): boolean {
  for (let k = 0; k < FIELD_COUNT; k++) {
    const x = fields[a + k]!;
    const y = fields[b + k]!;
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}

export class LinuxExtrasText {
  /** The block being written; the full ones before it. */
  private w: ByteWriter;
  private readonly blocks: Uint8Array[] = [];
  /** Where each mapping's text ends, in its block. */
  private ends = new Int32Array(1024);
  private blockOf = new Uint16Array(1024);
  /** Mappings written so far. */
  private written = 0;
  /** `["rd","mr"],"offset":` by VmFlags list. */
  private readonly flagTexts: (Uint8Array | undefined)[] = [];
  /** `,"device":"fe:01","inode":` by device. */
  private readonly deviceTexts: (Uint8Array | undefined)[] = [];
  /** The last mapping written and where its smaps fields' text lies: a run of mappings with the same values (guard pages, untouched memory) copies it. */
  private lastRow = -1;
  private lastBlock: Uint8Array;
  private lastFrom = 0;
  private lastTo = 0;

  /** `blockBytes`: the size of a block (tests make it small). */
  constructor(private readonly blockBytes = BLOCK_BYTES) {
    this.w = new ByteWriter(blockBytes);
    this.lastBlock = this.w.out;
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
    const from = new Int32Array(c.count);
    const to = new Int32Array(c.count);
    const block = new Uint16Array(c.count);
    const { ends, blockOf } = this;
    let m = 0;
    for (let r = 0; r < c.count; r++) {
      if (!(c.flags[r]! & EXTRA_BIT.linux)) continue;
      // A mapping starts where the one before ended, or at the start of a new block.
      from[r] = m === 0 || blockOf[m - 1] !== blockOf[m] ? 0 : ends[m - 1]!;
      to[r] = ends[m]!;
      block[r] = blockOf[m++]!;
    }
    if (m !== this.written)
      throw new Error(`${m} regions with region.linux for ${this.written} mappings`);
    return { blocks: [...this.blocks, this.w.out.subarray(0, this.w.at)], block, from, to };
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
    if (to > this.ends.length) {
      const length = Math.max(to, this.ends.length * 4);
      const ends = new Int32Array(length);
      const blockOf = new Uint16Array(length);
      ends.set(this.ends);
      blockOf.set(this.blockOf);
      this.ends = ends;
      this.blockOf = blockOf;
    }
    const { ends, blockOf, flagTexts, deviceTexts } = this;
    const { fields, perms, vmFlags, offset, device, inode } = s;
    for (let i = this.written; i < to; i++) {
      const flags = (flagTexts[vmFlags[i]!] ??= bytes(
        `${json(s.flagList(vmFlags[i]!))},"offset":`,
      ));
      const dev = (deviceTexts[device[i]!] ??= bytes(
        `,"device":${json(s.devices[device[i]!])},"inode":`,
      ));
      const w = this.room(ROOM + flags.length + dev.length);
      w.bytes(PERMS[perms[i]!]!);
      w.bytes(flags);
      w.number(offset[i]!);
      w.bytes(dev);
      w.number(inode[i]!);
      const row = i * FIELD_COUNT;
      const at = w.at;
      if (this.lastRow >= 0 && sameRows(fields, row, this.lastRow * FIELD_COUNT)) {
        if (this.lastBlock === w.out) w.out.copyWithin(at, this.lastFrom, this.lastTo);
        else w.out.set(this.lastBlock.subarray(this.lastFrom, this.lastTo), at);
        w.at += this.lastTo - this.lastFrom;
      } else writeFields(w, fields, row);
      this.lastRow = i;
      this.lastBlock = w.out;
      this.lastFrom = at;
      this.lastTo = w.at;
      w.byte(CLOSE_BRACE);
      ends[i] = w.at;
      blockOf[i] = this.blocks.length;
    }
    this.written = to;
  }
}

/** The smaps fields of the row at `row`, each with its key. */
function writeFields(w: ByteWriter, fields: Float64Array, row: number): void {
  for (let f = 0; f < SOURCES.length; f++) {
    let v = fields[row + SOURCES[f]!]!;
    if (v !== v) {
      if (!ZERO_WHEN_NOT_PRINTED[f]) continue;
      v = 0;
    }
    w.bytes(KEYS[f]!);
    w.number(v);
  }
}
