import { hostname } from 'node:os';
import { basename } from 'node:path';
import type {
  MethodName,
  MethodOutput,
  MethodParsedInput,
  StreamMessage,
  TopicEvent,
  TopicName,
  TopicParsedInput,
} from '../shared/api';
import { VmscopeError } from '../shared/errors';
import type { SourceId, SystemInfo } from '../shared/model';
import { VMSCOPE_VERSION } from '../shared/version';
import { loadOnce } from './loadOnce';
import type { Sampler } from './sampler/sampler';
import type { SessionRecord } from './sandbox/journal';
import type { SessionOptions } from './sandbox/session';
import { SourceRegistry } from './sources/registry';
import type { Source } from './sources/source';

export type MethodImpl = {
  [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>>;
};

/**
 * Starts a stream; resolves to the function that stops it once it has started (its modules
 * loaded), or rejects when it cannot start. `emit` ends the stream on an `end` message.
 */
export type TopicImpl = {
  [T in TopicName]: (
    input: TopicParsedInput<T>,
    emit: (message: StreamMessage<TopicEvent<T>>) => void,
  ) => Promise<() => void>;
};

export interface Service {
  methods: MethodImpl;
  topics: TopicImpl;
  /** Rebuilds sandbox sessions a dead worker had (worker/serviceWorker.ts). */
  restoreSessions(records: SessionRecord[]): Promise<void>;
}

export interface ServiceOptions {
  /** Snapshot files named on the command line (vmscope serve --open FILE). */
  openFiles?: readonly string[];
  /** Sandbox session limits (live-engine caps). */
  sandbox?: SessionOptions;
  /** The snapshot library's folder (default: libraryFolder(), from the environment). */
  libraryFolder?: string;
}

/**
 * The one implementation of the API contract. Inputs arrive already validated (dispatch.ts).
 *
 * Each part (the sandbox, the library, dumps, memory-contents scans, the sampler, the simulator)
 * loads its modules on its first call, through a dynamic import: `vmscope snapshot` loads the
 * contract, this file and the Linux source, nothing else (docs/architecture.md, "Loading").
 */
export function createService(
  registry = new SourceRegistry(),
  sampler?: Sampler,
  options: ServiceOptions = {},
): Service {
  const openFiles = options.openFiles ?? [];
  const sandbox = loadOnce(
    async () => new (await import('./sandbox/session')).SandboxSessions(options.sandbox),
  );
  const scans = loadOnce(async () => {
    const module = await import('./contents/scans');
    return { ...module, slots: new module.ScanSlots() };
  });
  const library = loadOnce(async () => {
    const [{ SnapshotLibrary }, { libraryFolder }] = await Promise.all([
      import('./library/snapshotLibrary'),
      import('./library/libraryFolder'),
    ]);
    return new SnapshotLibrary(options.libraryFolder ?? libraryFolder());
  });
  const dumps = loadOnce(
    async () => new (await import('./dumps/openedDumps')).OpenedDumps(openFiles),
  );
  const taken = loadOnce(async () => new (await import('./takenSnapshots')).TakenSnapshots());
  const samplerOf = loadOnce(
    async () => sampler ?? new (await import('./sampler/sampler')).Sampler(),
  );
  /** Where a memory-contents call reads: an opened dump file's bytes, or a source's live process. */
  const contentsSource = async (
    source: SourceId | undefined,
    file: number | undefined,
  ): Promise<Source> => (file === undefined ? registry.get(source) : (await dumps()).source(file));
  return {
    restoreSessions: async (records) => (await sandbox()).restore(records),
    methods: {
      'system.info': async (): Promise<SystemInfo> => {
        const sources = registry.available();
        const layout = (await registry.get(undefined)).layout();
        return {
          platform: process.platform,
          arch: process.arch,
          hostname: hostname(),
          sources,
          defaultSource: registry.defaultSource(),
          pageSize: layout.pageSize,
          allocationGranularity: layout.allocationGranularity,
          version: VMSCOPE_VERSION,
        };
      },
      'processes.list': async ({ source }) => (await registry.get(source)).listProcesses(),
      'process.snapshot': async ({ pid, source, includeFree }) =>
        (await registry.get(source)).snapshot(pid, { includeFree: includeFree ?? true }),
      'process.counters': async ({ pid, source }) => (await registry.get(source)).counters(pid),
      'region.pages': async ({ source, ...range }) =>
        (await import('./sources/regionPages')).readRegionPages(await registry.get(source), range),
      'region.read': async ({ pid, source, file, address, size }) => {
        const [from, { isOwnProcess }, { memoryReader }] = await Promise.all([
          contentsSource(source, file),
          scans(),
          import('./contents/chunkScan'),
        ]);
        const chunk = await memoryReader(from)(pid, BigInt(address), size);
        return file === undefined && isOwnProcess(from, pid)
          ? { ...chunk, ownProcess: true }
          : chunk;
      },
      'files.opened': async () => openFiles.map((path, index) => ({ index, name: basename(path) })),
      'files.snapshot': async ({ index }) => {
        const path = openFiles[index];
        if (path === undefined)
          throw new VmscopeError(
            'not-found',
            `No file ${index}: vmscope was started with ${openFiles.length}.`,
          );
        const opened = await dumps();
        return opened.isDump(index)
          ? opened.source(index).snapshot(await opened.source(index).pid())
          : (await import('./io/readSnapshotFile')).readSnapshotFile(path);
      },
      'files.readDump': async ({ name, size, pieces }) =>
        (await import('./dumps/dumpPieces')).snapshotFromDumpPieces(name, size, pieces),
      'files.feed': async ({ token, request, pieces }) => (
        (await dumps()).held.feed(token, request, pieces),
        null
      ),
      'library.list': async () => (await library()).list(),
      'library.save': async ({ text, name, automatic }) => {
        const [{ parseSnapshotJson }, { validateSnapshot }] = await Promise.all([
          import('../shared/snapshotJson'),
          import('../shared/snapshotValidate'),
        ]);
        return (await library()).save(validateSnapshot(parseSnapshotJson(text)), name, automatic);
      },
      'library.keepTaken': async ({ taken: id, name, automatic }) =>
        (await import('./library/keepTaken')).keepTaken(
          await library(),
          await taken(),
          id,
          name,
          automatic,
        ),
      'library.take': async ({ pid, source, name }) =>
        (await library()).save(
          await (await registry.get(source)).snapshot(pid, { includeFree: true }),
          name,
        ),
      'library.open': async ({ id }) => (await library()).open(id),
      'library.rename': async ({ id, name }) => (await library()).rename(id, name),
      'library.keep': async ({ id }) => (await library()).keep(id),
      'library.delete': async ({ id }) => (await (await library()).delete(id), null),
      'machine.view': async () => (await registry.machine()).view(),
      'machine.clock': async ({ action, ms }) => (await registry.machine()).clock(action, ms),
      'sandbox.open': async (input) => (await sandbox()).open(input),
      'sandbox.step': async ({ session, step }) => (await sandbox()).step(session, step),
      'sandbox.state': async ({ session }) => (await sandbox()).state(session),
      'sandbox.reset': async ({ session }) => (await sandbox()).reset(session),
      'sandbox.undo': async ({ session }) => (await sandbox()).undo(session),
      'sandbox.load': async ({ session, script }) => (await sandbox()).load(session, script),
      'sandbox.read': async ({ session, address, size }) =>
        (await sandbox()).read(session, BigInt(address), size),
      'sandbox.close': async ({ session }) => ((await sandbox()).close(session), null),
    },
    topics: {
      'process.snapshotStream': async ({ pid, source, includeFree }, emit) => {
        const [from, held, { startSnapshotStream }] = await Promise.all([
          registry.get(source),
          taken(),
          import('./snapshotStream'),
        ]);
        return startSnapshotStream(from, pid, { includeFree: includeFree ?? true }, held, emit);
      },
      'counters.watch': async ({ pid, source, intervalMs }, emit) => {
        const [from, watcher, { DEFAULT_INTERVAL_MS }] = await Promise.all([
          registry.get(source),
          samplerOf(),
          import('./sampler/sampler'),
        ]);
        return watcher.watch(from, pid, intervalMs ?? DEFAULT_INTERVAL_MS, emit);
      },
      'process.search': async ({ source, file, ...input }, emit) => {
        const [from, { slots, startSearch }] = await Promise.all([
          contentsSource(source, file),
          scans(),
        ]);
        return startSearch(slots, from, input, emit);
      },
      'process.strings': async ({ source, file, min, encodings, ...rest }, emit) => {
        const [from, { slots, startStrings }] = await Promise.all([
          contentsSource(source, file),
          scans(),
        ]);
        return startStrings(
          slots,
          from,
          { ...rest, min: min ?? 4, encodings: encodings ?? ['ascii', 'utf16le'] },
          emit,
        );
      },
      'files.hold': async ({ name, size }, emit) => (await dumps()).held.hold(name, size, emit),
      'region.stats': async ({ source, file, ...input }, emit) => {
        const [from, { slots, startStats }] = await Promise.all([
          contentsSource(source, file),
          scans(),
        ]);
        return startStats(slots, from, input, emit);
      },
    },
  };
}
