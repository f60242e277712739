/**
 * The API contract: every method and subscription the UI (or any face) can use, declared once
 * with its input schema. The Electron preload and binding, the browser host and the CLI are
 * generic over these two tables: adding a method is one entry here and one implementation in
 * src/core/service.ts.
 */
import { z } from 'zod';
import type { Counters, ProcessInfo, Sample, Snapshot, SystemInfo } from './model';
import { SOURCE_IDS } from './model';
import type { MachineClock, MachineView } from './machineView';
import { MAX_PAGES_PER_QUERY, type RegionPages } from './pageStates';
import { SESSION_ENGINES, type SandboxDelta, type SandboxState } from './sandboxSession';
import { machineSettingsSchema } from './machineSettings';
import {
  LIBRARY_ID_PATTERN,
  MAX_LIBRARY_NAME,
  isLibraryName,
  type LibraryEntry,
  type LibraryListing,
} from './library';
import { MAX_SNAPSHOT_FILE_BYTES } from './snapshotValidate';
import type { MemoryChunk } from './memoryContents';
import {
  MAX_PATTERN_BYTES,
  MAX_READ_BYTES,
  MAX_SCAN_REGIONS,
  MAX_STRINGS,
  SEARCH_KINDS,
  STRING_ENCODINGS,
  type SearchEvent,
  type StatsEvent,
  type StringsEvent,
} from './memoryScan';
import type { BINARY_CODECS, BinaryEncoding, EncodedValue, ResultEncoding } from './rpc/codecs';
import { type DumpReadResult, type HoldEvent, MAX_DUMP_PIECE_BYTES } from './dumpPieces';

declare const outputMarker: unique symbol;

export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  description: string;
  /**
   * How the result travels (shared/rpc/codecs.ts): `json` when absent, or a binary codec that
   * every face applies by this declaration, never by looking at the value.
   */
  encoding?: ResultEncoding;
  /** Type-level only: the shape of a successful result. */
  readonly [outputMarker]?: O;
}

export interface SubscriptionSpec<I extends z.ZodType, E> {
  input: I;
  description: string;
  readonly [outputMarker]?: E;
}

/** The encodings a result of type O may declare: JSON, or a binary codec whose values O fits. */
type EncodingFor<O> =
  | 'json'
  | {
      [E in BinaryEncoding]: O extends Parameters<(typeof BINARY_CODECS)[E]['encode']>[0]
        ? E
        : never;
    }[BinaryEncoding];

/** Curried so the output type is given and the input type is inferred. */
/**
 * A spec whose input schema is made on first use: building every method's zod schema cost a
 * command-line run tens of milliseconds at start, for the one method it calls.
 */
function lazyInput<I extends z.ZodType, S extends object>(
  make: () => I,
  rest: S,
): S & { readonly input: I } {
  let schema: I | undefined;
  return Object.defineProperty(rest, 'input', {
    enumerable: true,
    get: () => (schema ??= make()),
  }) as S & { readonly input: I };
}

function method<O>() {
  return <I extends z.ZodType>(
    input: () => I,
    description: string,
    encoding?: EncodingFor<O>,
  ): MethodSpec<I, O> => lazyInput(input, encoding ? { description, encoding } : { description });
}

function subscription<E>() {
  return <I extends z.ZodType>(input: () => I, description: string): SubscriptionSpec<I, E> =>
    lazyInput(input, { description });
}

export const sourceIdSchema = z.enum(SOURCE_IDS);
export const pidSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
const sessionIdSchema = z.string().min(1).max(100);

const noInput = z.object({}).strict();
const libraryIdSchema = z
  .string()
  .regex(LIBRARY_ID_PATTERN, 'a library id (16 lower-case hex digits)');
const libraryNameSchema = z
  .string()
  .max(MAX_LIBRARY_NAME + 100)
  .refine(
    isLibraryName,
    `a name of 1 to ${MAX_LIBRARY_NAME} characters, without control characters`,
  );

const hexAddressSchema = z.string().regex(/^0x[0-9a-f]{1,16}$/, 'a 0x lower-case hex address');
const scanRegionsSchema = z.array(hexAddressSchema).min(1).max(MAX_SCAN_REGIONS).optional();
/**
 * A dump or core file vmscope was started with (its `files.opened` index), or one the page holds
 * (the index its `files.hold` stream gave): the memory-contents calls then read the bytes the
 * file captured instead of a live process (docs/dumps.md).
 */
