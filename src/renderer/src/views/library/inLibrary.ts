import { useSyncExternalStore } from 'react';
import type { LibraryEntry } from '../../../../shared/library';
import type { Snapshot } from '../../../../shared/model';

/** Where a snapshot on screen is kept in the library: its entry's id, and whether automatically. */
export interface LibraryMark {
  id: string;
  automatic: boolean;
}

/**
 * Snapshots this window knows are in the library (saved from here, automatically or by hand, or
 * opened from it), so every view that shows one says so. Weak: the store drops old snapshots.
 */
const marks = new WeakMap<Snapshot, LibraryMark>();
let version = 0;
const listeners = new Set<() => void>();

export function markInLibrary(snapshot: Snapshot, entry: Pick<LibraryEntry, 'id' | 'automatic'>) {
  marks.set(snapshot, { id: entry.id, automatic: entry.automatic });
  version++;
  for (const listener of listeners) listener();
}

export const libraryMark = (snapshot: Snapshot): LibraryMark | undefined => marks.get(snapshot);

/** Re-renders when any mark changes; marks are few and change only on saves. */
export function useLibraryMark(snapshot: Snapshot): LibraryMark | undefined {
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => version,
  );
  return marks.get(snapshot);
}
