/**
 * The hot path of a snapshot: a line scanner over /proc/PID/smaps text (latin1, so one char is one
 * byte). A 60,000-mapping process prints about 1.6 million lines, so nothing here costs per line
 * beyond a few charCodeAt calls: no regex, no split, no substring for field names.
 *
 * The kernel prints the fields of every mapping in the same order and at fixed width
 * (`Name:` padded to 16 columns, the number right-aligned in 8, then ` kB`). The scanner learns
 * that layout from the first mapping (line n of a mapping is field F, ends at column C) and then
 * only checks it: a field line is confirmed by its colon and a key made of its name's length and
 * first, middle and last letters, its number read backwards from column 23. Any line that does not
 * fit (a number wider than 8 digits, a field this kernel adds or leaves out) takes the general
 * path: find the end of the line and the colon, look the key up, parse.
 *
 * It is fed chunk by chunk while the next chunk is still being read, so it keeps its place between
 * calls; `feed` consumes whole lines and returns where the unfinished last line starts.
 */

/** One mapping's header line; its numeric fields live in SmapsScanner.fields at `slot`. */
export interface SmapsMapping {
  /** The start address in hex as printed (lower case, zero-padded to 8 digits, no `0x`). */
  startHex: string;
  /** The end address likewise, kept only when `high` (elsewhere `end` is exact); '' otherwise. */
  endHex: string;
  /** Exact below 2^53, which covers every user-space address; see `high`. */
  start: number;
  end: number;
  /** The start is above 2^53 (only [vsyscall] in practice): `start` and `end` are rounded. */
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
export const FIELD = Object.fromEntries(SMAPS_FIELDS.map((name, i) => [name, i])) as Record<SmapsFieldName, number>;

const NEWLINE = 10;
const SPACE = 32;
const COLON = 58;
const ZERO = 48;
const NINE = 57;
const LOWER_A = 97;
const LOWER_F = 102;
const UPPER_B = 66;
/** Where the kernel's fixed-width number ends (exclusive): 16 columns of name, 8 of number. */
const NUMBER_END = 24;
const MAX_TEMPLATE_LINES = 64;

/** A field name's key: length, first, middle and last character (unique among SMAPS_FIELDS). */
function keyOf(text: string, from: number, to: number): number {
  return (
    ((to - from) << 24) |
    (text.charCodeAt(from) << 16) |
    (text.charCodeAt((from + to) >> 1) << 8) |
    text.charCodeAt(to - 1)
  );
}

const FIELD_BY_KEY = new Map<number, number>();
for (const [i, name] of SMAPS_FIELDS.entries()) {
  const key = keyOf(name, 0, name.length);
  if (FIELD_BY_KEY.has(key)) throw new Error(`smaps field key collision: ${name}`);
  FIELD_BY_KEY.set(key, i);
}

function hexValue(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    value = value * 16 + (c <= NINE ? c - ZERO : c - LOWER_A + 10);
  }
  return value;
}

/** The unsigned decimal that ends just before `end`. */
function decimalBefore(text: string, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = end - 1, c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(--i)) {
    value += (c - ZERO) * scale;
    scale *= 10;
  }
  return value;
}

function intern(strings: Map<string, string>, value: string): string {
  const known = strings.get(value);
  if (known !== undefined) return known;
  strings.set(value, value);
  return value;
}

export class SmapsScanner {
  readonly mappings: SmapsMapping[] = [];
  /** FIELD_COUNT values per mapping, in bytes (THPeligible and ProtectionKey as printed); NaN where absent. */
  fields = new Float64Array(FIELD_COUNT * 256).fill(Number.NaN);
  private current: SmapsMapping | null = null;
  /** Field lines seen since the current mapping's header. */
  private line = 0;
  /** The learned layout, per line number within a mapping. */
  private readonly templateKey = new Int32Array(MAX_TEMPLATE_LINES);
  private readonly templateColon = new Int32Array(MAX_TEMPLATE_LINES);
  private readonly templateEol = new Int32Array(MAX_TEMPLATE_LINES);
  private readonly templateField = new Int32Array(MAX_TEMPLATE_LINES);
  private readonly templateScale = new Float64Array(MAX_TEMPLATE_LINES);
  /** Interned VmFlags lists and perms strings: a process has a few dozen distinct ones. */
  private readonly flagLists = new Map<string, string[]>();
  private readonly permsStrings = new Map<string, string>();
  private readonly devices = new Map<string, string>();

