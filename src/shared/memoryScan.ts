/**
 * What the memory-contents calls (region.read, process.search, process.strings, region.stats)
 * take and give, and their limits. docs/memory-contents.md explains them.
 */
import type { Address } from './model';

/** region.read returns at most this many bytes a call; a larger view reads again. */
export const MAX_READ_BYTES = 1024 * 1024;
/** Scans (search, strings, statistics) that may run at once in one service; one more is refused. */
export const MAX_CONCURRENT_SCANS = 4;
/** A search stops (and says so) after this many matches. */
export const MAX_SEARCH_MATCHES = 100_000;
/** A strings scan stops (and says so) after this many strings unless asked for fewer. */
export const MAX_STRINGS = 5_000_000;
/** The longest search pattern, in bytes. */
export const MAX_PATTERN_BYTES = 4096;
/** The most regions a scan can be limited to by name. */
export const MAX_SCAN_REGIONS = 100_000;

export const SEARCH_KINDS = ['text', 'utf16', 'hex'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const STRING_ENCODINGS = ['ascii', 'utf16le'] as const;
export type StringEncoding = (typeof STRING_ENCODINGS)[number];

/** How far a scan has come, in bytes of the regions it reads. */
export interface ScanProgress {
  doneBytes: number;
  totalBytes: number;
  regionsDone: number;
  regionsTotal: number;
}

export interface SearchMatch {
  address: Address;
  /** The region the match starts in. */
  regionBase: Address;
  kind: SearchKind;
}

/** One event of process.search: the matches found since the last one, and the progress. */
export interface SearchEvent {
  matches: SearchMatch[];
  progress: ScanProgress;
  /** Set on the last event: the scan read everything, or stopped at MAX_SEARCH_MATCHES. */
  finished?: { truncated: boolean };
  /** The process is vmscope's own (its reads see vmscope's own buffers). */
  ownProcess?: boolean;
}

export interface FoundString {
  address: Address;
  regionBase: Address;
  encoding: StringEncoding;
  text: string;
}

export interface StringsEvent {
  strings: FoundString[];
  progress: ScanProgress;
  finished?: { truncated: boolean };
  ownProcess?: boolean;
}

/** What a region holds, page by page: the leak hunter's questions. */
export interface ContentStats {
  regionBase: Address;
  size: number;
  /** Pages read whole (pages with a hole are left out of every figure below). */
  pages: number;
  /** Pages whose every byte is zero. */
  zeroPages: number;
  /** Different page contents among the read pages (by hash): 1 means one page copied everywhere. */
  distinctPages: number;
  /** Shannon entropy of the bytes read, in bits per byte (0 to 8). */
  entropy: number;
  /** Bytes under holes (not read). */
  holeBytes: number;
}

export interface StatsEvent {
  stats: ContentStats[];
  progress: ScanProgress;
  finished?: { truncated: boolean };
  ownProcess?: boolean;
}

/** A search pattern as bytes, or the reason it is not one. */
export function patternBytes(
  kind: SearchKind,
  pattern: string,
): { ok: true; bytes: Uint8Array } | { ok: false; message: string } {
  let bytes: Uint8Array;
  if (kind === 'text') bytes = new TextEncoder().encode(pattern);
  else if (kind === 'utf16') {
    bytes = new Uint8Array(pattern.length * 2);
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      bytes[2 * i] = c & 0xff;
      bytes[2 * i + 1] = c >> 8;
    }
  } else {
    const digits = pattern.replace(/[\s,]+/g, '').replace(/^0x/i, '');
    if (!/^([0-9a-fA-F]{2})+$/.test(digits))
      return {
        ok: false,
        message: `A hex pattern is pairs of hex digits, such as "de ad be ef"; got "${pattern.slice(0, 40)}".`,
      };
    bytes = new Uint8Array(digits.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  }
  if (bytes.length === 0) return { ok: false, message: 'The search pattern is empty.' };
  if (bytes.length > MAX_PATTERN_BYTES)
    return {
      ok: false,
      message: `The search pattern is ${bytes.length} bytes; the most is ${MAX_PATTERN_BYTES}.`,
    };
  return { ok: true, bytes };
}
