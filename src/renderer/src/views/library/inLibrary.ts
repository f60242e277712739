import type { Snapshot } from '../../../../shared/model';

/**
 * Snapshots this window knows are in the library (saved from here, or opened from it), so Save
 * to library reads "Saved" for them wherever they are shown. Weak: the store drops old snapshots.
 */
const known = new WeakSet<Snapshot>();

export const markInLibrary = (snapshot: Snapshot): void => void known.add(snapshot);
export const isInLibrary = (snapshot: Snapshot): boolean => known.has(snapshot);
