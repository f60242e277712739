import type { SeriesRow } from '../../src/shared/series';

/**
 * `points` chart rows 100 ms apart, as an hour at 10 Hz of a process that leaks slowly under a
 * GC sawtooth, with noisy soft faults and rare hard ones. `shift` moves the series along, so
 * each benchmark update draws new data.
 */
export function syntheticRows(points: number, shift = 0): SeriesRow[] {
  const start = 1_700_000_000_000 + shift * 100;
  return Array.from({ length: points }, (_, k) => {
    const i = k + shift;
    const base = 200e6 + i * 1000 + ((i % 600) / 600) * 40e6;
    return {
      time: start + k * 100,
      workingSet: base + 50e6,
      peakWorkingSet: 300e6,
      privateBytes: base,
      peakPrivateBytes: 260e6,
      virtualSize: 2e9,
      faultsPerSec: 1000 + (i % 37) * 10,
      softFaultsPerSec: 1000 + (i % 37) * 10,
      hardFaultsPerSec: i % 997 === 0 ? 50 : 0,
    };
  });
}
