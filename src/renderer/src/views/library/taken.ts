import type { Snapshot } from '../../../../shared/model';

/** The service's id for a snapshot it streamed to this page (process.snapshotStream's `taken`). */
const takenIds = new WeakMap<Snapshot, string>();

export function markTaken(snapshot: Snapshot, taken: string): void {
  takenIds.set(snapshot, taken);
}

export function takenIdOf(snapshot: Snapshot): string | undefined {
  return takenIds.get(snapshot);
}