const contentsFileSchema = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 31 - 1)
  .optional();
const dumpPiecesSchema = z
  .array(
    z
      .object({
        offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        data: z.string().max(Math.ceil(MAX_DUMP_PIECE_BYTES / 3) * 4),
      })
      .strict(),
  )
  .max(100_000);

/** What region.read returns: the bytes with their holes, and whether they are vmscope's own. */
export type MemoryRead = MemoryChunk & { ownProcess?: boolean };

/** What process.snapshot and process.snapshotStream take: the same ask, answered whole or as read. */
const snapshotInput = () =>
  z
    .object({
      pid: pidSchema,
      source: sourceIdSchema.optional(),
      includeFree: z.boolean().optional(),
    })
    .strict();

export const methods = {
  'system.info': method<SystemInfo>()(
    () => noInput,
    'Platform, available sources, page size and allocation granularity.',
  ),
  'processes.list': method<ProcessInfo[]>()(
    () => z.object({ source: sourceIdSchema.optional() }).strict(),
    'Every process the source can see, with its working set and private bytes.',
  ),
  'process.snapshot': method<Snapshot>()(
    snapshotInput,
    'Every region of a process address space, with counters.',
    'snapshot',
  ),
  'process.counters': method<Counters>()(
    () => z.object({ pid: pidSchema, source: sourceIdSchema.optional() }).strict(),
    'The cheap GetProcessMemoryInfo-style counters of one process.',
  ),
  'files.opened': method<OpenedFile[]>()(
    () => noInput,
    'The snapshot files vmscope was started with (vmscope serve --open FILE).',
  ),
  'files.snapshot': method<Snapshot>()(
    () => z.object({ index: z.number().int().nonnegative().max(1000) }).strict(),
    'One of the files vmscope was started with, read and checked.',
    'snapshot',
  ),
  'files.readDump': method<DumpReadResult>()(
    () =>
      z
        .object({
          name: z.string().max(1000),
          size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
          pieces: dumpPiecesSchema,
        })
        .strict(),
    'Open a minidump or core file the page holds: returns the snapshot, or the byte ranges to send next (docs/dumps.md).',
  ),
  'files.feed': method<null>()(
    () =>
      z
        .object({
          token: z.string().regex(/^[0-9a-f]{32}$/, 'the token of a files.hold stream'),
          request: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
          pieces: dumpPiecesSchema,
        })
        .strict(),
    "Answer a files.hold stream's request: the bytes of the ranges it asked for, read from the file the page holds.",
  ),
  'sandbox.open': method<SandboxState>()(
    () =>
      z
        .object({ engine: z.enum(SESSION_ENGINES), machine: machineSettingsSchema.optional() })
        .strict(),
    'Open a sandbox session on the simulated Windows model or a live child process; returns its state.',
  ),
  'sandbox.step': method<SandboxDelta>()(
    () => z.object({ session: sessionIdSchema, step: z.record(z.string(), z.unknown()) }).strict(),
    'Run one script step (docs/sandbox-script.md); returns its history entry and what it changed (applySandboxDelta). A failing call is a result, a malformed step an error.',
  ),
  'sandbox.state': method<SandboxState>()(
    () => z.object({ session: sessionIdSchema }).strict(),
    'History, allocations page by page, and counters.',
  ),
  'sandbox.reset': method<SandboxState>()(
    () => z.object({ session: sessionIdSchema }).strict(),
    'Forget every step and start afresh.',
  ),
  'sandbox.undo': method<SandboxState>()(
    () => z.object({ session: sessionIdSchema }).strict(),
    'Go back to before the last step (the engine restores its checkpoint).',
  ),
  'sandbox.load': method<SandboxState>()(
    () => z.object({ session: sessionIdSchema, script: z.unknown() }).strict(),
    'Replace the history with a sandbox script and run it.',
  ),
  'sandbox.read': method<MemoryChunk>()(
    () =>
      z
        .object({
          session: sessionIdSchema,
          address: hexAddressSchema,
          size: z.number().int().positive().max(MAX_READ_BYTES),
        })
        .strict(),
    `Read-only: bytes of a sandbox session's process (the simulated model's, or the live child's real ones), up to ${MAX_READ_BYTES} a call, unreadable pages as holes.`,

    'bytes',
  ),
  'sandbox.close': method<null>()(
    () => z.object({ session: sessionIdSchema }).strict(),
    'Close a session (a live one stops its child).',
  ),
  'region.read': method<MemoryRead>()(
    () =>
      z
        .object({
          pid: pidSchema,
          source: sourceIdSchema.optional(),
          file: contentsFileSchema,
          address: hexAddressSchema,
          size: z.number().int().positive().max(MAX_READ_BYTES),
        })
        .strict(),
    `Read-only: the bytes of [address, address + size) of a process (up to ${MAX_READ_BYTES} bytes a call); pages that cannot be read are holes with their reason, never zeros (docs/memory-contents.md).`,

    'bytes',
  ),
  'region.pages': method<RegionPages>()(
    () =>
      z
        .object({
          pid: pidSchema,
          source: sourceIdSchema.optional(),
          base: hexAddressSchema,
          size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
        })
        .strict(),
    `The working-set state of each page in [base, base + size), as runs: resident, swapped, shared, locked, dirty where the source knows them (up to ${MAX_PAGES_PER_QUERY} pages a call).`,
  ),
  'library.list': method<LibraryListing>()(
    () => noInput,
    'The snapshots kept in the library (docs/library.md), newest first, and the library files that could not be read, with why.',
  ),
  'library.save': method<LibraryEntry>()(
    () =>
      z
        .object({
          text: z.string().max(MAX_SNAPSHOT_FILE_BYTES),
          name: libraryNameSchema.optional(),
          automatic: z.boolean().optional(),
        })
        .strict(),
    'Keep a snapshot (a vmscope-snapshot document, as text) in the library; `automatic` ones make room by deleting the oldest automatic entries.',
  ),
  'library.keepTaken': method<KeepTakenResult>()(
    () =>
      z
        .object({
          taken: z.string().regex(/^[0-9a-f]{16}$/, 'a taken id (16 lower-case hex digits)'),
          name: libraryNameSchema.optional(),
          automatic: z.boolean().optional(),
        })
        .strict(),
    "Keep in the library a snapshot the service streamed to this page (the `taken` id of process.snapshotStream's last event), written by the service; `not-found` once it no longer holds it.",
  ),
  'library.take': method<LibraryEntry>()(
    () =>
      z
        .object({
          pid: pidSchema,
          source: sourceIdSchema.optional(),
          name: libraryNameSchema.optional(),
        })
        .strict(),
    'Take a snapshot of a process and keep it in the library.',
  ),
  'library.open': method<Snapshot>()(
    () => z.object({ id: libraryIdSchema }).strict(),
    'One snapshot of the library, read and checked.',
    'snapshot',
  ),
  'library.rename': method<LibraryEntry>()(
    () => z.object({ id: libraryIdSchema, name: libraryNameSchema }).strict(),
    'Give a library snapshot a new name.',
  ),
  'library.keep': method<LibraryEntry>()(
    () => z.object({ id: libraryIdSchema }).strict(),
    'Keep an automatically saved snapshot for good: it is no longer deleted to make room.',
  ),
  'library.delete': method<null>()(
    () => z.object({ id: libraryIdSchema }).strict(),
    'Remove a snapshot from the library.',
  ),
  'machine.view': method<MachineView>()(
    () => noInput,
    "The simulated machine's physical memory: pages by list, by use and per process (RAMMap).",
  ),
  'machine.clock': method<MachineClock>()(
    () =>
      z
        .object({
          action: z.enum(['read', 'pause', 'resume', 'step']),
          ms: z.number().int().min(100).max(120_000).optional(),
        })
        .strict(),
    "Read, pause, resume or step (by `ms`, default 1 s) the simulated machine's clock.",
  ),
} as const;

