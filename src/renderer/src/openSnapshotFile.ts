import {
  DUMP_MAGIC_BYTES,
  type DumpPiece,
  MAX_DUMP_ROUNDS,
  looksLikeDump,
} from '../../shared/dumpPieces';
import { VmscopeError } from '../../shared/errors';
import type { Snapshot } from '../../shared/model';
import { parseSnapshotJson } from '../../shared/snapshotJson';
import {
  MAX_SNAPSHOT_FILE_BYTES,
  fileTooLarge,
  validateSnapshot,
} from '../../shared/snapshotValidate';
import { client } from './client';
import { holdDumpFile, pieceOf } from './holdDumpFile';

/**
 * Reads a snapshot file the user chose or dropped, or a minidump or core file (known by its first
 * bytes); a bad one is a `malformed-file` or `limit-exceeded` error naming it. A dump comes with
 * the file index its contents are read by (holdDumpFile.ts).
 */
export async function openSnapshotFile(
  file: File,
): Promise<{ snapshot: Snapshot; contentsFile?: number }> {
  if (looksLikeDump(new Uint8Array(await file.slice(0, DUMP_MAGIC_BYTES).arrayBuffer()))) {
    const snapshot = await openDumpFile(file);
    const contentsFile = await holdDumpFile(file);
    return contentsFile === null ? { snapshot } : { snapshot, contentsFile };
  }
  // Refused before reading: a 2 GB file must not be pulled into memory to find out it is too big.
  if (file.size > MAX_SNAPSHOT_FILE_BYTES) throw fileTooLarge(file.name, file.size);
  const text = await file.text();
  try {
    return { snapshot: validateSnapshot(parseSnapshotJson(text)) };
  } catch (err) {
    if (err instanceof VmscopeError)
      throw new VmscopeError(err.code, `${file.name}: ${err.message}`);
    throw err;
  }
}

/**
 * A dump is parsed by the service, which asks for the ranges it reads; only those are read from
 * the file and sent (src/shared/dumpPieces.ts), so a dump of gigabytes opens from kilobytes.
 */
async function openDumpFile(file: File): Promise<Snapshot> {
  const pieces: DumpPiece[] = [];
  for (let round = 0; round < MAX_DUMP_ROUNDS; round++) {
    const answer = await client.call('files.readDump', {
      name: file.name,
      size: file.size,
      pieces,
    });
    if ('snapshot' in answer) return answer.snapshot;
    for (const range of answer.need) pieces.push(await pieceOf(file, range.offset, range.length));
  }
  throw new VmscopeError(
    'malformed-file',
    `${file.name}: its structures point at each other more than ${MAX_DUMP_ROUNDS} levels deep.`,
  );
}
