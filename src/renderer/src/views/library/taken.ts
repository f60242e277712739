import type { KeepTakenResult } from '../../../../shared/api';
import { toVmError } from '../../../../shared/errors';
import type { Snapshot } from '../../../../shared/model';
import { MAX_SNAPSHOT_FILE_BYTES } from '../../../../shared/snapshotValidate';
import { client } from '../../client';
import { i18next } from '../../i18n';

/** The service's id for a snapshot it streamed to this page (process.snapshotStream's `taken`). */
const takenIds = new WeakMap<Snapshot, string>();

export function markTaken(snapshot: Snapshot, taken: string): void {
  takenIds.set(snapshot, taken);
}

export function takenIdOf(snapshot: Snapshot): string | undefined {
  return takenIds.get(snapshot);
}

/**
 * Keeps a snapshot the service streamed to this page through the service (library.keepTaken),
 * which writes its JSON, so the page never does: undefined when the snapshot was not streamed or
 * the service no longer holds it, and the page must write it itself.
 */
export async function keepTaken(
  snapshot: Snapshot,
  automatic: boolean,
): Promise<KeepTakenResult | undefined> {
  const taken = takenIdOf(snapshot);
  if (taken === undefined) return undefined;
  try {
    return await client.call('library.keepTaken', { taken, automatic });
  } catch (err) {
    if (toVmError(err).code === 'not-found') return undefined;
    throw err;
  }
}

/** Why a snapshot of `bytes` of JSON is not kept: over a library file's limit. */
export function tooLargeToKeep(bytes: number): string {
  return i18next.t('snapshotLoad.tooLargeToKeep', {
    size: Math.ceil(bytes / 2 ** 20),
    limit: MAX_SNAPSHOT_FILE_BYTES / 2 ** 20,
  });
}
