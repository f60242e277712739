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
import { machineSettingsSchema } from './sandboxScript';
import {
  LIBRARY_ID_PATTERN,
  MAX_LIBRARY_NAME,
  isLibraryName,
  type LibraryEntry,
  type LibraryListing,
} from './library';
import { MAX_SNAPSHOT_FILE_BYTES } from './snapshotValidate';
import { type DumpReadResult, MAX_DUMP_PIECE_BYTES } from './dumpPieces';

declare const outputMarker: unique symbol;

export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  description: string;
  /** Type-level only: the shape of a successful result. */
  readonly [outputMarker]?: O;
}

export interface SubscriptionSpec<I extends z.ZodType, E> {
  input: I;
  description: string;
  readonly [outputMarker]?: E;
}

/** Curried so the output type is given and the input type is inferred. */
function method<O>() {
  return <I extends z.ZodType>(input: I, description: string): MethodSpec<I, O> => ({
    input,
    description,
  });
}

function subscription<E>() {
  return <I extends z.ZodType>(input: I, description: string): SubscriptionSpec<I, E> => ({
    input,
    description,
  });
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

export const methods = {
  'system.info': method<SystemInfo>()(
    noInput,
    'Platform, available sources, page size and allocation granularity.',
  ),
  'processes.list': method<ProcessInfo[]>()(
    z.object({ source: sourceIdSchema.optional() }).strict(),
    'Every process the source can see, with its working set and private bytes.',
  ),
  'process.snapshot': method<Snapshot>()(
    z
      .object({
        pid: pidSchema,
        source: sourceIdSchema.optional(),
        includeFree: z.boolean().optional(),
      })
      .strict(),
    'Every region of a process address space, with counters.',
  ),
  'process.counters': method<Counters>()(
    z.object({ pid: pidSchema, source: sourceIdSchema.optional() }).strict(),
    'The cheap GetProcessMemoryInfo-style counters of one process.',
  ),
  'files.opened': method<OpenedFile[]>()(
    noInput,
    'The snapshot files vmscope was started with (vmscope serve --open FILE).',
  ),
  'files.snapshot': method<Snapshot>()(
    z.object({ index: z.number().int().nonnegative().max(1000) }).strict(),
    'One of the files vmscope was started with, read and checked.',
  ),
  'files.readDump': method<DumpReadResult>()(
    z
      .object({
        name: z.string().max(1000),
        size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        pieces: z
          .array(
            z
              .object({
                offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
                data: z.string().max(Math.ceil(MAX_DUMP_PIECE_BYTES / 3) * 4),
              })
              .strict(),
          )
          .max(100_000),
      })
      .strict(),
    'Open a minidump or core file the page holds: returns the snapshot, or the byte ranges to send next (docs/dumps.md).',
  ),
  'sandbox.open': method<SandboxState>()(
    z
      .object({ engine: z.enum(SESSION_ENGINES), machine: machineSettingsSchema.optional() })
      .strict(),
    'Open a sandbox session on the simulated Windows model or a live child process; returns its state.',
  ),
  'sandbox.step': method<SandboxDelta>()(
    z.object({ session: sessionIdSchema, step: z.record(z.string(), z.unknown()) }).strict(),
    'Run one script step (docs/sandbox-script.md); returns its history entry and what it changed (applySandboxDelta). A failing call is a result, a malformed step an error.',
  ),
  'sandbox.state': method<SandboxState>()(
    z.object({ session: sessionIdSchema }).strict(),
    'History, allocations page by page, and counters.',
  ),
  'sandbox.reset': method<SandboxState>()(
    z.object({ session: sessionIdSchema }).strict(),
    'Forget every step and start afresh.',
  ),
  'sandbox.undo': method<SandboxState>()(
    z.object({ session: sessionIdSchema }).strict(),
    'Go back to before the last step (the engine restores its checkpoint).',
  ),
  'sandbox.load': method<SandboxState>()(
    z.object({ session: sessionIdSchema, script: z.unknown() }).strict(),
    'Replace the history with a sandbox script and run it.',
  ),
  'sandbox.close': method<null>()(
    z.object({ session: sessionIdSchema }).strict(),
    'Close a session (a live one stops its child).',
  ),
  'region.pages': method<RegionPages>()(
    z
      .object({
        pid: pidSchema,
        source: sourceIdSchema.optional(),
        base: z.string().regex(/^0x[0-9a-f]{1,16}$/, 'a 0x lower-case hex address'),
        size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      })
      .strict(),
    `The working-set state of each page in [base, base + size), as runs: resident, swapped, shared, locked, dirty where the source knows them (up to ${MAX_PAGES_PER_QUERY} pages a call).`,
  ),
  'library.list': method<LibraryListing>()(
    noInput,
    'The snapshots kept in the library (docs/library.md), newest first, and the library files that could not be read, with why.',
  ),
  'library.save': method<LibraryEntry>()(
    z
      .object({ text: z.string().max(MAX_SNAPSHOT_FILE_BYTES), name: libraryNameSchema.optional() })
      .strict(),
    'Keep a snapshot (a vmscope-snapshot document, as text) in the library.',
  ),
  'library.take': method<LibraryEntry>()(
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
    z.object({ id: libraryIdSchema }).strict(),
    'One snapshot of the library, read and checked.',
  ),
  'library.rename': method<LibraryEntry>()(
    z.object({ id: libraryIdSchema, name: libraryNameSchema }).strict(),
    'Give a library snapshot a new name.',
  ),
  'library.delete': method<null>()(
    z.object({ id: libraryIdSchema }).strict(),
    'Remove a snapshot from the library.',
  ),
  'machine.view': method<MachineView>()(
    noInput,
    "The simulated machine's physical memory: pages by list, by use and per process (RAMMap).",
  ),
  'machine.clock': method<MachineClock>()(
    z
      .object({
        action: z.enum(['read', 'pause', 'resume', 'step']),
        ms: z.number().int().min(100).max(120_000).optional(),
      })
      .strict(),
    "Read, pause, resume or step (by `ms`, default 1 s) the simulated machine's clock.",
  ),
} as const;

/** A snapshot file named on the command line, by its place in that list. */
export interface OpenedFile {
  index: number;
  name: string;
}

export const subscriptions = {
  'counters.watch': subscription<Sample[]>()(
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
