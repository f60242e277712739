import { VmscopeError } from '../../shared/errors';
import type { Snapshot } from '../../shared/model';
import { validateSnapshot } from '../../shared/snapshotValidate';
import type { Source } from '../sources/source';
import { type DumpMemory, openDumpMemory } from './dumpMemory';
import { snapshotFromDumpPath } from './openDump';

/**
 * A dump or core file as a source of one process that is gone: its snapshot and its captured
 * bytes, so the memory-contents features (region.read, search, strings, statistics) run over a
 * dump exactly as over a live process. What it cannot have (counters now, page states) is refused.
 */
export interface DumpSource extends Source {
  /** The process the file was written from. */
  pid(): Promise<number>;
  close(): void;
}

export function createDumpSource(path: string): DumpSource {
  let snapshot: Snapshot | null = null;
  let memory: DumpMemory | null = null;
  return dumpSourceOf(
    path,
    () => (snapshot ??= validateSnapshot(snapshotFromDumpPath(path))),
    () => (memory ??= openDumpMemory(path)),
    () => memory?.close(),
  );
}

/**
 * The source of a dump whose snapshot and memory come from `read` and `memory` (each called when
 * first needed): a file on the service's side, or one the page holds (heldDumps.ts).
 */
export function dumpSourceOf(
  path: string,
  read: () => Snapshot,
  memory: () => DumpMemory,
  close: () => void,
): DumpSource {
  const checked = (pid: number): Snapshot => {
    const s = read();
    if (s.process.pid !== pid)
      throw new VmscopeError('not-found', `${path} holds process ${s.process.pid}, not ${pid}.`);
    return s;
  };
  const gone = (what: string): never => {
    throw new VmscopeError(
      'invalid-input',
      `${path} is a dump: the process is gone, so its ${what} cannot be read now.`,
    );
  };
  return {
    get id() {
      return read().source;
    },
    layout: () => read().system,
    listProcesses: async () => {
      const s = read();
      return [
        {
          pid: s.process.pid,
          parentPid: null,
          name: s.process.name,
          path: s.process.path,
          user: null,
          workingSetSize: s.counters.workingSetSize,
          privateBytes: s.counters.privateUsage,
          startTime: null,
          commandLine: s.process.commandLine,
          kernelThread: false,
        },
      ];
    },
    snapshot: async (pid) => checked(pid),
    pid: async () => read().process.pid,
    counters: async () => gone('counters'),
    pages: async () => gone('page states'),
    readMemory: async (pid, address, size) => {
      checked(pid);
      return memory().readMemory(pid, address, size);
    },
    close,
  };
}
