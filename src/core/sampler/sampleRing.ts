import type { Counters, Sample } from '../../shared/model';

/** Counters' numbers in the order a Counters literal has them; null is stored as NaN. */
const COUNTER_FIELDS = [
  'workingSetSize',
  'peakWorkingSetSize',
  'privateUsage',
  'pagefileUsage',
  'peakPagefileUsage',
  'pageFaultCount',
  'softFaultCount',
  'hardFaultCount',
  'virtualSize',
  'peakVirtualSize',
  'quotaPagedPoolUsage',
  'quotaNonPagedPoolUsage',
  'privateWorkingSetSize',
] as const satisfies readonly (keyof Counters)[];
const LINUX_FIELDS = [
  'rssAnon',
  'rssFile',
  'rssShmem',
  'vmSwap',
  'vmLck',
  'vmPte',
] as const satisfies readonly (keyof NonNullable<Counters['linux']>)[];

/** A row: time, the counters, whether there are Linux counters (1 or 0), the Linux counters. */
const TIME = 0;
const COUNTERS = 1;
const HAS_LINUX = COUNTERS + COUNTER_FIELDS.length;
const LINUX = HAS_LINUX + 1;
const ROW = LINUX + LINUX_FIELDS.length;
const FIRST_ROWS = 64;

/**
 * A process's sample history as numbers in one Float64Array, a fixed-capacity FIFO (pushing onto
 * a full ring drops the oldest sample). Samples kept as objects were three objects each that
 * lived for an hour: the collector copied them into the old generation and then walked them all
 * at every full collection, a cost that grew with the history. Here a sample costs no object
 * until a watcher asks for the history. The array grows by doubling up to the capacity, so a
 * process watched for a minute does not hold an hour's room.
 */
export class SampleRing {
  private rows = new Float64Array(0);
  private length = 0;
  /** Row of the oldest sample once the ring is full. */
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.length;
  }

  push(time: number, counters: Counters): void {
    let row: number;
    if (this.length < this.capacity) {
      if (this.length * ROW === this.rows.length) this.grow();
      row = this.length++;
    } else {
      row = this.head;
      this.head = (this.head + 1) % this.capacity;
    }
    const r = this.rows;
    const at = row * ROW;
    r[at + TIME] = time;
    for (let k = 0; k < COUNTER_FIELDS.length; k++)
      r[at + COUNTERS + k] = counters[COUNTER_FIELDS[k]!] ?? Number.NaN;
    const linux = counters.linux;
    r[at + HAS_LINUX] = linux ? 1 : 0;
    if (linux)
      for (let k = 0; k < LINUX_FIELDS.length; k++) r[at + LINUX + k] = linux[LINUX_FIELDS[k]!];
  }

  /** The samples at or after `since`, oldest first, as new objects. */
  samplesSince(pid: number, since: number): Sample[] {
    const out: Sample[] = [];
    for (let n = 0; n < this.length; n++) {
      const at = ((this.head + n) % this.capacity) * ROW;
      const time = this.rows[at + TIME]!;
      if (time >= since) out.push({ pid, time, counters: this.countersAt(at) });
    }
    return out;
  }

  private countersAt(at: number): Counters {
    const r = this.rows;
    const counters = {} as Record<string, unknown>;
    for (let k = 0; k < COUNTER_FIELDS.length; k++) {
      const v = r[at + COUNTERS + k]!;
      counters[COUNTER_FIELDS[k]!] = v === v ? v : null;
    }
    if (r[at + HAS_LINUX] === 1) {
      const linux = {} as Record<string, number>;
      for (let k = 0; k < LINUX_FIELDS.length; k++) linux[LINUX_FIELDS[k]!] = r[at + LINUX + k]!;
      counters['linux'] = linux;
    }
    return counters as unknown as Counters;
  }

  private grow(): void {
    const rows = Math.min(this.capacity, Math.max(FIRST_ROWS, this.length * 2));
    const next = new Float64Array(rows * ROW);
    next.set(this.rows);
    this.rows = next;
  }
}
