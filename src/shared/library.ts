/**
 * The snapshot library's contract (docs/library.md): what `library.list` returns and the bounds
 * every face and the core agree on. Ids are made by the core and are 16 lower-case hex digits, so
 * an id can never name a path outside the library folder.
 */
export const LIBRARY_ID_PATTERN = /^[0-9a-f]{16}$/;
/** Snapshots the library keeps at most. */
export const MAX_LIBRARY_ENTRIES = 500;
/** Bytes of snapshot files the library keeps at most (2 GiB). */
export const MAX_LIBRARY_BYTES = 2 * 1024 * 1024 * 1024;
/** Characters in an entry's name. */
export const MAX_LIBRARY_NAME = 200;

/** One saved snapshot, as listed. */
export interface LibraryEntry {
  id: string;
  /** The user's name for it (defaults to the process name and time). */
  name: string;
  /** ISO 8601: when the snapshot was taken. */
  takenAt: string;
  /** ISO 8601: when it was saved to the library. */
  savedAt: string;
  source: string;
  process: { pid: number; name: string };
  regions: number;
  /**
   * Saved automatically (the app keeps every snapshot taken or opened): the oldest automatic
   * entries are deleted to make room for new ones. False once saved, kept or renamed by hand.
   */
  automatic: boolean;
  /** Size of the snapshot file, in bytes. */
  bytes: number;
}

/** A library file that could not be read: listed with its reason, never fatal. */
export interface LibraryDamage {
  file: string;
  reason: string;
}

export interface LibraryListing {
  entries: LibraryEntry[];
  damaged: LibraryDamage[];
  /** The folder the library lives in, for the user to find it. */
  folder: string;
  limits: { entries: number; bytes: number };
}

/** A name is shown on one line: control characters (C0 and DEL) would break the listing. */
export function isLibraryName(name: string): boolean {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_LIBRARY_NAME) return false;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}
