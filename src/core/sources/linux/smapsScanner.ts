/**
 * The hot path of a snapshot: a line scanner over the bytes of /proc/PID/smaps, straight into
 * columns. A 60,000-mapping process prints about 1.6 million lines, so nothing here costs per line
 * beyond a few byte loads: no decoding to strings, no regex, no split, no object per mapping. The
 * only strings made are the distinct ones (paths, devices, VmFlags lists: a few dozen to a few
 * thousand per process), found again by a hash of their bytes.
 *
 * The kernel prints the fields of every mapping in the same order and at fixed width
 * (`Name:` padded to 16 columns, the number right-aligned in 8, then ` kB`). The scanner learns
 * that layout from the first mapping (line n of a mapping is field F, ends at column C) and then
 * only checks it: a field line is confirmed by its newline, its colon and the first and last
 * letters of its name, and its number is read backwards from column 23; the VmFlags line by its
 * colon and those letters, its end then found byte by byte. Any line that does not
 * fit (a number wider than 8 digits, a field this kernel adds or leaves out) takes the general
 * path: find the end of the line and the colon, look the name's key up, parse. The strings of a
 * header (path, device) and the VmFlags list are compared first with the last one of their length,
 * since neighbouring mappings so often repeat them.
 *
 * It is fed chunk by chunk while the file is read, so it keeps its place between calls; `feed`
 * consumes whole lines and returns where the unfinished last line starts.
 */
import { keepShapes } from '../../../shared/keptShapes';

/** One mapping's header line and its place in the field store: the scanner's columns as an object, for tests and the few callers that want one. */
export interface SmapsMapping {
  /** The start address in hex as printed (lower case, zero-padded to 8 digits, no `0x`). */
  startHex: string;
  /** The end address likewise, kept only when `high` (elsewhere `end` is exact); '' otherwise. */
  endHex: string;
  /** Exact below 2^53, which covers every user-space address; see `high`. */
  start: number;
  end: number;
  /** The start is above 2^52 (only [vsyscall] in practice): `start` and `end` may be rounded. */
  high: boolean;
  perms: string;
  offset: number;
  device: string;
  inode: number;
  /** The pathname column: a file, `[heap]`, `[stack]`, `[vdso]`, `[anon:name]`, or '' for none. */
  path: string;
  /** Row of this mapping's values in SmapsScanner.fields. */
  slot: number;
  vmFlags: string[];
}

/** The numeric fields of smaps, in the kernel's order (fs/proc/task_mmu.c). */
export const SMAPS_FIELDS = [
  'Size',
  'KernelPageSize',
  'MMUPageSize',
  'Rss',
  'Pss',
  'Pss_Dirty',
  'Pss_Anon',
  'Pss_File',
  'Pss_Shmem',
  'Shared_Clean',
  'Shared_Dirty',
  'Private_Clean',
  'Private_Dirty',
  'Referenced',
  'Anonymous',
  'KSM',
  'LazyFree',
  'AnonHugePages',
  'ShmemPmdMapped',
  'FilePmdMapped',
  'Shared_Hugetlb',
  'Private_Hugetlb',
  'Swap',
  'SwapPss',
  'Locked',
  'THPeligible',
  'ProtectionKey',
] as const;

export type SmapsFieldName = (typeof SMAPS_FIELDS)[number];
export const FIELD_COUNT = SMAPS_FIELDS.length;

/** Column of a field in a SmapsScanner.fields row. */
export const FIELD = Object.fromEntries(SMAPS_FIELDS.map((name, i) => [name, i])) as Record<
  SmapsFieldName,
  number
>;

/** Bytes per unit of each field as SmapsScanner.fields holds it: kB, but for the two plain numbers. */
export const FIELD_UNIT = Float64Array.from(SMAPS_FIELDS, (name) =>
  name === 'THPeligible' || name === 'ProtectionKey' ? 1 : 1024,
);

/** A SmapsScanner.fields value: the mapping has no line for this field. */
export const ABSENT = 0xffffffff;
/** A SmapsScanner.fields value: the field's bytes are in SmapsScanner.spilled (see there). */
export const SPILLED = 0xfffffffe;