/**
 * One step of process.snapshotStream: a snapshot in its encoded form (snapshotCodec.ts), with
 * how many regions it has. Before `final` it holds the regions read so far, classified by what
 * was known then (a file mapped executable further on may still be called Mapped); the `final`
 * one is the whole snapshot.
 */
export interface SnapshotStreamEvent {
  final: boolean;
  regions: number;
  snapshot: EncodedValue<'snapshot'>;
  /** On the `final` event: the service holds this snapshot for a while under this id (library.keepTaken). */
  taken?: string;
}

/** What library.keepTaken answers: the entry, or why the snapshot was not kept. */
export type KeepTakenResult =
  | { kept: LibraryEntry }
  /** Its JSON would be larger than a library file may be (both in bytes). */
  | { tooLarge: { bytes: number; limit: number } };

/** A snapshot file named on the command line, by its place in that list. */
export interface OpenedFile {
  index: number;
  name: string;
}

export const subscriptions = {
  'process.snapshotStream': subscription<SnapshotStreamEvent>()(
    snapshotInput,
    'process.snapshot while it is read: first a provisional snapshot of the regions read so far ' +
      '(to draw from at once), then the whole snapshot (`final`), the same as process.snapshot ' +
      'answers, and the end. Close the stream to stop the read.',
  ),
  'counters.watch': subscription<Sample[]>()(
    () =>
      z
        .object({
          pid: pidSchema,
          source: sourceIdSchema.optional(),
          intervalMs: z.number().int().min(100).max(10_000).optional(),
        })
        .strict(),
    'Counters of one process at an interval (default 1 s), until it exits (end `exited`) or the stream closes. ' +
      'Each event is a batch of samples, oldest first: the first replays the history already sampled ' +
      '(up to an hour), then one batch per new sample.',
  ),
  'process.search': subscription<SearchEvent>()(
    () =>
      z
        .object({
          pid: pidSchema,
          source: sourceIdSchema.optional(),
          file: contentsFileSchema,
          pattern: z
            .string()
            .min(1)
            .max(MAX_PATTERN_BYTES * 3),
          kind: z.enum(SEARCH_KINDS),
          regions: scanRegionsSchema,
        })
        .strict(),
    'Search the readable committed regions (or those named by base) for text, UTF-16LE text or hex bytes. ' +
      'Each event has the new matches and the progress; the last has `finished`; close the stream to cancel.',
  ),
  'process.strings': subscription<StringsEvent>()(
    () =>
      z
        .object({
          pid: pidSchema,
          source: sourceIdSchema.optional(),
          file: contentsFileSchema,
          min: z.number().int().min(2).max(1024).optional(),
          encodings: z.array(z.enum(STRING_ENCODINGS)).min(1).max(2).optional(),
          regions: scanRegionsSchema,
          limit: z.number().int().positive().max(MAX_STRINGS).optional(),
        })
        .strict(),
    'Printable strings (default at least 4 characters, ASCII and UTF-16LE) in the readable committed regions, ' +
      'or those named by base, in address order, with progress; close the stream to cancel.',
  ),
  'files.hold': subscription<HoldEvent>()(
    () =>
      z
        .object({
          name: z.string().max(1000),
          size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        })
        .strict(),
    'Keep a minidump or core file the page holds open for its contents: the stream asks for the byte ranges each read needs (answer with files.feed), then gives the file index the contents calls take. Closing the stream closes the file.',
  ),
  'region.stats': subscription<StatsEvent>()(
    () =>
      z
        .object({
          pid: pidSchema,
          source: sourceIdSchema.optional(),
          file: contentsFileSchema,
          regions: scanRegionsSchema,
        })
        .strict(),
    'Content statistics of regions (zero pages, distinct pages by hash, byte entropy), one entry as each region is read, with progress.',
  ),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> =
  Methods[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export type Subscriptions = typeof subscriptions;
export type TopicName = keyof Subscriptions & string;
type SubscriptionOf<T extends string> = T extends keyof Subscriptions ? Subscriptions[T] : never;
export type TopicInput<T extends TopicName> = z.input<SubscriptionOf<T>['input']>;
export type TopicParsedInput<T extends TopicName> = z.output<SubscriptionOf<T>['input']>;
export type TopicEvent<T extends TopicName> =
  SubscriptionOf<T> extends SubscriptionSpec<z.ZodType, infer E> ? E : never;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isTopicName(name: unknown): name is TopicName {
  return typeof name === 'string' && Object.hasOwn(subscriptions, name);
}

/** What a subscription delivers: data, then at most one end (with the reason). */
export type StreamMessage<E = unknown> =
  | { kind: 'data'; data: E }
  | {
      kind: 'end';
      reason: 'closed' | 'exited' | 'error';
      error?: { code: string; message: string };
    };
