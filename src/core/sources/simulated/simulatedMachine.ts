/**
 * The simulated computer behind the `simulated` source: one Machine, a fixed cast of processes,
 * each running a workload, and a clock. The clock follows wall time lazily: every read
 * (`sync`, called by the source on each list, snapshot and counters call) runs the ticks that
 * elapsed since the last read, so no background timer keeps Node alive. It can be paused and
 * stepped. Everything but the displayed start times is deterministic for a given seed.
 */
import { SYSTEM_DLLS } from '../../sim/images';
import { Machine } from '../../sim/machine';
import { SimProcess } from '../../sim/process';
import { startProcess } from '../../sim/startup';
import { seededRandom, type Random } from './random';
import {
  dynamicArray,
  gcSawtooth,
  leakingService,
  mappedFileReader,
  sharedRing,
  steadyService,
  type Workload,
} from './workloads';

/** Simulated milliseconds per workload tick. */
export const TICK_MS = 100;
/** A sync never runs more than this much simulated time; the clock falls behind wall time instead. */
export const MAX_CATCH_UP_MS = 2 * 60_000;

/** A fresh machine has been up this long, so the first `ps` already shows working sets. */
export const DEFAULT_WARM_UP_MS = 30_000;

const MiB = 1024 * 1024;

export interface CastMember {
  pid: number;
  parentPid: number;
  name: string;
  path: string;
  user: string;
  commandLine: string;
  /** Simulated milliseconds after boot when the process starts. */
  startsAt: number;
  workload: () => Workload;
}

export interface SimulatedProcess {
  readonly member: CastMember;
  readonly process: SimProcess;
  readonly workload: Workload;
  /** Wall-clock start time (ISO), for display only. */
  readonly startTime: string;
}

export interface SimulatedMachineOptions {
  seed?: number;
  physicalMemory?: number;
  pagefileSize?: number;
  /** Wall clock in milliseconds (tests pass a fake one). */
  now?: () => number;
  cast?: CastMember[];
  /** Simulated time run at creation, so a fresh machine already has something to show (default 30 s). */
  warmUpMs?: number;
}

const programFiles = (dir: string, exe: string): string =>
  `C:\\Program Files\\Contoso\\${dir}\\${exe}`;

function member(
  pid: number,
  name: string,
  dir: string,
  user: string,
  startsAt: number,
  workload: () => Workload,
): CastMember {
  const path = programFiles(dir, name);
  return { pid, parentPid: 712, name, path, user, commandLine: `"${path}"`, startsAt, workload };
}

/** The default cast: one process per behaviour the views should show. */
export function defaultCast(): CastMember[] {
  return [
    member(1204, 'steadysvc.exe', 'Steady Service', 'NT AUTHORITY\\LOCAL SERVICE', 0, () =>
      steadyService(),
    ),
    member(2316, 'leakysvc.exe', 'Leaky Service', 'NT AUTHORITY\\SYSTEM', 0, () =>
      leakingService(),
    ),
    member(3120, 'gcworker.exe', 'GC Worker', 'SIM\\student', 0, () => gcSawtooth()),
    member(4088, 'mapreader.exe', 'Archive Reader', 'SIM\\student', 0, () => mappedFileReader()),
    member(5012, 'producer.exe', 'Shared Ring', 'SIM\\student', 0, () => sharedRing('producer')),
    member(5016, 'consumer.exe', 'Shared Ring', 'SIM\\student', 2_000, () =>
      sharedRing('consumer'),
    ),
    member(6140, 'dynarray.exe', 'Dynamic Array', 'SIM\\student', 0, () => dynamicArray()),
  ];
}

/** A process starts as on Windows (startup.ts), and the loader's code runs: its pages are shared by every process. */
function boot(process: SimProcess, m: CastMember): void {
  startProcess(process, { exePath: m.path, threadId: m.pid + 4 });
  for (const dll of SYSTEM_DLLS)
    for (let page = 1n; page <= 24n; page++)
      process.access('execute', dll.preferredBase + page * 4096n);
}

export class SimulatedMachine {
  readonly machine: Machine;
  readonly seed: number;
  private readonly random: Random;
  private readonly now: () => number;
  private readonly bootWall: number;
  private readonly cast: CastMember[];
  private readonly running = new Map<number, SimulatedProcess>();
  private lastWall: number;
  private pending = 0;
  private simTime = 0;
  private pausedFlag = false;

  constructor(options: SimulatedMachineOptions = {}) {
    this.seed = options.seed ?? 1;
    this.random = seededRandom(this.seed);
    this.now = options.now ?? Date.now;
    this.machine = new Machine({
      physicalMemory: options.physicalMemory ?? 2048 * MiB,
      pagefileSize: options.pagefileSize ?? 2048 * MiB,
    });
    this.cast = [...(options.cast ?? defaultCast())].sort((a, b) => a.pid - b.pid);
    this.bootWall = this.now();
    this.lastWall = this.bootWall;
    this.startDue();
    this.run(options.warmUpMs ?? DEFAULT_WARM_UP_MS);
  }

  /** Simulated milliseconds since boot. */
  get time(): number {
    return this.simTime;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Catch the clock up with wall time (unless paused). */
  sync(): void {
    const wall = this.now();
    const elapsed = wall - this.lastWall;
    this.lastWall = wall;
    if (!this.pausedFlag && elapsed > 0) this.run(Math.min(elapsed, MAX_CATCH_UP_MS));
  }

  pause(): void {
    this.sync();
    this.pausedFlag = true;
  }

  resume(): void {
    this.lastWall = this.now();
    this.pausedFlag = false;
  }

  /** Run `ms` of simulated time now, paused or not. */
  step(ms: number): void {
    this.run(ms);
  }

  processes(): SimulatedProcess[] {
    return [...this.running.values()];
  }

  find(pid: number): SimulatedProcess | undefined {
    return this.running.get(pid);
  }

  private run(ms: number): void {
    this.pending += ms;
    while (this.pending >= TICK_MS) {
      this.pending -= TICK_MS;
      for (const p of this.running.values()) p.workload.tick(p.process, this.random);
      this.machine.advance(TICK_MS);
      this.simTime += TICK_MS;
      this.startDue();
    }
  }

  private startDue(): void {
    for (const m of this.cast) {
      if (m.startsAt > this.simTime || this.running.has(m.pid)) continue;
      const process = new SimProcess(this.machine, {
        pid: m.pid,
        name: m.name,
        workingSetMinimum: 4 * MiB,
        workingSetMaximum: 96 * MiB,
      });
      const startTime = new Date(this.bootWall + m.startsAt).toISOString();
      boot(process, m);
      this.running.set(m.pid, { member: m, process, workload: m.workload(), startTime });
    }
  }
}
