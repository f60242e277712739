/**
 * The Linux source against the kernel and procps, on a process with 60,000 mappings (the helper
 * alternates page protections so the kernel cannot merge them; vm.max_map_count is 65530):
 * - a snapshot in-process vs `cat /proc/PID/smaps` (goal: at most 1.2x), quiet and again with two
 *   other processes spinning on the two cores (load 2), where a bare read in-process is timed
 *   beside them to split the ratio into the scheduler's share and the parse;
 * - a snapshot with every Region object (and region.linux) built from its columns vs a raw read
 *   of smaps (goal: at most 1.5x);
 * - `vmscope snapshot --format csv` and `--format json` end to end vs `pmap -X` (goal: at least
 *   2x faster);
 * - counters at 60,000 mappings vs at 100 (goal: the same cost, under 1 ms).
 * Each pair is measured interleaved, A B A B ..., so a busy machine slows both alike.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createLinuxSource, readLinuxCounters } from '../src/core/sources/linux/linuxSource';
import { compileHelper } from '../test/helpers/compile';
import { startBusyProcesses } from './busyProcesses';
import { threadTimes } from './threadTimes';
import {
  type Bench,
  type BenchFigure,
  type Goal,
  type Stats,
  fromStats,
  interleaved as interleavedRuns,
  referenceOf,
} from './harness';
import { BENCH_NAMES } from './names';

const MAPPINGS = 60_000;
const CLI = 'bin/vmscope.mjs';
const BUILT_CLI = 'out/node/cli.js';

async function startManyMaps(count: number): Promise<ChildProcess> {
  const child = spawn(compileHelper('manymaps'), [String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('ready')) return child;
  }
  throw new Error('manymaps exited before it was ready');
}

/** Stats of each of two functions, run alternately `runs` times after a discarded warm-up, GC before each. */
async function interleaved(
  a: () => unknown,
  b: () => unknown,
  runs: number,
): Promise<[Stats, Stats]> {
  const { a: sa, b: sb } = await interleavedRuns({ a, b }, { runs });
  return [sa, sb];
}

/** Runs a command with its output thrown away; fails loudly if it fails. */
function runQuiet(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

/** The kernel's cost of printing smaps, read the way the snapshot reads it (synchronously). */
function rawRead(path: string): number {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 19);
  let total = 0;
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) total += n;
  } finally {
    closeSync(fd);
  }
  return total;
}

function figure(
  name: string,
  value: Stats,
  refName: string,
  ref: Stats,
  goal?: Goal,
  ratio = value.median / ref.median,
  ratioMeans?: string,
): BenchFigure {
  return fromStats(name, value, 'ms', {
    reference: referenceOf(refName, ref, 'ms'),
    ratio,
    ...(goal ? { goal } : {}),
    ...(ratioMeans ? { ratioMeans } : {}),
  });
}

/** The thread that ran most beside the caller: the read-ahead thread where it was used. */
const READ_AHEAD = 'the busiest other thread (the read-ahead one, where a core was free for it)';

