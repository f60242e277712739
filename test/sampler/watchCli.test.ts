import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import type { LeakTrend } from '../../src/shared/leak';
import type { Sample } from '../../src/shared/model';
import { SERIES_CSV_COLUMNS } from '../../src/shared/seriesCsv';
import { spawnChild, stopAllChildren } from '../support/children';
import { type CliRun, CLI, assertBuilt, runCli } from '../support/cli';

const ALLOCATOR = resolve('test/sampler/allocator.mjs');
const MiB = 1024 * 1024;

afterAll(stopAllChildren);

/**
 * Runs `vmscope watch` on an allocator child that waits for SIGUSR2, and starts the child's
 * allocations once the watch has printed its first sample: however slowly the CLI starts, it
 * sees the memory before and after.
 */
async function watchAllocator(
  allocator: string[],
  watchArgs: string[],
): Promise<CliRun & { pid: number }> {
  assertBuilt();
  const child = spawnChild(process.execPath, [ALLOCATOR, ...allocator, 'on-signal']);
  const pid = child.pid!;
  const cli = spawn(process.execPath, [CLI, 'watch', '--pid', String(pid), ...watchArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let started = false;
  cli.stdout.on('data', (chunk) => {
    stdout += String(chunk);
    // A first sample: a CSV row or a JSON line of this pid.
    if (!started && (stdout.includes(`\n${pid},`) || stdout.includes(`{"pid":${pid},`))) {
      started = true;
      child.kill('SIGUSR2');
    }
  });
  cli.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const code = await new Promise<number | null>((r) => cli.on('close', r));
  return { code, stdout, stderr, pid };
}

function jsonLines(stdout: string): { samples: Sample[]; trend: LeakTrend } {
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Sample | { trend: LeakTrend });
  const last = lines.pop() as { trend: LeakTrend };
  return { samples: lines as Sample[], trend: last.trend };
}

// Concurrent tests: each asserts through its own context's `expect`, so a failure and its
// assertion count belong to the test that made it.
describe.runIf(process.platform === 'linux').concurrent('vmscope watch', () => {
  it('prints CSV samples of a process until it exits, then says so and gives the trend', async ({
    expect,
  }) => {
    const run = await watchAllocator(
      ['8', '200', '5', '500'],
      ['--interval', '100', '--format', 'csv'],
    );
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header).toBe(SERIES_CSV_COLUMNS.join(','));
    // Samples before and after the allocations (how many more depends on the load).
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const ws = rows.map((r) => Number(r.split(',')[2]));
    expect(Math.max(...ws) - ws[0]!).toBeGreaterThan(30 * MiB);
    expect(rows.every((r) => r.startsWith(`${run.pid},`))).toBe(true);
    expect(run.stderr).toMatch(
      new RegExp(`process ${run.pid} exited; the watch ends after \\d+ samples`),
    );
    expect(run.stderr).toMatch(/^vmscope: trend: /m);
  });

  it('flags a process that keeps allocating as a leak (JSON lines, trend last)', async ({
    expect,
  }) => {
    const run = await watchAllocator(
      ['1', '100', '130', '300'],
      ['--interval', '100', '--format', 'json'],
    );
    expect(run.code, run.stderr).toBe(0);
    const { samples, trend } = jsonLines(run.stdout);
    expect(samples.length).toBeGreaterThan(2);
    expect(samples.every((s) => s.pid === run.pid)).toBe(true);
    expect(trend.verdict).toBe('leak');
    // The samples saw most of the 130 MiB; how fast it came depends on the allocator's timers
    // under load, so the rate is only required to be a growth.
    const ws = samples.map((s) => s.counters.workingSetSize);
    expect(Math.max(...ws) - ws[0]!).toBeGreaterThan(64 * MiB);
    expect(trend.bytesPerMinute!).toBeGreaterThan(0);
  });

  it('does not flag a process whose memory stays put, and stops after --duration', async ({
    expect,
  }) => {
    const child = spawnChild('sleep', ['60']);
    const run = await runCli([
      'watch',
      '--pid',
      String(child.pid),
      '--interval',
      '200',
      '--duration',
      '11',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(0);
    const { samples, trend } = jsonLines(run.stdout);
    // Fixed rate: never more than one sample per 200 ms point of the 11 s (a loaded machine may
    // skip points, so there is no lower bound beyond a trend's two).
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.length).toBeLessThanOrEqual(57);
    expect(trend.verdict).toBe('no-leak');
    expect(run.stderr).toBe('');
  });

  it('exits 1 with the reason, and prints no samples, for a pid that is gone', async ({
    expect,
  }) => {
    const run = await runCli(['watch', '--pid', '2147483646']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toMatch(/^vmscope: .*\b2147483646\b.*exited/);
  });

  it('exits 2 with a one-line reason for a bad value', async ({ expect }) => {
    for (const [args, reason] of [
      [['--interval', '50'], /expected 100 to 10000, got 50/],
      [['--duration', '0'], /expected 1 to \d+, got 0/],
      [['--format', 'xml'], /Allowed choices are csv, json/],
      [['--source', 'macos'], /Allowed choices are linux, windows, simulated/],
    ] as const) {
      const run = await runCli(['watch', '--pid', '1', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(reason);
    }
    const noPid = await runCli(['watch']);
    expect(noPid.code).toBe(2);
    expect(noPid.stderr).toMatch(/--pid/);
  });
});
