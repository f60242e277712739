import type { Bench } from './harness';

/** Every benchmark `npm run bench` runs, in order. Add yours here. */
export const benches: Bench[] = [];
