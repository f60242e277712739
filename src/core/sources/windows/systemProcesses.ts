import type { Win32 } from './bindings';
import { STATUS_INFO_LENGTH_MISMATCH, SystemProcessInformation } from '../../win32/constants';
import { decodeSystemProcesses, type SystemProcessEntry } from './win32Structs';

/**
 * How long one machine-wide listing answers counter calls: half the sampler's fastest interval,
 * so a 10 Hz round over many watched processes makes one system call, not one per process.
 */
export const LISTING_MAX_AGE_MS = 50;

/** Room for growth between the size-probing call and the next, as processes start. */
const SLACK_BYTES = 64 * 1024;

/**
 * Per-process figures only NtQuerySystemInformation(SystemProcessInformation) has (the hard
 * fault count above all). That call lists every process and thread on the machine, so one
 * buffer is kept and grown, and one listing serves every call within LISTING_MAX_AGE_MS.
 */
export class SystemProcessTable {
  private buffer: Buffer;
  private entries = new Map<number, SystemProcessEntry>();
  private readAt = Number.NEGATIVE_INFINITY;

  /** 256 KiB to start: a desktop's few hundred processes and few thousand threads fit. */
  constructor(
    private readonly api: Win32,
    private readonly now: () => number = () => performance.now(),
    initialBytes = 256 * 1024,
  ) {
    this.buffer = Buffer.alloc(initialBytes);
  }

  /** The process's entry, or null where it is not listed (exited) or the call fails. */
  entry(pid: number): SystemProcessEntry | null {
    const fresh = this.now() - this.readAt <= LISTING_MAX_AGE_MS;
    // A process started since the last listing is looked for once more in a new one.
    if (!fresh || !this.entries.has(pid)) this.refresh();
    return this.entries.get(pid) ?? null;
  }

  /** Bytes held for the listing (the cost in memory). */
  get bufferBytes(): number {
    return this.buffer.length;
  }

  private refresh(): void {
    const needed = new Uint32Array(1);
    let status = this.api.NtQuerySystemInformation(
      SystemProcessInformation,
      this.buffer,
      this.buffer.length,
      needed,
    );
    for (let tries = 0; status === STATUS_INFO_LENGTH_MISMATCH && tries < 4; tries++) {
      this.buffer = Buffer.alloc(Math.max((needed[0] ?? 0) + SLACK_BYTES, this.buffer.length * 2));
      status = this.api.NtQuerySystemInformation(
        SystemProcessInformation,
        this.buffer,
        this.buffer.length,
        needed,
      );
    }
    this.entries =
      status < 0
        ? new Map()
        : decodeSystemProcesses(this.buffer.subarray(0, needed[0] || this.buffer.length));
    this.readAt = this.now();
  }
}
