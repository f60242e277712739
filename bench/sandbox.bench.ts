/**
 * Sandbox sessions through the service API (createService behind the local service host, as the
 * CLI uses it), on the simulated engine:
 * - per-step latency at a history of 5,000 steps against the first 50 steps of a session.
 *   Goal: at most 1.5x (a step costs the same at step 5,000 as at step 5).
 * - `sandbox.load` of 10,000 steps against 1,000. Goal: under 10x (linear, not quadratic).
 * Each figure is the median over rounds, with the spread (lowest and highest round) printed;
 * one warm-up round is discarded, and the heap is collected between variants where possible.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createService } from '../src/core/service';
import { createLocalServiceHost } from '../src/core/serviceHost';
import { type Client, createClient } from '../src/shared/bridge';
import { type Bench, type BenchFigure, percentile } from './harness';
import { BENCH_NAMES } from './names';

const ROUNDS = 5;
const TIMED = 50;

/** A mix that keeps the sandbox busy and growing slowly: allocations come and go, pages are touched, protected and queried. */
function stepAt(i: number): Record<string, unknown> {
  const slot = `a${Math.floor(i / 8) % 64}`;
  switch (i % 8) {
    case 0:
      return {
        op: 'VirtualAlloc',
        size: 0x10000,
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: slot,
      };
    case 1:
      return { op: 'Write', address: slot, size: 0x3000 };
    case 2:
      return { op: 'Read', address: `${slot}+0x1000`, size: 16 };
    case 3:
      return {
        op: 'VirtualProtect',
        address: `${slot}+0x4000`,
        size: 0x1000,
        protect: 'PAGE_READONLY',
      };
    case 4:
      return { op: 'VirtualQuery', address: `${slot}+0x4000` };
    case 5:
      return { op: 'GetProcessMemoryInfo' };
    case 6:
      // Every other allocation is released again, so the space grows by half of them.
      return i % 16 === 6
        ? { op: 'VirtualFree', address: slot, type: 'MEM_RELEASE' }
        : { op: 'Execute', address: slot };
    default:
      return { op: 'VirtualLock', address: slot, size: 0x1000 };
  }
}

const script = (count: number, from = 0) => ({
  steps: Array.from({ length: count }, (_, i) => stepAt(from + i)),
});

/** The collector, where V8 lets us have it (no --expose-gc needed). */
function collector(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc === 'function') return gc;
  } catch {
    // Not exposed: variants then share a heap.
  }
  return () => undefined;
}

async function timedSteps(client: Client, session: string, from: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < TIMED; i++) {
    const start = performance.now();
    await client.call('sandbox.step', { session, step: stepAt(from + i) });
    times.push(performance.now() - start);
  }
  return percentile(times, 50);
}

/** One round: the median step of a fresh session's first 50, and of 50 steps after a history of 5,000. */
async function stepRound(client: Client, gc: () => void): Promise<{ early: number; late: number }> {
  const { session } = await client.call('sandbox.open', { engine: 'simulated' });
  try {
    const early = await timedSteps(client, session, 0);
    await client.call('sandbox.load', { session, script: script(5000) });
    gc();
    const late = await timedSteps(client, session, 5000);
    return { early, late };
  } finally {
    await client.call('sandbox.close', { session });
  }
}

async function loadMs(client: Client, steps: number): Promise<number> {
  const { session } = await client.call('sandbox.open', { engine: 'simulated' });
  try {
    const body = script(steps);
    const start = performance.now();
    await client.call('sandbox.load', { session, script: body });
    return performance.now() - start;
  } finally {
    await client.call('sandbox.close', { session });
  }
}

const spread = (values: number[]): string =>
  `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

export const sandboxBench: Bench = {
  name: BENCH_NAMES.sandbox,
  skipReason: () => null,
  async run(): Promise<BenchFigure[]> {
    const host = createLocalServiceHost(createService());
    const client = createClient(host);
    const gc = collector();
    try {
      await stepRound(client, gc);
      const rounds: { early: number; late: number }[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        gc();
        rounds.push(await stepRound(client, gc));
      }
      await loadMs(client, 1000);
      const small: number[] = [];
      const large: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        gc();
        small.push(await loadMs(client, 1000));
        gc();
        large.push(await loadMs(client, 10000));
      }
      const early = percentile(
        rounds.map((r) => r.early),
        50,
      );
      const late = percentile(
        rounds.map((r) => r.late),
        50,
      );
      const load1k = percentile(small, 50);
      const load10k = percentile(large, 50);
      return [
        {
          name: `step at a history of 5,000 (median of ${ROUNDS} rounds, spread ${spread(rounds.map((r) => r.late))} ms)`,
          value: late,
          unit: 'ms',
          reference: {
            name: `first ${TIMED} steps (spread ${spread(rounds.map((r) => r.early))} ms)`,
            value: early,
            unit: 'ms',
          },
          ratio: late / early,
          goal: { of: 'ratio', op: '<=', limit: 1.5 },
        },
        {
          name: `sandbox.load of 10,000 steps (median of ${ROUNDS}, spread ${spread(large)} ms)`,
          value: load10k,
          unit: 'ms',
          reference: {
            name: `1,000 steps (spread ${spread(small)} ms)`,
            value: load1k,
            unit: 'ms',
          },
          ratio: load10k / load1k,
          goal: { of: 'ratio', op: '<', limit: 10 },
        },
      ];
    } finally {
      await host.close();
    }
  },
};
