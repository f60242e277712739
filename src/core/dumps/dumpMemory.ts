import { VmscopeError } from '../../shared/errors';
import type { MemoryChunk } from '../../shared/memoryContents';
import type { Source } from '../sources/source';
import { DumpContents } from './dumpContents';
import { type DumpFile, openDumpFile } from './dumpFile';
import { capturedRanges, readElfCore } from './elfCore';
import { readMinidump } from './minidump';
import { DUMP_MAGIC_BYTES, dumpKindOf } from './openDump';

/** The captured bytes of one dump or core file, through Source.readMemory's exact shape. */
export interface DumpMemory {
  /** The process the file was written from. */
  readonly pid: number;
  readMemory: NonNullable<Source['readMemory']>;
  close(): void;
}

/**
 * Opens a dump or core file for reads of its captured memory: the file stays open and each read
 * is a few positioned reads, so the contents features (hex view, strings, search) work on dumps.
 * Ranges the file does not hold come back as `not-captured` holes.
 */
export function openDumpMemory(path: string): DumpMemory {
  const file = openDumpFile(path);
  try {
    return dumpMemoryOf(file);
  } catch (err) {
    file.close();
    throw err;
  }
}

/** The process a dump or core file was written from, and where its captured memory is. */
export function capturedMemoryOf(file: DumpFile): { pid: number; contents: DumpContents } {
  const kind = dumpKindOf(file.readAvailable(0, DUMP_MAGIC_BYTES));
  if (kind === 'core') {
    const core = readElfCore(file);
    const pid = core.process?.pid ?? core.threads[0]?.tid ?? 0;
    return { pid, contents: new DumpContents(file, capturedRanges(core)) };
  }
  if (kind === 'minidump') {
    const dump = readMinidump(file);
    return { pid: dump.misc?.pid ?? 0, contents: new DumpContents(file, dump.memory) };
  }
  throw new VmscopeError('malformed-file', `${file.name} is neither a minidump nor a core file.`);
}

export function dumpMemoryOf(file: DumpFile): DumpMemory {
  const { pid, contents } = capturedMemoryOf(file);
  return {
    pid,
    readMemory: async (asked, address, size): Promise<MemoryChunk> => {
      if (asked !== pid)
        throw new VmscopeError('not-found', `${file.name} holds process ${pid}, not ${asked}.`);
      return contents.read(address, size);
    },
    close: () => file.close(),
  };
}
