import type { Bench } from './harness';
import { samplerBench } from './sampler.bench';
import { simulatorBench } from './simulator.bench';

/** Every benchmark `npm run bench` runs, in order. Add yours here. */
export const benches: Bench[] = [samplerBench, simulatorBench];
