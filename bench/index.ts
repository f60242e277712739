import { chartBench } from './chart.bench';
import { cliStartBench } from './cliStart.bench';
import { contentsBench, hexViewBench } from './contents.bench';
import { dumpsBench } from './dumps.bench';
import { exporterBench } from './exporter.bench';
import type { Bench } from './harness';
import { inspectorBench } from './inspector.bench';
import { linuxSnapshotBench } from './linuxSnapshot.bench';
import { memoryBench } from './memory.bench';
import { sandboxBench } from './sandbox.bench';
import { samplerBench } from './sampler.bench';
import { scaleBench } from './scale.bench';
import { simulatorBench } from './simulator.bench';

/** Every benchmark `npm run bench` runs, in order. Add yours here. */
export const benches: Bench[] = [
  cliStartBench,
  linuxSnapshotBench,
  samplerBench,
  chartBench,
  simulatorBench,
  inspectorBench,
  sandboxBench,
  exporterBench,
  memoryBench,
  scaleBench,
  contentsBench,
  hexViewBench,
  dumpsBench,
];
