/**
 * Writes the snapshot document (snapshotJson.ts, docs/snapshot-format.md) as text. A snapshot on
 * columns (snapshotColumns.ts: the Linux source's, a decoded one) is written straight from them:
 * no Region object is made, and each distinct string (a path, a protection, a VmFlags list) is
 * escaped once rather than once per region. The bytes are exactly JSON.stringify's of the same
 * snapshot with its regions built (test/snapshotJsonBytes.test.ts keeps them so).
 */
import { REGION_KINDS, REGION_STATES, REGION_TYPES, type Snapshot } from './model';
import {
  EXTRA_BIT,
  type ExtraKind,
  HAS_ALLOCATION,
  NO_TYPE,
  type RegionColumns,
  addressWriter,
  regionColumnsOf,
  snapshotWithoutRegions,
} from './snapshotColumns';

/** Regions per chunk: big enough that joining is cheap, small enough to stream. */
const CHUNK_REGIONS = 2048;

/** A number as JSON writes it (NaN and the infinities are null there). */
const num = (n: number): string => (Number.isFinite(n) ? `${n}` : 'null');

const quoted = (names: readonly string[]): string[] => names.map((n) => JSON.stringify(n));
const STATES = quoted(REGION_STATES);
const KINDS = quoted(REGION_KINDS);
const TYPES = quoted(REGION_TYPES);

/**
 * The document's fields before and after `regions`, in the documented order, each part as JSON
 * writes it (`{"format":...,"counters":{...},"regions":[` and `],...}`).
 */
function frame(s: Omit<Snapshot, 'regions'>): { head: string; tail: string } {
  const head = JSON.stringify({
    format: s.format,
    version: s.version,
    takenAt: s.takenAt,
    source: s.source,
    host: s.host,
    system: s.system,
    process: s.process,
    counters: s.counters,
  });
  const tail = JSON.stringify({
    ...(s.details === undefined ? {} : { details: s.details }),
    ...(s.durationMs === undefined ? {} : { durationMs: s.durationMs }),
    ...(s.truncated === undefined ? {} : { truncated: s.truncated }),
  });
  return {
    head: `${head.slice(0, -1)},"regions":[`,
    tail: tail === '{}' ? ']}\n' : `],${tail.slice(1)}\n`,
  };
}

/** One group's extras (`,"linux":{...}`) of row i, as JSON.stringify writes the built object. */
function extrasWriter(
  c: RegionColumns,
  json: (index: number) => string,
): ((i: number) => string) | null {
  if (c.extras.length === 0) return null;
  // Words and json values are written as their decoded value would be: once per string.
  const decodedJson = new Map<number, string>();
  const valueJson = (kind: ExtraKind, index: number): string => {
    if (kind === 'string') return json(index);
    let text = decodedJson.get(index);
    if (text === undefined) {
      const s = c.strings[index]!;
      text = JSON.stringify(kind === 'words' ? (s === '' ? [] : s.split(' ')) : JSON.parse(s));
      decodedJson.set(index, text);
    }
    return text;
  };
  const groups = c.extras.map((g) => ({
    bit: EXTRA_BIT[g.name],
    open: `,${JSON.stringify(g.name)}:{`,
    fields: g.fields.map((f) => ({ ...f, key: `${JSON.stringify(f.key)}:` })),
  }));
  return (i) => {
    let out = '';
    const flags = c.flags[i]!;
    for (const g of groups) {
      if (!(flags & g.bit)) continue;
      let body = '';
      for (const f of g.fields) {
        const v = f.column[i]!;
        let value: string;
        if (f.kind === 'number') {
          if (v !== v) continue;
          value = num(v);
        } else {
          if (v < 0) continue;
          value = valueJson(f.kind, v);
        }
        body += body === '' ? f.key + value : `,${f.key}${value}`;
      }
      out += `${g.open}${body}}`;
    }
    return out;
  };
}

/** The regions of `c` from `from` up to `to`, each as JSON, joined by commas. */
function regionsChunk(
  c: RegionColumns,
  from: number,
  to: number,
  json: (index: number) => string,
  address: (hi: number, lo: number) => string,
  extras: ((i: number) => string) | null,
): string {
  const parts: string[] = new Array(to - from);
  for (let i = from; i < to; i++) {
    const flags = c.flags[i]!;
    const type = c.type[i]!;
    const tid = c.threadId[i]!;
    const allocation =
      flags & HAS_ALLOCATION ? `"${address(c.allocHi[i]!, c.allocLo[i]!)}"` : 'null';
    parts[i - from] =
      `{"base":"${address(c.baseHi[i]!, c.baseLo[i]!)}","size":${num(c.size[i]!)}` +
      `,"allocationBase":${allocation},"state":${STATES[c.state[i]!]}` +
      `,"protect":${json(c.protect[i]!)},"allocationProtect":${json(c.allocationProtect[i]!)}` +
      `,"type":${type === NO_TYPE ? 'null' : TYPES[type]},"kind":${KINDS[c.kind[i]!]}` +
      `,"committed":${num(c.committed[i]!)},"workingSet":{"total":${num(c.wsTotal[i]!)}` +
      `,"private":${num(c.wsPrivate[i]!)},"shareable":${num(c.wsShareable[i]!)}` +
      `,"shared":${num(c.wsShared[i]!)},"locked":${num(c.wsLocked[i]!)}}` +
      `,"path":${json(c.path[i]!)},"details":${json(c.details[i]!)}` +
      (extras ? extras(i) : '') +
      (tid === tid ? `,"threadId":${num(tid)}}` : '}');
  }
  return parts.join(',');
}

/**
 * The document in chunks (for a stream); joined, they are the whole text, one line and a final
 * newline.
 */
export function* snapshotJsonChunks(s: Snapshot): Generator<string> {
  const c = regionColumnsOf(s);
  const { head, tail } = frame(c ? snapshotWithoutRegions(s) : s);
  if (!c) {
    // Regions that are objects already: JSON.stringify writes them as fast as anything can.
    yield `${head}${JSON.stringify(s.regions).slice(1, -1)}${tail}`;
    return;
  }
  const strings: (string | undefined)[] = new Array(c.strings.length);
  const json = (index: number): string =>
    index < 0 ? 'null' : (strings[index] ??= JSON.stringify(c.strings[index]!));
  const address = addressWriter();
  const extras = extrasWriter(c, json);
  yield head;
  for (let from = 0; from < c.count; from += CHUNK_REGIONS) {
    const chunk = regionsChunk(
      c,
      from,
      Math.min(c.count, from + CHUNK_REGIONS),
      json,
      address,
      extras,
    );
    yield from === 0 ? chunk : `,${chunk}`;
  }
  yield tail;
}

/** The whole document, keys in the documented order, one line and a final newline. */
export function snapshotToJson(s: Snapshot): string {
  let text = '';
  for (const chunk of snapshotJsonChunks(s)) text += chunk;
  return text;
}
