import { parseAddress, parseUserAddress } from './address';
import type { Region, RegionKind, RegionState } from './model';

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
  /** Each base as a double (Number reads the 0x string without a bigint). */
  bases: Float64Array;
  /** Path and details, lower-cased, joined by a newline (which no search text contains). */
  text: string[];
}

const indexes = new WeakMap<readonly Region[], SearchIndex>();

/** Builds (once) what the text search reads; call it ahead, when idle, so the first keystroke is fast. */
export function searchIndex(regions: readonly Region[]): SearchIndex {
  let index = indexes.get(regions);
  if (!index) {
    const bases = new Float64Array(regions.length);
    const text = new Array<string>(regions.length);
    for (let i = 0; i < regions.length; i++) {
      const r = regions[i]!;
      bases[i] = Number(r.base);
      text[i] = `${r.path ?? ''}\n${r.details ?? ''}`.toLowerCase();
    }
    index = { bases, text };
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

/** A predicate for one filter over one snapshot's regions (by index), with the text parsed once. */
export function regionMatcher(
  filter: RegionFilter,
  regions: readonly Region[],
): (i: number) => boolean {
  const text = filter.text.trim().toLowerCase();
  const address = text ? parseUserAddress(text) : null;
  const approx = address === null ? 0 : Number(address);
  const hexText = text.replace(/^0x/, '');
  const index = text ? searchIndex(regions) : null;
  return (i) => {
    const r = regions[i]!;
    if (filter.hideFree && r.state === 'free') return false;
    if (filter.kinds && !filter.kinds.has(r.kind)) return false;
    if (filter.states && !filter.states.has(r.state)) return false;
    if (filter.protections && !filter.protections.has(baseProtection(r.protect))) return false;
    if (!index) return true;
    if (address !== null) {
      if (r.base.includes(hexText, 2)) return true;
      const base = index.bases[i]!;
      if (approx >= base - DOUBLE_SLACK && approx < base + r.size + DOUBLE_SLACK) {
        const exact = parseAddress(r.base);
        if (address >= exact && address < exact + BigInt(r.size)) return true;
      }
    }
    return index.text[i]!.includes(text);
  };
}

/** Which regions a filter keeps (1) in one pass, or null when it keeps them all. */
export function matchRegions(regions: readonly Region[], filter: RegionFilter): Uint8Array | null {
  if (isNoFilter(filter)) return null;
  const matches = regionMatcher(filter, regions);
  const out = new Uint8Array(regions.length);
  for (let i = 0; i < regions.length; i++) out[i] = matches(i) ? 1 : 0;
  return out;
}
