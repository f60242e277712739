import { VmscopeError } from '../../shared/errors';
import type { Snapshot } from '../../shared/model';
import { parseSnapshotJson } from '../../shared/snapshotJson';
import { MAX_SNAPSHOT_FILE_BYTES, validateSnapshot } from '../../shared/snapshotValidate';
import { isDumpFile, snapshotFromDumpPath } from '../dumps/openDump';
import { readBoundedFile } from './readBoundedFile';

/**
 * Reads, parses and checks a vmscope-snapshot JSON file, or a Windows minidump or Linux core file
 * (known by its first bytes, never its name: docs/dumps.md); every problem is an error naming the
 * file. A dump is read by position, so its size is not capped as a JSON file's is.
 */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  if (isDumpFile(path)) return validateSnapshot(snapshotFromDumpPath(path));
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
