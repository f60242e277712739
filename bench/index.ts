import type { Bench } from './harness';
import { simulatorBench } from './simulator.bench';

/** Every benchmark `npm run bench` runs, in order. Add yours here. */
export const benches: Bench[] = [simulatorBench];
