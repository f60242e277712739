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

export const NO_FILTER: RegionFilter = { kinds: null, states: null, protections: null, text: '', hideFree: false };

export function baseProtection(protect: string | null): string {
  if (protect === null) return '(none)';
  return protect.split('|')[0] ?? protect;
}

/** A predicate for one filter, with the text parsed once. */
export function regionMatcher(filter: RegionFilter): (r: Region) => boolean {
  const text = filter.text.trim().toLowerCase();
  const address = text ? parseUserAddress(text) : null;
  const hexText = text.replace(/^0x/, '');
  return (r) => {
    if (filter.hideFree && r.state === 'free') return false;
    if (filter.kinds && !filter.kinds.has(r.kind)) return false;
    if (filter.states && !filter.states.has(r.state)) return false;
    if (filter.protections && !filter.protections.has(baseProtection(r.protect))) return false;
    if (!text) return true;
    if (address !== null) {
      const base = parseAddress(r.base);
      if (address >= base && address < base + BigInt(r.size)) return true;
      if (r.base.slice(2).includes(hexText)) return true;
    }
    return (r.path ?? '').toLowerCase().includes(text) || (r.details ?? '').toLowerCase().includes(text);
  };
}