/** Bits of SmapsScanner.perms. */
export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_EXEC = 4;
export const PERM_SHARED = 8;

/** The perms string of each perms code, as smaps prints it. */
export const PERMS_TEXT: readonly string[] = Array.from(
  { length: 16 },
  (_, bits) =>
    `${bits & PERM_READ ? 'r' : '-'}${bits & PERM_WRITE ? 'w' : '-'}${bits & PERM_EXEC ? 'x' : '-'}${bits & PERM_SHARED ? 's' : 'p'}`,
);

const NEWLINE = 10;
const SPACE = 32;
const DASH = 45;
const COLON = 58;
const ZERO = 48;
const NINE = 57;
const LOWER_A = 97;
const LOWER_F = 102;
const UPPER_B = 66;
const R = 114;
const W = 119;
const X = 120;
const S = 115;
/** Where the kernel's fixed-width number ends (exclusive): 16 columns of name, 8 of number. */
const NUMBER_END = 24;
const MAX_TEMPLATE_LINES = 64;
const TWO_32 = 2 ** 32;
const VMFLAGS = 'VmFlags';
/** Recent strings an interner compares with before hashing: one per length, mod RECENT. */
const RECENT = 16;
const LAYOUT_CELLS = 4;
const LAYOUT_EOL = 0;
const LAYOUT_COLON = 1;
/** first letter | last letter << 8 */
const LAYOUT_NAME = 2;
const LAYOUT_FIELD = 3;
/** The VmFlags line: its text is interned, its end found. */
const LAYOUT_FLAGS = 0x200;

/** A field name's key: length, first, middle and last character (unique among SMAPS_FIELDS). */
function keyOf(b: Uint8Array, from: number, to: number): number {
  return ((to - from) << 24) | (b[from]! << 16) | (b[(from + to) >> 1]! << 8) | b[to - 1]!;
}

const FIELD_BY_KEY = new Map<number, number>();
for (const [i, name] of SMAPS_FIELDS.entries()) {
  const key = keyOf(Buffer.from(name, 'latin1'), 0, name.length);
  if (FIELD_BY_KEY.has(key)) throw new Error(`smaps field key collision: ${name}`);
  FIELD_BY_KEY.set(key, i);
}

const isHexDigit = (c: number): boolean =>
  (c >= ZERO && c <= NINE) || (c >= LOWER_A && c <= LOWER_F);

/** The value of each byte as a lower-case hex digit (smaps prints no upper case). */
const HEX_DIGIT = new Uint8Array(256);
for (let d = 0; d < 16; d++) HEX_DIGIT[d.toString(16).charCodeAt(0)] = d;

/** Up to 8 hex digits [from, to) as an unsigned 32-bit number: integer arithmetic only. */
function hex32(b: Uint8Array, from: number, to: number): number {
  let value = 0;
  let i = from;
  for (; (to - i) & 3; i++) value = (value << 4) | HEX_DIGIT[b[i]!]!;
  for (; i < to; i += 4) {
    // Four digits at once: a digit's value is its low nibble, plus 9 for a letter (bit 6 set).
    const x = (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
    const d = (x & 0x0f0f0f0f) + ((x >>> 6) & 0x01010101) * 9;
    const t = ((d & 0x0f000f00) >>> 4) | (d & 0x000f000f);
    value = (value << 16) | ((t >>> 8) & 0xff00) | (t & 0xff);
  }
  return value >>> 0;
}

/** Hex digits [from, to) as a number (exact up to 13 digits). */
function hexValue(b: Uint8Array, from: number, to: number): number {
  const split = Math.max(from, to - 8);
  return split === from ? hex32(b, from, to) : hex32(b, from, split) * TWO_32 + hex32(b, split, to);
}

/** The unsigned decimal that ends just before `end`. */
function decimalBefore(b: Uint8Array, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = end - 1, c = b[i]!; c >= ZERO && c <= NINE; c = b[--i]!) {
    value += (c - ZERO) * scale;
    scale *= 10;
  }
  return value;
}

/**
 * Distinct byte strings, found again by a hash of their bytes so that a repeat costs no string.
 * Paths are decoded as UTF-8, as Node's file functions encode them.
 */
