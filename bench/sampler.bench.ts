/**
 * The sampler watching 20 processes at 10 Hz, as CPU time over wall time, against the floor any
 * sampler of these Counters pays (goal: at most 1.5x): the same two procfs reads per process
 * (/proc/PID/status and stat, through held descriptors, pread at offset 0) from one timer at the
 * same cadence, with nothing parsed or kept. Where a sample's cost goes is shown by a tight loop
 * (no timers) of the reader against the same preads alone, and by the sampler with a reader that
 * reads nothing (its own JavaScript, rings and timers). Also printed: 20 empty timers
 * at the same cadence (the reference until the sampler moved to one timer per interval: it
 * measures wake-ups, not work) and the process doing nothing at all.
 * The variants run interleaved, several rounds each, and the median and spread are printed:
 * other work on the machine moves every figure, and interleaving spreads that evenly. The first
 * round is a warm-up and is discarded, and garbage is collected before each variant, so one
 * variant's garbage is not collected in another's time (the bare reads once swung from 0.6% to
 * 7.2% in the first round for that reason).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { Sampler } from '../src/core/sampler/sampler';
import { openProcCountersReader } from '../src/core/sources/linux/procCountersReader';
import { createLinuxSource } from '../src/core/sources/linux/linuxSource';
import type { Source } from '../src/core/sources/source';
import {
  type Bench,
  type BenchFigure,
  collectGarbage,
  type Stats,
  fromStats,
  interleaved,
  referenceOf,
  statsOf,
} from './harness';
import { BENCH_NAMES } from './names';

const PROCESSES = 20;
const INTERVAL_MS = 100;
const WARMUP_ROUNDS = 1;
const ROUNDS = 5;
const MEASURE_MS = 3000;
/**
 * How long each variant runs before it is measured. A new sampler's tick (onGrid with tick,
 * deliver and the reader inlined) is optimized by TurboFan after a few hundred calls, 15-35 ms of
 * compiling on a V8 thread (`node --trace-opt`), and again in every round: the last round's
 * sampler and watcher closures, which the optimized code embeds, are collected, and the code with
 * them ("weak objects"). At 20 processes x 10 Hz that compile came 1-2 s after the start, inside
 * a window begun after 1 s: 0.5-1.2% of a core over the window, as much as all the bare reads
 * (the ratio was 2x and more because of it). It is paid once per sampler, not per tick: the
 * figure is the steady state, after it.
 */
const SETTLE_MS = 3000;

type Start = () => () => void;

/** CPU percent of one core spent while `start()` runs for MEASURE_MS (after SETTLE_MS). */
async function cpuPercent(start: Start): Promise<number> {
  collectGarbage();
  const stop = start();
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  const used = process.cpuUsage(cpu);
  const elapsedUs = (performance.now() - wall) * 1000;
  stop();
  return ((used.user + used.system) / elapsedUs) * 100;
}

const samplingAll =
  (pids: number[]): Start =>
  () => {
    const sampler = new Sampler();
    const source = createLinuxSource();
    const stops = pids.map((pid) => sampler.watch(source, pid, INTERVAL_MS, () => {}));
    return () => stops.forEach((stop) => stop());
  };

/**
 * The sampler with a reader that reads nothing (the same Counters every time): its own
 * JavaScript, rings and timers, the part of its cost that is not the two preads.
 */
const samplingWithoutReads =
  (pids: number[]): Start =>
  () => {
    const sampler = new Sampler();
    const linux = createLinuxSource();
    const counters = openProcCountersReader(pids[0]!).readNow!();
    const source: Source = {
      ...linux,
      openCountersReader: () => ({
        readNow: () => counters,
        read: async () => counters,
        close() {},
      }),
    };
    const stops = pids.map((pid) => sampler.watch(source, pid, INTERVAL_MS, () => {}));
    return () => stops.forEach((stop) => stop());
  };

const bareReads =
  (pids: number[]): Start =>
  () => {
    const buffer = Buffer.allocUnsafe(16 * 1024);
    const fds = pids.flatMap((pid) => [
      openSync(`/proc/${pid}/status`, 'r'),
      openSync(`/proc/${pid}/stat`, 'r'),
    ]);
    const timer = setInterval(() => {
      for (const fd of fds) readSync(fd, buffer, 0, buffer.length, 0);
    }, INTERVAL_MS);
    return () => {
      clearInterval(timer);
      fds.forEach(closeSync);
    };
  };

const emptyTimers: Start = () => {
  const timers = Array.from({ length: PROCESSES }, () => setInterval(() => {}, INTERVAL_MS));
  return () => timers.forEach(clearInterval);
};

