/**
 * Dumps the page holds (chosen in its Open dialog or dropped on it), kept open for their contents:
 * the service parses each once more from the pieces it asks for, keeps its snapshot and its
 * captured-memory table (bounded by the mapping count, never the file's size), and for every read
 * asks the page, through the `files.hold` stream, for just the byte ranges that read needs. The
 * page answers with `files.feed`, naming the stream's token (docs/dumps.md).
 */
import { randomBytes } from 'node:crypto';
import type { StreamMessage } from '../../shared/api';
import {
  type ByteRange,
  type DumpPiece,
  type HoldEvent,
  MAX_DUMP_PIECE_BYTES,
  MAX_DUMP_ROUNDS,
  MAX_HELD_DUMPS,
} from '../../shared/dumpPieces';
import { VmscopeError, toVmError } from '../../shared/errors';
import type { Snapshot } from '../../shared/model';
import { validateSnapshot } from '../../shared/snapshotValidate';
import type { DumpFile } from './dumpFile';
import { capturedMemoryOf } from './dumpMemory';
import { DumpContents } from './dumpContents';
import { type FilePiece, PiecesFile, decodePieces, withPieces, withinPieceCap } from './dumpPieces';
import { type DumpSource, dumpSourceOf } from './dumpSource';
import { snapshotFromDumpFile } from './openDump';

type Emit = (message: StreamMessage<HoldEvent>) => void;

interface Pending {
  ranges: ByteRange[];
  resolve: (pieces: FilePiece[]) => void;
  reject: (err: Error) => void;
}

class HeldDump {
  readonly token = randomBytes(16).toString('hex');
  private nextRequest = 0;
  private readonly pending = new Map<number, Pending>();
  private closed: VmscopeError | null = null;
  source: DumpSource | null = null;

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly emit: Emit,
  ) {}

  /** Asks the page for `ranges`; resolves with the bytes it sends for them. */
  private ask(ranges: ByteRange[]): Promise<FilePiece[]> {
    if (this.closed) return Promise.reject(this.closed);
    const total = ranges.reduce((sum, r) => sum + r.length, 0);
    if (total > MAX_DUMP_PIECE_BYTES)
      return Promise.reject(
        new VmscopeError(
          'limit-exceeded',
          `${this.name} needs ${total} bytes at once, more than the ${MAX_DUMP_PIECE_BYTES / 1024 / 1024} MiB the page sends in one piece; open it with \`vmscope serve --open FILE\`.`,
        ),
      );
    const request = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(request, { ranges, resolve, reject });
      this.emit({ kind: 'data', data: { need: { token: this.token, request, ranges } } });
    });
  }

  /**
   * The page's answer to a request: exactly the ranges asked, else the waiting read fails too.
   * No pieces at all is the page saying it could not read the file again (File.slice fails once
   * the file was changed or removed): the read fails with that, and the dump stays held.
   */
  feed(request: number, pieces: DumpPiece[]): void {
    const waiting = this.pending.get(request);
    if (!waiting)
      throw new VmscopeError(
        'not-found',
        `No read of ${this.name} is waiting for request ${request} (answered already, or closed).`,
      );
    this.pending.delete(request);
    if (pieces.length === 0 && waiting.ranges.length > 0) {
      const first = waiting.ranges[0]!;
      waiting.reject(
        new VmscopeError(
          'source-unavailable',
          `${this.name} could not be read again (${first.length} bytes at 0x${first.offset.toString(16)}): was it changed, moved or deleted since it was opened? Open it again to read its bytes.`,
        ),
      );
      return;
    }
    try {
      const decoded = decodePieces(this.name, pieces, 'bytes at once');
      const { ranges } = waiting;
      const bad = ranges.findIndex(
        (r, i) => decoded[i]?.offset !== r.offset || decoded[i]!.bytes.length !== r.length,
      );
      if (decoded.length !== ranges.length || bad >= 0) {
        const r = ranges[Math.max(0, bad)]!;
        throw new VmscopeError(
          'invalid-input',
          `${this.name}: the page did not send the ${ranges.length} ranges asked (${r.length} bytes at 0x${r.offset.toString(16)} first); was the file changed or moved since it was opened?`,
        );
      }
      waiting.resolve(decoded);
    } catch (err) {
      waiting.reject(err as Error);
      throw err;
    }
  }

  /** Runs `use` over the file, asking the page for what it reads, in at most MAX_DUMP_ROUNDS rounds. */
  async run<T>(use: (file: DumpFile) => T): Promise<T> {
    let pieces: FilePiece[] = [];
    for (let round = 0; round < MAX_DUMP_ROUNDS; round++) {
      const got = withPieces(this.name, this.size, pieces, use);
      if ('value' in got) return got.value;
      // The pieces of one run stay under the cap of one request's worth, as files.readDump's.
      pieces = withinPieceCap(this.name, [...pieces, ...(await this.ask(got.need))], 'headers');
    }
    throw new VmscopeError(
      'malformed-file',
      `${this.name}: its structures point at each other more than ${MAX_DUMP_ROUNDS} levels deep.`,
    );
  }

  /** Parses the dump: its snapshot and its captured memory, as a source of one process. */
  async open(): Promise<void> {
    const {
      snapshot,
      pid,
      contents: parsed,
    } = await this.run((file) => ({
      snapshot: validateSnapshot(snapshotFromDumpFile(file)),
      ...capturedMemoryOf(file),
    }));
    // The table alone is kept: the parse's pieces (up to 10 MiB of headers) are let go.
    const contents = new DumpContents(new PiecesFile(this.name, this.size, []), parsed.ranges);
    const read = (address: bigint, size: number) =>
      this.run((file) => contents.read(address, size, file));
    this.source = dumpSourceOf(
      this.name,
      (): Snapshot => snapshot,
      () => ({ pid, readMemory: (_pid, address, size) => read(address, size), close: () => {} }),
      () => {},
    );
  }

  close(why: VmscopeError): void {
    this.closed = why;
    for (const p of this.pending.values()) p.reject(why);
    this.pending.clear();
  }

  get isClosed(): boolean {
    return this.closed !== null;
  }
}

