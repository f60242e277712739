import { snapshotFromDumpPieces } from './dumps/dumpPieces';
import { hostname } from 'node:os';
import type {
  MethodName,
  MethodOutput,
  MethodParsedInput,
  StreamMessage,
  TopicEvent,
  TopicName,
  TopicParsedInput,
} from '../shared/api';
import type { SourceId, SystemInfo } from '../shared/model';
import type { Source } from './sources/source';
import { VMSCOPE_VERSION } from '../shared/version';
import { DEFAULT_INTERVAL_MS, Sampler } from './sampler/sampler';
import { basename } from 'node:path';
import { VmscopeError } from '../shared/errors';
import { readSnapshotFile } from './io/readSnapshotFile';
import { libraryFolder } from './library/libraryFolder';
import { SnapshotLibrary } from './library/snapshotLibrary';
import { parseSnapshotJson } from '../shared/snapshotJson';
import { validateSnapshot } from '../shared/snapshotValidate';
import type { SessionRecord } from './sandbox/journal';
import { SandboxSessions, type SessionOptions } from './sandbox/session';
import { readRegionPages } from './sources/regionPages';
import { SourceRegistry } from './sources/registry';
import { ScanSlots, isOwnProcess, startSearch, startStats, startStrings } from './contents/scans';
import { memoryReader } from './contents/chunkScan';
import { OpenedDumps } from './dumps/openedDumps';
import { startSnapshotStream } from './snapshotStream';
import { TakenSnapshots } from './takenSnapshots';
import { keepTaken } from './library/keepTaken';

export type MethodImpl = {
  [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>>;
};

/** Starts a stream; returns the function that stops it. `emit` ends the stream on an `end` message. */
export type TopicImpl = {
  [T in TopicName]: (
    input: TopicParsedInput<T>,
    emit: (message: StreamMessage<TopicEvent<T>>) => void,
  ) => () => void;
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

/** The one implementation of the API contract. Inputs arrive already validated (dispatch.ts). */
export function createService(
  registry = new SourceRegistry(),
  sampler = new Sampler(),
  options: ServiceOptions = {},
): Service {
  const openFiles = options.openFiles ?? [];
  const sandbox = new SandboxSessions(options.sandbox);
  const scans = new ScanSlots();
  const library = new SnapshotLibrary(options.libraryFolder ?? libraryFolder());
  const dumps = new OpenedDumps(openFiles);
  const taken = new TakenSnapshots();
  /** Where a memory-contents call reads: an opened dump file's bytes, or a source's live process. */
  const contentsSource = (source: SourceId | undefined, file: number | undefined): Source =>
    file === undefined ? registry.get(source) : dumps.source(file);
  return {
    restoreSessions: (records) => sandbox.restore(records),
    methods: {
      'system.info': async (): Promise<SystemInfo> => {
        const sources = registry.available();
        const layout = registry.get(undefined).layout();
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
      'processes.list': ({ source }) => registry.get(source).listProcesses(),
      'process.snapshot': ({ pid, source, includeFree }) =>
        registry.get(source).snapshot(pid, { includeFree: includeFree ?? true }),
      'process.counters': ({ pid, source }) => registry.get(source).counters(pid),
      'region.pages': ({ source, ...range }) => readRegionPages(registry.get(source), range),
      'region.read': async ({ pid, source, file, address, size }) => {
        const from = contentsSource(source, file);
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
        return dumps.isDump(index)
          ? dumps.source(index).snapshot(await dumps.source(index).pid())
          : readSnapshotFile(path);
      },
      'files.readDump': async ({ name, size, pieces }) =>
        snapshotFromDumpPieces(name, size, pieces),
      'files.feed': async ({ token, request, pieces }) => (
        dumps.held.feed(token, request, pieces),
        null
      ),
      'library.list': () => library.list(),
      'library.save': ({ text, name, automatic }) =>
        library.save(validateSnapshot(parseSnapshotJson(text)), name, automatic),
      'library.keepTaken': ({ taken: id, name, automatic }) =>
        keepTaken(library, taken, id, name, automatic),
      'library.take': async ({ pid, source, name }) =>
        library.save(await registry.get(source).snapshot(pid, { includeFree: true }), name),
      'library.open': ({ id }) => library.open(id),
      'library.rename': ({ id, name }) => library.rename(id, name),
      'library.keep': ({ id }) => library.keep(id),
      'library.delete': async ({ id }) => (await library.delete(id), null),
      'machine.view': async () => registry.machine().view(),
      'machine.clock': async ({ action, ms }) => registry.machine().clock(action, ms),
      'sandbox.open': (input) => sandbox.open(input),
      'sandbox.step': ({ session, step }) => sandbox.step(session, step),
      'sandbox.state': ({ session }) => sandbox.state(session),
      'sandbox.reset': ({ session }) => sandbox.reset(session),
      'sandbox.undo': ({ session }) => sandbox.undo(session),
      'sandbox.load': ({ session, script }) => sandbox.load(session, script),
      'sandbox.read': ({ session, address, size }) => sandbox.read(session, BigInt(address), size),
      'sandbox.close': async ({ session }) => (sandbox.close(session), null),
    },
    topics: {
      'process.snapshotStream': ({ pid, source, includeFree }, emit) =>
        startSnapshotStream(
          registry.get(source),
          pid,
          { includeFree: includeFree ?? true },
          taken,
          emit,
        ),
      'counters.watch': ({ pid, source, intervalMs }, emit) =>
        sampler.watch(registry.get(source), pid, intervalMs ?? DEFAULT_INTERVAL_MS, emit),
      'process.search': ({ source, file, ...input }, emit) =>
        startSearch(scans, contentsSource(source, file), input, emit),
      'process.strings': ({ source, file, min, encodings, ...rest }, emit) =>
        startStrings(
          scans,
          contentsSource(source, file),
          { ...rest, min: min ?? 4, encodings: encodings ?? ['ascii', 'utf16le'] },
          emit,
        ),
      'files.hold': ({ name, size }, emit) => dumps.held.hold(name, size, emit),
      'region.stats': ({ source, file, ...input }, emit) =>
        startStats(scans, contentsSource(source, file), input, emit),
    },
  };
}
