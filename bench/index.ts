import type { Bench } from './harness';
import { BENCH_NAMES } from './names';

/** A bench by name, its module loaded only when it is to run (names.ts says why). */
export interface BenchEntry {
  name: string;
  load(): Promise<Bench>;
}

/** Every benchmark `npm run bench` runs, in order. Add yours here and its name in names.ts. */
export const benches: BenchEntry[] = [
  {
    name: BENCH_NAMES.cliStart,
    load: async () => (await import('./cliStart.bench')).cliStartBench,
  },
  {
    name: BENCH_NAMES.linuxSnapshot,
    load: async () => (await import('./linuxSnapshot.bench')).linuxSnapshotBench,
  },
  { name: BENCH_NAMES.sampler, load: async () => (await import('./sampler.bench')).samplerBench },
  { name: BENCH_NAMES.chart, load: async () => (await import('./chart.bench')).chartBench },
  {
    name: BENCH_NAMES.simulator,
    load: async () => (await import('./simulator.bench')).simulatorBench,
  },
  {
    name: BENCH_NAMES.inspector,
    load: async () => (await import('./inspector.bench')).inspectorBench,
  },
  { name: BENCH_NAMES.sandbox, load: async () => (await import('./sandbox.bench')).sandboxBench },
  {
    name: BENCH_NAMES.exporter,
    load: async () => (await import('./exporter.bench')).exporterBench,
  },
  { name: BENCH_NAMES.memory, load: async () => (await import('./memory.bench')).memoryBench },
  { name: BENCH_NAMES.scale, load: async () => (await import('./scale.bench')).scaleBench },
  {
    name: BENCH_NAMES.contents,
    load: async () => (await import('./contents.bench')).contentsBench,
  },
  { name: BENCH_NAMES.hexView, load: async () => (await import('./contents.bench')).hexViewBench },
  { name: BENCH_NAMES.dumps, load: async () => (await import('./dumps.bench')).dumpsBench },
];