class ByteInterner {
  readonly strings: string[] = [];
  /** The bytes of each string, once intern() has met them (internText's are not encoded). */
  private readonly bytes: (Uint8Array | undefined)[] = [];
  private readonly byHash = new Map<number, number>();
  private readonly byText = new Map<string, number>();

  /**
   * The string intern() last returned for each length (mod RECENT). Neighbouring mappings often
   * share a path, a device or flags, or alternate between two (a guard page and its block), and a
   * comparison with one candidate costs less than a hash and a map lookup.
   */
  private readonly recent = new Int32Array(RECENT).fill(-1);

  intern(b: Uint8Array, from: number, to: number): number {
    const slot = (to - from) & (RECENT - 1);
    const candidate = this.recent[slot]!;
    if (candidate >= 0 && this.same(candidate, b, from, to)) return candidate;
    const index = this.internHashed(b, from, to);
    this.recent[slot] = index;
    return index;
  }

  private internHashed(b: Uint8Array, from: number, to: number): number {
    let hash = 0x811c9dc5;
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ b[i]!, 0x01000193);
    const known = this.byHash.get(hash);
    if (known !== undefined && this.same(known, b, from, to)) return known;
    // New, or a hash collision: the text decides.
    const text = Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('utf8');
    let index = this.byText.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.byText.set(text, index);
    }
    // A copy: Buffer#slice would share the read buffer, which the next chunk overwrites.
    this.bytes[index] ??= Uint8Array.prototype.slice.call(b, from, to);
    if (known === undefined) this.byHash.set(hash, index);
    return index;
  }

  /**
   * The same for a string already decoded (a path read from a core file's notes): found by its
   * text alone, its bytes left unencoded until a scanned line meets them.
   */
  internText(text: string): number {
    let index = this.byText.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.bytes.push(undefined);
      this.byText.set(text, index);
    }
    return index;
  }

  private same(index: number, b: Uint8Array, from: number, to: number): boolean {
    const stored = this.bytes[index];
    if (stored === undefined || stored.length !== to - from) return false;
    for (let i = 0; i < stored.length; i++) if (stored[i] !== b[from + i]) return false;
    return true;
  }
}

export class SmapsScanner {
  /** Mappings scanned so far; row i of every column below. */
  count = 0;
  /**
   * Mappings left out because they began before the previous one ended. The kernel prints smaps
   * in several reads and resumes after the last address it printed; a mapping that grew or merged
   * across that address in between is printed again, overlapping. A snapshot never overlaps.
   */
  overlapsSkipped = 0;
  /** The row field lines go to: the last mapping's, or the unkept row `count` while skipping. */
  private current = -1;
  /**
   * Rows from `count` on hold ABSENT in `fields` (a field a mapping lacks stays so), except the unkept
   * row once a skipped mapping's lines were written to it: the next header clears it.
   */
  private skippedRowWritten = false;
  /** Rows allocated; grown fourfold when full. */
  private capacity: number;
  /** Addresses as 32-bit halves: exact for all 64 bits. */
  startHi: Uint32Array;
  startLo: Uint32Array;
  endHi: Uint32Array;
  endLo: Uint32Array;
  /** PERM_* bits. */
  perms: Uint8Array;
  offset: Float64Array;
  /** Index into `devices`. */
  device: Int32Array;
  inode: Float64Array;
  /** Index into `paths`, -1 for a mapping without one. */
  path: Int32Array;
  /** Index into `flagLists`. */
  vmFlags: Int32Array;
  /**
   * FIELD_COUNT values per mapping, each in its field's FIELD_UNIT (kB, as smaps prints them), or
   * ABSENT, or SPILLED. 32 bits halve what 64-bit numbers took (14 MB at 60,000 mappings), at the
   * top of a snapshot's memory; `value` reads one as bytes.
   */
  fields: Uint32Array;
  /**
   * The bytes of each value that does not fit `fields` (4 TiB or more, or a line printed in
   * another unit than its field's), by its index there. Almost always empty.
   */
  readonly spilled = new Map<number, number>();
  private readonly pathTable = new ByteInterner();
  private readonly deviceTable = new ByteInterner();
  private readonly flagTable = new ByteInterner();
  private readonly flagListCache: string[][] = [];
  /** The flag list of a mapping without a VmFlags line (kernels before 3.8). */
  private readonly noFlags = this.flagTable.intern(new Uint8Array(0), 0, 0);
  /** Field lines seen since the current mapping's header. */
  private line = 0;
  /**
   * The learned layout, LAYOUT_CELLS per line number within a mapping: where the line's newline
   * and colon are, the first and last letters of its name, and its field (LAYOUT_FLAGS for
   * VmFlags, whose newline moves with its list; a line is learned only in its field's unit). All
   * zero for a line number not learned.
   */
  private readonly layout = new Int32Array(MAX_TEMPLATE_LINES * LAYOUT_CELLS);

