import { VmscopeError } from '../../shared/errors';
import type { Snapshot } from '../../shared/model';
import { parseSnapshotJson } from '../../shared/snapshotJson';
import {
  MAX_SNAPSHOT_FILE_BYTES,
  fileTooLarge,
  validateSnapshot,
} from '../../shared/snapshotValidate';

/** Reads a snapshot file the user chose or dropped; a bad one is a `malformed-file` or `limit-exceeded` error naming it. */
export async function openSnapshotFile(file: File): Promise<Snapshot> {
  // Refused before reading: a 2 GB file must not be pulled into memory to find out it is too big.
  if (file.size > MAX_SNAPSHOT_FILE_BYTES) throw fileTooLarge(file.name, file.size);
  const text = await file.text();
  try {
    return validateSnapshot(parseSnapshotJson(text));
  } catch (err) {
    if (err instanceof VmscopeError)
      throw new VmscopeError(err.code, `${file.name}: ${err.message}`);
    throw err;
  }
}
