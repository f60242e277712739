import { VmscopeError } from '../../shared/errors';
import type { Snapshot } from '../../shared/model';
import { parseSnapshotJson } from '../../shared/snapshotJson';
import { MAX_SNAPSHOT_FILE_BYTES, validateSnapshot } from '../../shared/snapshotValidate';
import { readBoundedFile } from './readBoundedFile';

/** Reads, parses and checks a vmscope-snapshot JSON file; every problem is an error naming the file. */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readBoundedFile(path, MAX_SNAPSHOT_FILE_BYTES);
  } catch (err) {
    if (err instanceof VmscopeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : (err as Error).message;
    throw new VmscopeError('not-found', `Cannot read ${path}: ${why}.`);
  }
  try {
    return validateSnapshot(parseSnapshotJson(text));
  } catch (err) {
    if (err instanceof VmscopeError) throw new VmscopeError(err.code, `${path}: ${err.message}`);
    throw err;
  }
}