/** The dumps the pages of this service hold, by the file index their stream gave (after the served files'). */
export class HeldDumps {
  /** In the order they were opened: the first is the one to close when one more comes. */
  private readonly held = new Map<number, { dump: HeldDump; emit: Emit }>();
  private next: number;

  constructor(firstIndex: number) {
    this.next = firstIndex;
  }

  /** Starts holding a dump for a `files.hold` stream; returns the function that closes it. */
  hold(name: string, size: number, emit: Emit): () => void {
    if (this.held.size >= MAX_HELD_DUMPS) {
      const [oldest, { dump, emit: tell }] = this.held.entries().next().value!;
      const error = new VmscopeError(
        'limit-exceeded',
        `${dump.name} was closed: a page holds at most ${MAX_HELD_DUMPS} dumps open for their contents. Open it again to read its bytes.`,
      );
      dump.close(error);
      this.held.delete(oldest);
      tell({ kind: 'end', reason: 'error', error: { code: error.code, message: error.message } });
    }
    const index = this.next++;
    const dump = new HeldDump(name, size, emit);
    this.held.set(index, { dump, emit });
    dump.open().then(
      () => {
        if (!dump.isClosed) emit({ kind: 'data', data: { held: { file: index } } });
      },
      (err: unknown) => {
        if (dump.isClosed) return;
        this.held.delete(index);
        emit({ kind: 'end', reason: 'error', error: toVmError(err) });
      },
    );
    return () => {
      dump.close(new VmscopeError('not-found', `${name} was closed.`));
      this.held.delete(index);
    };
  }

  /** The page's bytes for a request of the stream whose token it names. */
  feed(token: string, request: number, pieces: DumpPiece[]): void {
    for (const { dump } of this.held.values())
      if (dump.token === token) return dump.feed(request, pieces);
    throw new VmscopeError('not-found', 'No dump is held under this token: it was closed.');
  }

  /** The source of a held dump, or null when `index` is none (or no longer) held. */
  source(index: number): DumpSource | null {
    return this.held.get(index)?.dump.source ?? null;
  }
}
