import type { KeepTakenResult } from '../../shared/api';
import { VmscopeError } from '../../shared/errors';
import { snapshotJsonChunks } from '../../shared/snapshotJsonWriter';
import { MAX_SNAPSHOT_FILE_BYTES } from '../../shared/snapshotValidate';
import type { TakenSnapshots } from '../takenSnapshots';
import type { SnapshotLibrary } from './snapshotLibrary';

/**
 * library.keepTaken: a snapshot the service streamed to a page, kept in the library by the
 * service, so the page never writes its JSON (seconds of its main thread at 100,000 regions).
 * A document over a library file's limit is refused by its size, counted chunk by chunk without
 * making it whole (a million regions would not fit in one string).
 */
export async function keepTaken(
  library: SnapshotLibrary,
  taken: TakenSnapshots,
  id: string,
  name: string | undefined,
  automatic = false,
): Promise<KeepTakenResult> {
  const snapshot = taken.get(id);
  if (!snapshot)
    throw new VmscopeError(
      'not-found',
      'The service no longer holds that snapshot (it keeps the last few it sent): take it again.',
    );
  // Written a chunk at a time, yielding between chunks: this runs on the light worker, whose
  // streams (a page's next snapshot, the sampler) must not wait seconds behind it. Past the
  // limit, the rest is only counted.
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (const chunk of snapshotJsonChunks(snapshot)) {
    bytes += chunk.length;
    if (bytes <= MAX_SNAPSHOT_FILE_BYTES) chunks.push(chunk);
    else chunks.length = 0;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (bytes > MAX_SNAPSHOT_FILE_BYTES)
    return { tooLarge: { bytes, limit: MAX_SNAPSHOT_FILE_BYTES } };
  return { kept: await library.save(snapshot, name, automatic, Buffer.concat(chunks)) };
}