  /** `capacity`: the mappings expected, where known (a core file's), so the columns never grow. */
  constructor(capacity = 256) {
    this.capacity = Math.max(1, capacity);
    this.startHi = new Uint32Array(this.capacity);
    this.startLo = new Uint32Array(this.capacity);
    this.endHi = new Uint32Array(this.capacity);
    this.endLo = new Uint32Array(this.capacity);
    this.perms = new Uint8Array(this.capacity);
    this.offset = new Float64Array(this.capacity);
    this.device = new Int32Array(this.capacity);
    this.inode = new Float64Array(this.capacity);
    this.path = new Int32Array(this.capacity);
    this.vmFlags = new Int32Array(this.capacity);
    this.fields = new Uint32Array(FIELD_COUNT * this.capacity).fill(ABSENT);
  }

  get paths(): readonly string[] {
    return this.pathTable.strings;
  }

  get devices(): readonly string[] {
    return this.deviceTable.strings;
  }

  /** The raw VmFlags text (after `VmFlags:`) of each list index. */
  get flagTexts(): readonly string[] {
    return this.flagTable.strings;
  }

  /** The VmFlags codes of list `index`, e.g. ['rd', 'wr', 'mr']. */
  flagList(index: number): string[] {
    return (this.flagListCache[index] ??= this.flagTable.strings[index]!.split(' ').filter(
      (f) => f.length > 0,
    ));
  }

  /** The start address as a number: exact below 2^53. */
  startOf(i: number): number {
    return this.startHi[i]! * TWO_32 + this.startLo[i]!;
  }

  endOf(i: number): number {
    return this.endHi[i]! * TWO_32 + this.endLo[i]!;
  }

  /** Above 2^52, where the kernel prints more than 13 hex digits ([vsyscall]). */
  isHigh(i: number): boolean {
    return this.startHi[i]! >= 0x100000;
  }

  /** The path of mapping i, '' for none. */
  pathOf(i: number): string {
    const p = this.path[i]!;
    return p < 0 ? '' : this.pathTable.strings[p]!;
  }

  /** The device:inode identity of mapping i's file. */
  fileKey(i: number): string {
    return `${this.deviceTable.strings[this.device[i]!]}:${this.inode[i]}`;
  }

  /** Mapping i as an object. */
  mapping(i: number): SmapsMapping {
    const high = this.isHigh(i);
    const hex = (hi: number, lo: number): string =>
      (hi === 0
        ? lo.toString(16)
        : `${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`
      ).padStart(8, '0');
    return {
      startHex: hex(this.startHi[i]!, this.startLo[i]!),
      endHex: high ? hex(this.endHi[i]!, this.endLo[i]!) : '',
      start: this.startOf(i),
      end: this.endOf(i),
      high,
      perms: PERMS_TEXT[this.perms[i]!]!,
      offset: this.offset[i]!,
      device: this.deviceTable.strings[this.device[i]!]!,
      inode: this.inode[i]!,
      path: this.pathOf(i),
      slot: i,
      vmFlags: this.flagList(this.vmFlags[i]!),
    };
  }

  /** Every mapping as an object (tests; the snapshot itself reads the columns). */
  get mappings(): SmapsMapping[] {
    return Array.from({ length: this.count }, (_, i) => this.mapping(i));
  }

