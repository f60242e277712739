import { Worker } from 'node:worker_threads';

/**
 * A thread that reads a file descriptor ahead of its consumer, chunk by chunk, into a ring of
 * shared buffers. For smaps most of a snapshot's time is the kernel generating the text inside
 * read(2); with this thread doing the reads on one core, the scanner parses the chunks already
 * read on the other, so the parse hides behind the kernel's work instead of adding to it.
 *
 * Hand-offs are Atomics on a shared Int32Array (a single-producer, single-consumer ring): no
 * message, no copy, no event loop turn. The thread is started once per thread that snapshots,
 * by its first read long enough to need it, and sleeps in Atomics.wait between files; it is
 * unref'd, so it never keeps a process alive. Until it is up, the caller reads by itself (see
 * SmapsReader).
 */
export const CHUNK_BYTES = 128 * 1024;
/** Room left for one more read(2) before a chunk counts as full. */
export const READ_ROOM = 16 * 1024;
const SLOTS = 8;

// Cells of the control array.
const READY = 0;
const JOB = 1;
const FD = 2;
/** Chunks the thread has filled / the consumer has finished with, since the thread started. */
const PRODUCED = 3;
const CONSUMED = 4;
/** Per slot: bytes in it; 0 is the end of the file, negative an error (ERROR_CODES index + 1). */
const LENGTH = 5;
const CELLS = LENGTH + SLOTS;

/** errno codes the thread reports by number; anything else is the last one. */
const ERROR_CODES = ['ENOENT', 'ESRCH', 'EACCES', 'EPERM', 'EIO'] as const;

/** The thread's whole program (CommonJS, eval'd: it needs no file of its own in any bundle). */
const THREAD = `
const { workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { control, data, slots, chunk, room, codes } = workerData;
const c = new Int32Array(control);
const bytes = new Uint8Array(data);
Atomics.store(c, ${READY}, 1);
Atomics.notify(c, ${READY});
let job = 0;
for (;;) {
  Atomics.wait(c, ${JOB}, job);
  job = Atomics.load(c, ${JOB});
  const fd = Atomics.load(c, ${FD});
  let produced = Atomics.load(c, ${PRODUCED});
  for (;;) {
    for (let consumed; produced - (consumed = Atomics.load(c, ${CONSUMED})) >= slots; ) Atomics.wait(c, ${CONSUMED}, consumed);
    const slot = produced % slots;
    const at = slot * chunk;
    let length = 0;
    try {
      while (length < chunk - room) {
        const n = readSync(fd, bytes, at + length, chunk - length, null);
        if (n === 0) break;
        length += n;
      }
    } catch (err) {
      const code = codes.indexOf(err && err.code);
      length = -(code < 0 ? codes.length : code + 1);
    }
    Atomics.store(c, ${LENGTH} + slot, length);
    Atomics.store(c, ${PRODUCED}, ++produced);
    Atomics.notify(c, ${PRODUCED});
    // After data comes one more chunk: empty at the end of the file.
    if (length <= 0) break;
  }
}
`;

export interface ReadAheadChunk {
  /** The chunk's bytes: valid until `release`. */
  bytes: Uint8Array;
  /** An errno code ('ESRCH', ...) where the read failed; `bytes` is then empty. */
  error: string | null;
}

export class ReadAhead {
  private readonly control = new Int32Array(new SharedArrayBuffer(CELLS * 4));
  private readonly data = new SharedArrayBuffer(SLOTS * CHUNK_BYTES);
  private consumed = 0;
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(THREAD, {
      eval: true,
      workerData: {
        control: this.control.buffer,
        data: this.data,
        slots: SLOTS,
        chunk: CHUNK_BYTES,
        room: READ_ROOM,
        codes: ERROR_CODES,
      },
    });
    this.worker.unref();
  }

  /** The thread has started and can take a file. */
  get ready(): boolean {
    return Atomics.load(this.control, READY) === 1;
  }

  /** Starts reading `fd` from its current offset to its end. */
  start(fd: number): void {
    Atomics.store(this.control, FD, fd);
    Atomics.add(this.control, JOB, 1);
    Atomics.notify(this.control, JOB);
  }

  /** A chunk has been read and not yet taken: `next` would not wait. */
  get hasChunk(): boolean {
    return Atomics.load(this.control, PRODUCED) !== this.consumed;
  }

  /** The next chunk, waiting for it; empty bytes (and no error) at the end of the file. */
  next(): ReadAheadChunk {
    const c = this.control;
    while (Atomics.load(c, PRODUCED) === this.consumed) Atomics.wait(c, PRODUCED, this.consumed);
    const slot = this.consumed % SLOTS;
    const length = Atomics.load(c, LENGTH + slot);
    if (length < 0) return { bytes: Buffer.alloc(0), error: ERROR_CODES[-length - 1] ?? 'EIO' };
    // A Buffer, like the caller's own: the scanner's loops then see one kind of array.
    return { bytes: Buffer.from(this.data, slot * CHUNK_BYTES, length), error: null };
  }

  /** Done with the chunk `next` gave: its slot can be filled again. */
  release(): void {
    Atomics.store(this.control, CONSUMED, ++this.consumed);
    Atomics.notify(this.control, CONSUMED);
  }
}

let shared: ReadAhead | null = null;

/** This thread's read-ahead thread, started on first use. */
export function readAhead(): ReadAhead {
  return (shared ??= new ReadAhead());
}

/** This thread has started its read-ahead thread (it may not be ready yet). */
export function readAheadStarted(): boolean {
  return shared !== null;
}