export const linuxSnapshotBench: Bench = {
  name: BENCH_NAMES.linuxSnapshot,
  skipReason: () => (process.platform === 'linux' ? null : 'reads /proc: Linux only'),
  async run() {
    const figures: BenchFigure[] = [];
    const many = await startManyMaps(MAPPINGS);
    const few = await startManyMaps(100);
    try {
      const pid = many.pid!;
      const smaps = `/proc/${pid}/smaps`;
      const source = createLinuxSource();
      const bytes = rawRead(smaps);
      console.log(`  smaps of pid ${pid}: ${(bytes / 1e6).toFixed(1)} MB`);

      const quietThreads = threadTimes();
      const [snapshotMs, catMs] = await interleaved(
        quietThreads.wrap(() => source.snapshot(pid)),
        () => runQuiet('cat', [smaps]),
        7,
      );
      console.log(`  a snapshot: ${quietThreads.describe(1, READ_AHEAD)}`);
      figures.push(
        figure('snapshot in-process', snapshotMs, 'cat smaps', catMs, {
          of: 'ratio',
          op: '<=',
          limit: 1.2,
        }),
      );
      // The same pair with the machine already busy. Where no core is free the snapshot reads and
      // scans on one thread (idleCore.ts), as cat reads on one; with a core free, two threads.
      // A bare read in-process runs alongside: its ratio to cat is the share of the cores this
      // long-lived thread gets against a new process at the same load, with no parse at all; the
      // snapshot's ratio to it is the cost of the parse at that load. 11 rounds, not 7: at load the
      // scheduler's share, not the work, moves single calls by a third.
      const busy = startBusyProcesses(2);
      const loadedThreads = threadTimes();
      const bareThreads = threadTimes();
      let loaded: Record<'snapshot' | 'cat' | 'bare', Stats>;
      try {
        loaded = await interleavedRuns(
          {
            snapshot: loadedThreads.wrap(() => source.snapshot(pid)),
            cat: () => runQuiet('cat', [smaps]),
            bare: bareThreads.wrap(() => rawRead(smaps)),
          },
          { runs: 11 },
        );
      } finally {
        const shares = busy.stop();
        console.log(
          `  load 2: each busy process used ${shares.map((s) => `${Math.round(s * 100)} %`).join(' and ')} of a core`,
        );
        console.log(`  a snapshot at load 2: ${loadedThreads.describe(1, READ_AHEAD)}`);
        console.log(
          `  a bare read at load 2: ${bareThreads.describe(1, 'the busiest other thread')}`,
        );
      }
      figures.push(
        figure(
          'snapshot in-process at load 2 (two busy processes)',
          loaded.snapshot,
          'cat smaps at the same load',
          loaded.cat,
          { of: 'ratio', op: '<=', limit: 1.2 },
        ),
        figure(
          'raw read of smaps in-process at load 2 (the share a long-lived thread gets)',
          loaded.bare,
          'cat smaps at the same load',
          loaded.cat,
        ),
        figure(
          'snapshot in-process at load 2 (the parse at that load)',
          loaded.snapshot,
          'raw read of smaps in-process at the same load',
          loaded.bare,
        ),
      );
      const [snapshotMs2, rawMs] = await interleaved(
        () => source.snapshot(pid),
        () => rawRead(smaps),
        5,
      );
      figures.push(
        figure('snapshot in-process', snapshotMs2, 'raw read of smaps in-process', rawMs),
      );
      // A snapshot's regions are columns until read (docs/linux-source.md); this is the cost with all of them built.
      const everyRegion = async (): Promise<void> => {
        const snapshot = await source.snapshot(pid);
        for (const r of snapshot.regions) void r.linux?.pss;
      };
      const [builtMs, rawMs2] = await interleaved(everyRegion, () => rawRead(smaps), 5);
      figures.push(
        figure(
          'snapshot with every Region and region.linux built',
          builtMs,
          'raw read of smaps in-process',
          rawMs2,
          { of: 'ratio', op: '<=', limit: 1.5 },
        ),
      );

      const pmap = spawnSync('pmap', ['-V'], { stdio: 'ignore' });
      const missing = pmap.error
        ? 'pmap is not installed (procps)'
        : !existsSync(BUILT_CLI)
          ? `${BUILT_CLI} is missing (run npm run build)`
          : null;
      for (const format of ['csv', 'json']) {
        const cliName = `vmscope snapshot --format ${format} (end to end)`;
        if (missing) {
          figures.push({ name: cliName, value: Number.NaN, unit: 'ms', notMeasured: missing });
          continue;
        }
        const [cliMs, pmapMs] = await interleaved(
          () =>
            runQuiet(process.execPath, [CLI, 'snapshot', '--pid', String(pid), '--format', format]),
          () => runQuiet('pmap', ['-X', String(pid)]),
          5,
        );
        // Speed-up: how many times faster the CLI is than pmap -X.
        figures.push(
          figure(
            cliName,
            cliMs,
            'pmap -X',
            pmapMs,
            { of: 'ratio', op: '>=', limit: 2 },
            pmapMs.median / cliMs.median,
            'pmap -X time / vmscope time',
          ),
        );
      }

      const counters = async (p: number): Promise<void> => {
        for (let i = 0; i < 20; i++) await readLinuxCounters(p);
      };
      const [manyMs, fewMs] = await interleaved(
        () => counters(pid),
        () => counters(few.pid!),
        15,
      );
      const perCall = (x: Stats): Stats => ({
        median: x.median / 20,
        min: x.min / 20,
        max: x.max / 20,
        runs: x.runs,
      });
      // Two goals: the same cost as at 100 mappings (the ratio), and under 1 ms a call.
      figures.push(
        figure(
          'counters at 60,000 mappings (per call)',
          perCall(manyMs),
          'counters at 100 mappings',
          perCall(fewMs),
          { of: 'ratio', op: '<=', limit: 1.5 },
        ),
      );
      figures.push(
        fromStats(
          'counters at 60,000 mappings (per call), against its budget',
          perCall(manyMs),
          'ms',
          {
            noReference:
              'a fixed budget of 1 ms a call (the ratio to 100 mappings is the figure above)',
            goal: { of: 'value', op: '<', limit: 1 },
          },
        ),
      );
    } finally {
      many.kill('SIGKILL');
      few.kill('SIGKILL');
    }
    return figures;
  },
};
