/**
 * `--regions`: bytes and counts of regions by kind and state for each selected process. Each
 * costs a snapshot, so they are taken one process at a time in the background, each within a
 * deadline, and a scrape reports the latest totals it has.
 */
import type { Client } from '../../shared/bridge';
import type { Region, SourceId } from '../../shared/model';

export interface RegionTotal {
  kind: string;
  state: string;
  bytes: number;
  regions: number;
}

/** Totals by (kind, state), in a stable order. */
export function totalRegions(regions: readonly Region[]): RegionTotal[] {
  const byKey = new Map<string, RegionTotal>();
  for (const r of regions) {
    const key = `${r.kind}\u0000${r.state}`;
    let total = byKey.get(key);
    if (!total) byKey.set(key, (total = { kind: r.kind, state: r.state, bytes: 0, regions: 0 }));
    total.bytes += r.size;
    total.regions++;
  }
  return [...byKey.values()].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.state.localeCompare(b.state),
  );
}

export interface RegionPollerOptions {
  source: SourceId | undefined;
  /** Pause between two rounds over every process. */
  intervalMs: number;
  /** A snapshot that takes longer is abandoned for this round. */
  deadlineMs: number;
}

export class RegionPoller {
  private readonly totals = new Map<number, RegionTotal[]>();
  private pids: number[] = [];
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | null = null;
  /** Snapshots that missed their deadline or failed, since the start. */
  failures = 0;

  constructor(
    private readonly client: Client,
    private readonly options: RegionPollerOptions,
  ) {}

  setProcesses(pids: readonly number[]): void {
    this.pids = [...pids];
    const keep = new Set(pids);
    for (const pid of this.totals.keys()) if (!keep.has(pid)) this.totals.delete(pid);
    this.wake?.();
  }

  totalsOf(pid: number): RegionTotal[] | undefined {
    return this.totals.get(pid);
  }

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      for (const pid of this.pids) {
        if (this.stopped) return;
        const totals = await this.snapshotTotals(pid);
        if (totals && this.pids.includes(pid)) this.totals.set(pid, totals);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.options.intervalMs);
      });
      this.wake = null;
    }
  }

  private async snapshotTotals(pid: number): Promise<RegionTotal[] | null> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>(
      (resolve) => (timer = setTimeout(() => resolve(null), this.options.deadlineMs)),
    );
    try {
      // A snapshot abandoned at its deadline still settles later: its failure is handled here too.
      const work = this.client
        .call('process.snapshot', { pid, source: this.options.source, includeFree: false })
        .then(
          (s) => totalRegions(s.regions),
          () => null,
        );
      const result = await Promise.race([work, deadline]);
      if (result === null) this.failures++;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }
}