  /**
   * Consumes the whole lines of bytes [from, to) (or of latin1 text, for tests); returns the index
   * where the unfinished last line begins.
   */
  feed(input: Uint8Array | string, from = 0, to = input.length): number {
    const b = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
    const layout = this.layout;
    // The current mapping's row in `fields` and its line number, in locals for the per-line path.
    let fields = this.fields;
    let row = this.current * FIELD_COUNT;
    let line = this.line;
    let pos = from;
    while (pos < to) {
      const c = b[pos]!;
      // A learned line first: its first letter alone tells it from a header (hex digits).
      if (line < MAX_TEMPLATE_LINES && row >= 0) {
        const at = line * LAYOUT_CELLS;
        const name = layout[at + LAYOUT_NAME]!;
        const colonAt = pos + layout[at + LAYOUT_COLON]!;
        if (c === (name & 0xff) && b[colonAt] === COLON && b[colonAt - 1] === name >> 8) {
          const field = layout[at + LAYOUT_FIELD]!;
          if (field & LAYOUT_FLAGS) {
            let eol = colonAt + 1;
            while (eol < to && b[eol] !== NEWLINE) eol++;
            if (eol < to) {
              this.flags(b, colonAt + 1, eol);
              line++;
              pos = eol + 1;
              continue;
            }
          } else {
            const eolAt = pos + layout[at + LAYOUT_EOL]!;
            if (eolAt < to && b[eolAt] === NEWLINE) {
              const value = decimalBefore(b, pos + NUMBER_END);
              // Eight digits at most, in the field's own unit: it fits.
              fields[row + field] = value;
              line++;
              pos = eolAt + 1;
              continue;
            }
          }
        }
      }
      const eol = b.indexOf(NEWLINE, pos);
      if (eol < 0 || eol >= to) break;
      if (isHexDigit(c)) {
        this.header(b, pos, eol);
        fields = this.fields;
        row = this.current * FIELD_COUNT;
        line = 0;
      } else {
        this.field(b, pos, eol, line++);
      }
      pos = eol + 1;
    }
    this.line = line;
    return pos;
  }

  private grow(): void {
    const capacity = this.capacity * 4;
    const grown = <T extends Uint32Array | Uint8Array | Float64Array | Int32Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.startHi = grown(this.startHi, (n) => new Uint32Array(n));
    this.startLo = grown(this.startLo, (n) => new Uint32Array(n));
    this.endHi = grown(this.endHi, (n) => new Uint32Array(n));
    this.endLo = grown(this.endLo, (n) => new Uint32Array(n));
    this.perms = grown(this.perms, (n) => new Uint8Array(n));
    this.offset = grown(this.offset, (n) => new Float64Array(n));
    this.device = grown(this.device, (n) => new Int32Array(n));
    this.inode = grown(this.inode, (n) => new Float64Array(n));
    this.path = grown(this.path, (n) => new Int32Array(n));
    this.vmFlags = grown(this.vmFlags, (n) => new Int32Array(n));
    const fields = grown(this.fields, (n) => new Uint32Array(n * FIELD_COUNT));
    this.fields = fields.fill(ABSENT, this.capacity * FIELD_COUNT);
    this.capacity = capacity;
  }