const nothing: Start = () => () => {};

export const samplerBench: Bench = {
  name: BENCH_NAMES.sampler,
  skipReason: () => (process.platform === 'linux' ? null : 'samples real processes through /proc'),
  async run(): Promise<BenchFigure[]> {
    const children: ChildProcess[] = Array.from({ length: PROCESSES }, () =>
      spawn('sleep', ['600'], { stdio: 'ignore' }),
    );
    const pids = children.map((c) => c.pid!);
    const variants = {
      sampler: samplingAll(pids),
      noReads: samplingWithoutReads(pids),
      bare: bareReads(pids),
      empty: emptyTimers,
      nothing,
    };
    const runs: Record<keyof typeof variants, number[]> = {
      sampler: [],
      noReads: [],
      bare: [],
      empty: [],
      nothing: [],
    };
    try {
      for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
        for (const [name, start] of Object.entries(variants)) {
          const percent = await cpuPercent(start);
          if (round >= WARMUP_ROUNDS) runs[name as keyof typeof variants].push(percent);
        }
      }
    } catch (err) {
      for (const c of children) c.kill('SIGKILL');
      throw err;
    }
    // Where a sample's cost goes, in a tight loop (no timers): the two preads alone, then the
    // reader (the same preads, parsed into Counters).
    const readers = pids.map(openProcCountersReader);
    const fds = pids.flatMap((pid) => [
      openSync(`/proc/${pid}/status`, 'r'),
      openSync(`/proc/${pid}/stat`, 'r'),
    ]);
    const buffer = Buffer.allocUnsafe(16 * 1024);
    const LOOPS = 200;
    const loop = await interleaved(
      {
        preads: () => {
          for (let k = 0; k < LOOPS; k++)
            for (const fd of fds) readSync(fd, buffer, 0, buffer.length, 0);
        },
        reader: async () => {
          for (let k = 0; k < LOOPS; k++) for (const r of readers) await r.read();
        },
      },
      { runs: 7 },
    );
    readers.forEach((r) => r.close());
    fds.forEach(closeSync);
    for (const c of children) c.kill('SIGKILL');
    const perRead = (x: Stats): Stats => {
      const us = (ms: number): number => (ms * 1000) / (LOOPS * PROCESSES);
      return { median: us(x.median), min: us(x.min), max: us(x.max), runs: x.runs };
    };
    const [sampling, floor] = [statsOf(runs.sampler), statsOf(runs.bare)];
    const all = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(
      `  rounds (%): sampler ${all(runs.sampler)}; sampler without reads ${all(runs.noReads)}; bare reads ${all(runs.bare)}; empty timers ${all(runs.empty)}; idle ${all(runs.nothing)}`,
    );
    return [
      fromStats(
        `sampling ${PROCESSES} processes at ${1000 / INTERVAL_MS} Hz (CPU of one core)`,
        sampling,
        '%',
        {
          reference: referenceOf(
            `the bare reads: pread of status and stat of ${PROCESSES} processes from one timer`,
            floor,
            '%',
          ),
          ratio: sampling.median / Math.max(floor.median, 1e-3),
          goal: { of: 'ratio', op: '<=', limit: 1.5 },
        },
      ),
      fromStats(
        'the sampler without reads (its JavaScript, rings and timers)',
        statsOf(runs.noReads),
        '%',
        {
          reference: referenceOf('the bare reads', floor, '%'),
          ratio: statsOf(runs.noReads).median / Math.max(floor.median, 1e-3),
          ratioMeans: 'the sampler’s own share, beside the reads, of the bare reads’ cost',
        },
      ),
      fromStats(
        'one process read by the sampler’s reader (preads + parse)',
        perRead(loop.reader),
        'µs',
        {
          reference: referenceOf('the two preads alone', perRead(loop.preads), 'µs'),
          ratio: loop.reader.median / loop.preads.median,
          ratioMeans: 'the parsing’s share: above 1 by what the JavaScript adds to the syscalls',
        },
      ),
      fromStats(`${PROCESSES} empty timers at the same cadence`, statsOf(runs.empty), '%', {
        reference: referenceOf(
          'the bench process with nothing scheduled',
          statsOf(runs.nothing),
          '%',
        ),
        ratio: statsOf(runs.empty).median / Math.max(statsOf(runs.nothing).median, 1e-3),
      }),
      fromStats('the bench process with nothing scheduled', statsOf(runs.nothing), '%', {
        noReference: 'it is the floor the other figures are read against',
      }),
    ];
  },
};
