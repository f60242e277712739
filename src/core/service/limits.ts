/** The service's limits on work; docs/security.md lists them with what each refusal looks like. */
export interface ServiceLimits {
  /** Heavy inspection calls run at once (one worker each). */
  heavyWorkers: number;
  /** Heavy calls waiting for a worker; one more is refused at once. */
  heavyQueue: number;
  /** Sandbox calls waiting (they run one at a time: the sessions live in one worker). */
  sandboxQueue: number;
  /** A heavy call that runs longer is stopped (its worker is ended and replaced). */
  heavyDeadlineMs: number;
  /** A sandbox call that runs longer is stopped; the sessions are rebuilt from their history. */
  sandboxDeadlineMs: number;
  /** V8 heap of one worker, in MiB: a runaway call ends its worker, not the machine. */
  workerHeapMb: number;
  /**
   * V8 young generation of the light and heavy workers, in MiB (V8's own default lets it grow to
   * 48). What they allocate in bulk is typed-array columns, which live outside the V8 heap; at
   * its default the young generation grew to 17 MiB during a 60,000-mapping snapshot while
   * holding less than one (bench/memory.bench.ts). The sandbox worker keeps V8's default: a
   * simulation makes many small objects.
   */
  workerYoungMb: number;
  /** A heavy worker with no call for this long is ended, its memory given back; the next call starts one. */
  heavyIdleMs: number;
}

export const DEFAULT_SERVICE_LIMITS: ServiceLimits = {
  heavyWorkers: 2,
  heavyQueue: 32,
  sandboxQueue: 16,
  heavyDeadlineMs: 60_000,
  sandboxDeadlineMs: 120_000,
  workerHeapMb: 2048,
  workerYoungMb: 3,
  heavyIdleMs: 30_000,
};