  /** Consumes the whole lines of text; returns the index where its unfinished last line begins. */
  feed(text: string): number {
    const length = text.length;
    let pos = 0;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if ((c >= ZERO && c <= NINE) || (c >= LOWER_A && c <= LOWER_F)) {
        const eol = text.indexOf('\n', pos);
        if (eol < 0) return pos;
        this.header(text, pos, eol);
        pos = eol + 1;
        continue;
      }
      const line = this.line++;
      if (line < MAX_TEMPLATE_LINES && this.current) {
        const eolAt = this.templateEol[line]!;
        const colonAt = this.templateColon[line]!;
        if (
          eolAt > 0 &&
          pos + eolAt < length &&
          text.charCodeAt(pos + eolAt) === NEWLINE &&
          text.charCodeAt(pos + colonAt) === COLON &&
          keyOf(text, pos, pos + colonAt) === this.templateKey[line]
        ) {
          this.fields[this.current.slot * FIELD_COUNT + this.templateField[line]!] =
            decimalBefore(text, pos + NUMBER_END) * this.templateScale[line]!;
          pos += eolAt + 1;
          continue;
        }
      }
      const eol = text.indexOf('\n', pos);
      if (eol < 0) {
        this.line--;
        return pos;
      }
      this.field(text, pos, eol, line);
      pos = eol + 1;
    }
    return pos;
  }

  private header(text: string, pos: number, eol: number): void {
    const dash = text.indexOf('-', pos);
    const afterEnd = text.indexOf(' ', dash);
    const permsAt = afterEnd + 1;
    const offsetAt = permsAt + 5;
    const afterOffset = text.indexOf(' ', offsetAt);
    const afterDevice = text.indexOf(' ', afterOffset + 1);
    let i = afterDevice + 1;
    let inode = 0;
    for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i)) inode = inode * 10 + (c - ZERO);
    while (i < eol && text.charCodeAt(i) === SPACE) i++;
    // Interned: the mappings outlive the read, and every string they hold costs the GC a copy.
    const perms = intern(this.permsStrings, text.slice(permsAt, permsAt + 4));
    const device = intern(this.devices, text.slice(afterOffset + 1, afterDevice));
    const high = dash - pos > 13;
    const slot = this.mappings.length;
    if ((slot + 1) * FIELD_COUNT > this.fields.length) {
      const grown = new Float64Array(this.fields.length * 2).fill(Number.NaN);
      grown.set(this.fields);
      this.fields = grown;
    }
    const mapping: SmapsMapping = {
      startHex: text.slice(pos, dash),
      endHex: high ? text.slice(dash + 1, afterEnd) : '',
      start: hexValue(text, pos, dash),
      end: hexValue(text, dash + 1, afterEnd),
      high,
      perms,
      offset: hexValue(text, offsetAt, afterOffset),
      device,
      inode,
      path: i < eol ? text.slice(i, eol) : '',
      slot,
      vmFlags: [],
    };
    this.mappings.push(mapping);
    this.current = mapping;
    this.line = 0;
  }

  /** The general path for a field line; learns the layout for this line number when it is regular. */
  private field(text: string, pos: number, eol: number, line: number): void {
    const mapping = this.current;
    if (!mapping) return;
    const colon = text.indexOf(':', pos);
    if (colon < 0 || colon > eol) return;
    const key = keyOf(text, pos, colon);
    const index = FIELD_BY_KEY.get(key);
    if (index !== undefined) {
      const kb = text.charCodeAt(eol - 1) === UPPER_B;
      const numberEnd = kb ? eol - 3 : eol;
      const scale = kb ? 1024 : 1;
      this.fields[mapping.slot * FIELD_COUNT + index] = decimalBefore(text, numberEnd) * scale;
      if (line < MAX_TEMPLATE_LINES && numberEnd - pos === NUMBER_END) {
        this.templateKey[line] = key;
        this.templateColon[line] = colon - pos;
        this.templateEol[line] = eol - pos;
        this.templateField[line] = index;
        this.templateScale[line] = scale;
      }
    } else if (colon - pos === 7 && text.startsWith('VmFlags', pos)) {
      const raw = text.slice(colon + 1, eol);
      let flags = this.flagLists.get(raw);
      if (flags === undefined) {
        flags = raw.split(' ').filter((f) => f.length > 0);
        this.flagLists.set(raw, flags);
      }
      mapping.vmFlags = flags;
    }
  }
}
