import { VmscopeError } from '../../shared/errors';
import type { Snapshot } from '../../shared/model';
import type { SnapshotOptions } from '../sources/source';
import { snapshotFromCore } from './coreSnapshot';
import { type DumpFile, openDumpFile } from './dumpFile';
import { looksLikeElfCore, readElfCore } from './elfCore';
import { looksLikeMinidump, readMinidump } from './minidump';
import { snapshotFromMinidump } from './minidumpSnapshot';

export type DumpKind = 'core' | 'minidump';

/** What a file is by its first bytes (never its name): a Linux core, a minidump, or neither. */
export function dumpKindOf(head: Uint8Array): DumpKind | null {
  if (looksLikeElfCore(head)) return 'core';
  if (looksLikeMinidump(head)) return 'minidump';
  return null;
}

/** The first bytes dumpKindOf needs. */
export const DUMP_MAGIC_BYTES = 32;

/** Whether the file at `path` starts like a dump or core file; false for anything unreadable. */
export function isDumpFile(path: string): boolean {
  let file: DumpFile;
  try {
    file = openDumpFile(path);
  } catch {
    return false;
  }
  try {
    return dumpKindOf(file.readAvailable(0, DUMP_MAGIC_BYTES)) !== null;
  } finally {
    file.close();
  }
}

/** A snapshot of the process a dump or core file was written from. */
export function snapshotFromDumpFile(file: DumpFile, options: SnapshotOptions = {}): Snapshot {
  const kind = dumpKindOf(file.readAvailable(0, DUMP_MAGIC_BYTES));
  if (kind === 'core') return snapshotFromCore(file, readElfCore(file), options);
  if (kind === 'minidump') return snapshotFromMinidump(file, readMinidump(file), options);
  throw new VmscopeError(
    'malformed-file',
    `${file.name} is neither a Windows minidump (MDMP) nor a Linux ELF core file.`,
  );
}

/** Opens, reads and closes a dump or core file by its path. */
export function snapshotFromDumpPath(path: string, options: SnapshotOptions = {}): Snapshot {
  const file = openDumpFile(path);
  try {
    return snapshotFromDumpFile(file, options);
  } finally {
    file.close();
  }
}