  /**
   * One mapping from its parts rather than a maps line: a core file's program header and NT_FILE
   * entry (src/core/dumps), so cores go through the same rules without printing and re-reading text.
   */
  add(
    startHi: number,
    startLo: number,
    endHi: number,
    endLo: number,
    perms: number,
    offset: number,
    device: string,
    inode: number,
    /** '' for none. */
    path: string,
  ): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.current = i;
    this.line = 0;
    this.clearRow(i);
    this.startHi[i] = startHi;
    this.startLo[i] = startLo;
    this.endHi[i] = endHi;
    this.endLo[i] = endLo;
    this.perms[i] = perms;
    this.offset[i] = offset;
    this.device[i] = this.deviceTable.internText(device);
    this.inode[i] = inode;
    this.path[i] = path === '' ? -1 : this.pathTable.internText(path);
    this.vmFlags[i] = this.noFlags;
  }

  /**
   * Many mappings from columns at once (a core file's, src/core/dumps): as add() row by row, but
   * each distinct path and the device interned once, not once per mapping, and the smaps fields
   * (a core has none) cleared in one fill. `path[i]` indexes `names`, or is negative for none.
   */
  addColumns(rows: {
    count: number;
    start: Float64Array;
    end: Float64Array;
    perms: Uint8Array;
    offset: Float64Array;
    device: string;
    inode: Float64Array;
    path: Int32Array;
    names: readonly string[];
  }): void {
    const n = rows.count;
    while (this.count + n > this.capacity) this.grow();
    const from = this.count;
    this.fields.fill(ABSENT, from * FIELD_COUNT, (from + n) * FIELD_COUNT);
    const device = this.deviceTable.internText(rows.device);
    // -2: not interned yet; -1: no path (an empty name, as add() takes it).
    const pathIndex = new Int32Array(rows.names.length).fill(-2);
    const { start, end, perms, offset, inode, path } = rows;
    const two32 = 2 ** 32;
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const a = start[k]!;
      const b = end[k]!;
      const aHi = Math.floor(a / two32);
      const bHi = Math.floor(b / two32);
      this.startHi[i] = aHi;
      this.startLo[i] = a - aHi * two32;
      this.endHi[i] = bHi;
      this.endLo[i] = b - bHi * two32;
      this.perms[i] = perms[k]!;
      this.offset[i] = offset[k]!;
      this.device[i] = device;
      this.inode[i] = inode[k]!;
      const p = path[k]!;
      if (p >= 0 && pathIndex[p] === -2) {
        const name = rows.names[p]!;
        pathIndex[p] = name === '' ? -1 : this.pathTable.internText(name);
      }
      this.path[i] = p < 0 ? -1 : pathIndex[p]!;
      this.vmFlags[i] = this.noFlags;
    }
    this.count += n;
    this.current = this.count - 1;
    this.line = 0;
  }

  /** `start-end perms offset major:minor inode   path` */
  private header(b: Uint8Array, pos: number, eol: number): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count;
    this.line = 0;
    if (this.skippedRowWritten) {
      this.clearRow(i);
      this.skippedRowWritten = false;
    }
    let dash = pos;
    while (b[dash] !== DASH) dash++;
    let afterEnd = dash + 1;
    while (b[afterEnd] !== SPACE) afterEnd++;
    this.address(b, pos, dash, this.startHi, this.startLo, i);
    this.address(b, dash + 1, afterEnd, this.endHi, this.endLo, i);
    this.current = i;
    if (i > 0 && this.startsBeforeEndOf(i, i - 1)) {
      // Parsed into the unkept row `count`, and overwritten by the next header.
      this.overlapsSkipped++;
      this.skippedRowWritten = true;
      return;
    }
    this.count++;
    const p = afterEnd + 1;
    this.perms[i] =
      (b[p] === R ? PERM_READ : 0) |
      (b[p + 1] === W ? PERM_WRITE : 0) |
      (b[p + 2] === X ? PERM_EXEC : 0) |
      (b[p + 3] === S ? PERM_SHARED : 0);
    const offsetAt = p + 5;
    let afterOffset = offsetAt;
    while (b[afterOffset] !== SPACE) afterOffset++;
    this.offset[i] = hexValue(b, offsetAt, afterOffset);
    let afterDevice = afterOffset + 1;
    while (b[afterDevice] !== SPACE) afterDevice++;
    this.device[i] = this.deviceTable.intern(b, afterOffset + 1, afterDevice);
    let at = afterDevice + 1;
    let inode = 0;
    for (let c = b[at]!; c >= ZERO && c <= NINE; c = b[++at]!) inode = inode * 10 + (c - ZERO);
    this.inode[i] = inode;
    while (at < eol && b[at] === SPACE) at++;
    this.path[i] = at < eol ? this.pathTable.intern(b, at, eol) : -1;
    this.vmFlags[i] = this.noFlags;
  }

  /** The VmFlags list of the current mapping: the text after its colon, [from, eol), trimmed. */
  private flags(b: Uint8Array, from: number, eol: number): void {
    while (from < eol && b[from] === SPACE) from++;
    let to = eol;
    while (to > from && b[to - 1] === SPACE) to--;
    this.vmFlags[this.current] = this.flagTable.intern(b, from, to);
  }

  private startsBeforeEndOf(i: number, previous: number): boolean {
    const hi = this.startHi[i]!;
    const endHi = this.endHi[previous]!;
    return hi < endHi || (hi === endHi && this.startLo[i]! < this.endLo[previous]!);
  }

  private address(
    b: Uint8Array,
    from: number,
    to: number,
    hi: Uint32Array,
    lo: Uint32Array,
    i: number,
  ): void {
    const split = Math.max(from, to - 8);
    hi[i] = hex32(b, from, split);
    lo[i] = hex32(b, split, to);
  }

  /** The general path for a field line; learns the layout for this line number when it is regular. */
  private field(b: Uint8Array, pos: number, eol: number, line: number): void {
    if (this.current < 0) return;
    let colon = pos;
    while (colon < eol && b[colon] !== COLON) colon++;
    if (colon === eol) return;
    // VmFlags first: it ends every mapping, and no number field has its name.
    if (colon - pos === VMFLAGS.length && isVmFlags(b, pos)) {
      this.flags(b, colon + 1, eol);
      if (line < MAX_TEMPLATE_LINES) {
        const at = line * LAYOUT_CELLS;
        this.layout[at + LAYOUT_COLON] = colon - pos;
        this.layout[at + LAYOUT_NAME] = b[pos]! | (b[colon - 1]! << 8);
        this.layout[at + LAYOUT_FIELD] = LAYOUT_FLAGS;
      }
      return;
    }
    const key = keyOf(b, pos, colon);
    const index = FIELD_BY_KEY.get(key);
    if (index === undefined) return;
    const kb = b[eol - 1] === UPPER_B;
    const numberEnd = kb ? eol - 3 : eol;
    const scale = kb ? 1024 : 1;
    this.store(this.current * FIELD_COUNT + index, decimalBefore(b, numberEnd) * scale);
    if (
      line < MAX_TEMPLATE_LINES &&
      numberEnd - pos === NUMBER_END &&
      scale === FIELD_UNIT[index]
    ) {
      const at = line * LAYOUT_CELLS;
      this.layout[at + LAYOUT_EOL] = eol - pos;
      this.layout[at + LAYOUT_COLON] = colon - pos;
      this.layout[at + LAYOUT_NAME] = b[pos]! | (b[colon - 1]! << 8);
      this.layout[at + LAYOUT_FIELD] = index;
    }
  }

  /** Sets the value at `index` in `fields` to `bytes`, spilled where its unit cannot hold it. */
  private store(index: number, bytes: number): void {
    const units = bytes / FIELD_UNIT[index % FIELD_COUNT]!;
    if (Number.isInteger(units) && units < SPILLED) {
      this.fields[index] = units;
      if (this.spilled.size > 0) this.spilled.delete(index);
    } else {
      this.fields[index] = SPILLED;
      this.spilled.set(index, bytes);
    }
  }

  /** Row i's fields all ABSENT, none spilled. */
  private clearRow(i: number): void {
    const from = i * FIELD_COUNT;
    this.fields.fill(ABSENT, from, from + FIELD_COUNT);
    if (this.spilled.size > 0) for (let k = 0; k < FIELD_COUNT; k++) this.spilled.delete(from + k);
  }

  /** Mapping i's value of `field`, in bytes (THPeligible and ProtectionKey as printed); NaN where absent. */
  value(i: number, field: number): number {
    return fieldBytes(this.fields, this.spilled, i * FIELD_COUNT + field, FIELD_UNIT[field]!);
  }
}

// A scanner and its interners are made per snapshot: their hidden classes are kept (keptShapes.ts).
keepShapes(new SmapsScanner(1));

/**
 * The value at `index` of a SmapsScanner's `fields` in bytes, NaN where ABSENT; `unit` is its
 * field's FIELD_UNIT. Small enough for V8 to inline in the loops that read every mapping (a call
 * it did not inline would box the number).
 */
export function fieldBytes(
  fields: Uint32Array,
  spilled: ReadonlyMap<number, number>,
  index: number,
  unit: number,
): number {
  const v = fields[index]!;
  return v < SPILLED ? v * unit : v === ABSENT ? Number.NaN : spilled.get(index)!;
}

function isVmFlags(b: Uint8Array, pos: number): boolean {
  for (let i = 0; i < VMFLAGS.length; i++) if (b[pos + i] !== VMFLAGS.charCodeAt(i)) return false;
  return true;
}
