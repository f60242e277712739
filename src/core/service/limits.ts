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
  heavyIdleMs: 30_000,
};
