import { parseUserAddress } from './address';
import { REGION_KINDS, REGION_STATES, type RegionKind, type RegionState } from './model';
import { type RegionList, baseBigint, baseNumber } from './regionList';
import { addressWriter } from './snapshotColumns';

export interface RegionFilter {
  kinds: ReadonlySet<RegionKind> | null;
  states: ReadonlySet<RegionState> | null;
  /** Base protection names (modifiers like |PAGE_GUARD are ignored for matching). */
  protections: ReadonlySet<string> | null;
  /** Hex address (with or without 0x) contained in the region, or text in its path or details. */
  text: string;
  hideFree: boolean;
}

export const NO_FILTER: RegionFilter = {
  kinds: null,
  states: null,
  protections: null,
  text: '',
  hideFree: false,
};

export function baseProtection(protect: string | null): string {
  if (protect === null) return '(none)';
  return protect.split('|')[0] ?? protect;
}

/**
 * How far a double can be from the 64-bit address it was read from (half an ulp at 2^64), so a
 * region more than this away from the address cannot contain it and needs no exact bigint test.
 */
const DOUBLE_SLACK = 2 ** 12;

/** What the text search reads of each region, prepared once per snapshot. */
interface SearchIndex {
  /** Each base as a double. */
  bases: Float64Array;
  /** Each base in hex, without 0x. */
  hex: string[];
  /** The string table lower-cased (paths and details are indices into it). */
  lower: string[];
}

const indexes = new WeakMap<RegionList, SearchIndex>();

/** Builds (once) what the text search reads; call it ahead, when idle, so the first keystroke is fast. */
export function searchIndex(regions: RegionList): SearchIndex {
  let index = indexes.get(regions);
  if (!index) {
    const c = regions.columns;
    const bases = new Float64Array(c.count);
    const hex = new Array<string>(c.count);
    const address = addressWriter();
    for (let i = 0; i < c.count; i++) {
      bases[i] = baseNumber(c, i);
      hex[i] = address(c.baseHi[i]!, c.baseLo[i]!).slice(2);
    }
    index = { bases, hex, lower: c.strings.map((s) => s.toLowerCase()) };
    indexes.set(regions, index);
  }
  return index;
}

export const isNoFilter = (f: RegionFilter): boolean =>
  f.kinds === null &&
  f.states === null &&
  f.protections === null &&
  f.text.trim() === '' &&
  !f.hideFree;

/** 1 at each index of `names` the set holds, or null for no set (every value passes). */
function allowed<T extends string>(set: ReadonlySet<T> | null, names: readonly T[]) {
  return set && Uint8Array.from(names, (n) => (set.has(n) ? 1 : 0));
}

/** A predicate for one filter over one snapshot's regions (by index), with the text parsed once. */
export function regionMatcher(filter: RegionFilter, regions: RegionList): (i: number) => boolean {
  const c = regions.columns;
  const text = filter.text.trim().toLowerCase();
  const address = text ? parseUserAddress(text) : null;
  const approx = address === null ? 0 : Number(address);
  const hexText = text.replace(/^0x/, '');
  const index = text ? searchIndex(regions) : null;
  const kinds = allowed(filter.kinds, REGION_KINDS);
  const states = allowed(
    filter.hideFree
      ? new Set(REGION_STATES.filter((s) => s !== 'free' && (filter.states?.has(s) ?? true)))
      : filter.states,
    REGION_STATES,
  );
  // Per string of the snapshot (far fewer than regions): its protection passes, its text matches.
  const protections = filter.protections;
  const protectOk = protections && c.strings.map((s) => protections.has(baseProtection(s)));
  const noProtectOk = protections?.has(baseProtection(null)) ?? true;
  const textHit = index && index.lower.map((s) => s.includes(text));
  return (i) => {
    if (states && states[c.state[i]!] === 0) return false;
    if (kinds && kinds[c.kind[i]!] === 0) return false;
    if (protectOk) {
      const p = c.protect[i]!;
      if (!(p < 0 ? noProtectOk : protectOk[p])) return false;
    }
    if (!index) return true;
    if (address !== null) {
      if (index.hex[i]!.includes(hexText)) return true;
      const base = index.bases[i]!;
      const size = c.size[i]!;
      if (approx >= base - DOUBLE_SLACK && approx < base + size + DOUBLE_SLACK) {
        const exact = baseBigint(c, i);
        if (address >= exact && address < exact + BigInt(size)) return true;
      }
    }
    const path = c.path[i]!;
    const details = c.details[i]!;
    return (path >= 0 && textHit![path]!) || (details >= 0 && textHit![details]!);
  };
}

/** Which regions a filter keeps (1) in one pass, or null when it keeps them all. */
export function matchRegions(regions: RegionList, filter: RegionFilter): Uint8Array | null {
  if (isNoFilter(filter)) return null;
  const matches = regionMatcher(filter, regions);
  const out = new Uint8Array(regions.length);
  for (let i = 0; i < regions.length; i++) out[i] = matches(i) ? 1 : 0;
  return out;
}
