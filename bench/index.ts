import { chartBench } from './chart.bench';
import { dumpsBench } from './dumps.bench';
import { exporterBench } from './exporter.bench';
import type { Bench } from './harness';
import { inspectorBench } from './inspector.bench';
import { linuxSnapshotBench } from './linuxSnapshot.bench';
import { sandboxBench } from './sandbox.bench';
import { samplerBench } from './sampler.bench';
import { simulatorBench } from './simulator.bench';

/** Every benchmark `npm run bench` runs, in order. Add yours here. */
export const benches: Bench[] = [
  linuxSnapshotBench,
  samplerBench,
  chartBench,
  simulatorBench,
  inspectorBench,
  sandboxBench,
  exporterBench,
  dumpsBench,
];
