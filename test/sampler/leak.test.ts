import { describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../../src/core/sources/simulated/random';
import { type TrendPoint, detectLeak, mannKendallZ, theilSen } from '../../src/shared/leak';
import { formatBytesPerMinute } from '../../src/shared/format';

const MB = 1e6;
const MINUTE = 60_000;

/** Deterministic noise: the simulator's seeded generator, then Box–Muller for a normal deviate. */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A series sampled every `stepMs` for `minutes`, value(t in ms since start). */
function series(
  minutes: number,
  value: (t: number) => number,
  stepMs = 1000,
  start = 1_700_000_000_000,
): TrendPoint[] {
  const out: TrendPoint[] = [];
  for (let t = 0; t <= minutes * MINUTE; t += stepMs)
    out.push({ time: start + t, value: Math.round(value(t)) });
  return out;
}

describe('the trend statistics', () => {
  it('Theil–Sen ignores an outlier that would drag least squares', () => {
    const ts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const vs = ts.map((t) => 10 + 2 * t);
    vs[9] = 1_000;
    expect(theilSen(ts, vs).slope).toBeCloseTo(2, 6);
    expect(theilSen(ts, vs).intercept).toBeCloseTo(10, 6);
  });

  it('Mann–Kendall is strongly positive for a rising series, zero for a constant one', () => {
    expect(mannKendallZ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeGreaterThan(3.5);
    expect(mannKendallZ([5, 5, 5, 5, 5, 5])).toBe(0);
    expect(mannKendallZ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toBeLessThan(-3.5);
  });
});

describe('detectLeak finds every leak', () => {
  it('a linear leak, with its rate and since the start', () => {
    const noise = gaussian(rng(1));
    const s = series(10, (t) => 300 * MB + (1 * MB * t) / MINUTE + 200_000 * noise());
    const trend = detectLeak(s);
    expect(trend.verdict).toBe('leak');
    expect(trend.bytesPerMinute! / MB).toBeGreaterThan(0.9);
    expect(trend.bytesPerMinute! / MB).toBeLessThan(1.1);
    expect(trend.since! - s[0]!.time).toBeLessThan(MINUTE);
    // In the charts' binary units: 1 MB/min is about 977 KiB/min.
    expect(trend.reason).toMatch(/9\d\d KiB\/min/);
    expect(trend.reason).toContain(formatBytesPerMinute(trend.bytesPerMinute!));
  });

  it('a leak that starts half way, dated to when it started', () => {
    const noise = gaussian(rng(2));
    const onset = 5 * MINUTE;
    const s = series(
      10,
      (t) => 80 * MB + (t > onset ? (2 * MB * (t - onset)) / MINUTE : 0) + 300_000 * noise(),
    );
    const trend = detectLeak(s);
    expect(trend.verdict).toBe('leak');
    expect(Math.abs(trend.since! - (s[0]!.time + onset))).toBeLessThan(1.5 * MINUTE);
    expect(trend.bytesPerMinute! / MB).toBeGreaterThan(1.6);
    expect(trend.bytesPerMinute! / MB).toBeLessThan(2.4);
  });

  it('a step leak: 4 MB more every 30 s', () => {
    const s = series(10, (t) => 50 * MB + 4 * MB * Math.floor(t / 30_000));
    const trend = detectLeak(s);
    expect(trend.verdict).toBe('leak');
    expect(trend.bytesPerMinute! / MB).toBeGreaterThan(6);
    expect(trend.bytesPerMinute! / MB).toBeLessThan(10);
  });

  it('a leak under a garbage collector: a sawtooth whose floor rises', () => {
    const s = series(
      10,
      (t) => 200 * MB + (3 * MB * t) / MINUTE + ((t % 20_000) / 20_000) * 30 * MB,
    );
    expect(detectLeak(s).verdict).toBe('leak');
  });

  it('a leak sampled fast (10 Hz) over the default window', () => {
    const noise = gaussian(rng(3));
    const s = series(12, (t) => 40 * MB + (0.5 * MB * t) / MINUTE + 100_000 * noise(), 100);
    expect(detectLeak(s).verdict).toBe('leak');
  });
});

describe('detectLeak raises no false alarm', () => {
  it('on a steady series', () => {
    const trend = detectLeak(series(10, () => 120 * MB));
    expect(trend.verdict).toBe('no-leak');
    expect(trend.since).toBeNull();
  });

  it('on noisy steady series (20 seeds)', () => {
    for (let seed = 10; seed < 30; seed++) {
      const noise = gaussian(rng(seed));
      expect(
        detectLeak(series(10, () => 200 * MB + 3 * MB * noise())).verdict,
        `seed ${seed}`,
      ).toBe('no-leak');
    }
  });

  it('on a GC-like sawtooth, whatever phase the window ends at', () => {
    for (let phase = 0; phase < 30_000; phase += 2_500) {
      const s = series(10, (t) => 150 * MB + (((t + phase) % 30_000) / 30_000) * 40 * MB);
      expect(detectLeak(s).verdict, `phase ${phase}`).toBe('no-leak');
    }
  });

  it('on a noisy sawtooth with an irregular period', () => {
    const random = rng(7);
    let level = 0;
    const s = series(10, () => {
      level = random() < 0.04 ? 0 : level + random() * 1.5 * MB;
      return 100 * MB + level;
    });
    expect(detectLeak(s).verdict).toBe('no-leak');
  });

  it('on a warm-up that levelled off', () => {
    const s = series(10, (t) => 60 * MB + Math.min(t, 2 * MINUTE) * ((10 * MB) / MINUTE));
    const trend = detectLeak(s);
    expect(trend.verdict).toBe('no-leak');
  });

  it('on a shrinking series', () => {
    expect(detectLeak(series(10, (t) => 500 * MB - (2 * MB * t) / MINUTE)).verdict).toBe('no-leak');
  });
});

describe('detectLeak on short series', () => {
  it('says there is not enough data rather than guessing', () => {
    const few = series(10, (t) => t * 1000).slice(0, 5);
    expect(detectLeak(few)).toMatchObject({
      verdict: 'insufficient-data',
      points: 5,
      bytesPerMinute: null,
    });
    const brief = series(0.1, (t) => t * 1_000_000, 100);
    expect(detectLeak(brief).verdict).toBe('insufficient-data');
    expect(detectLeak([]).verdict).toBe('insufficient-data');
  });

  it('looks only at the sliding window: an old leak that stopped is not reported', () => {
    const s = series(30, (t) => 100 * MB + Math.min(t, 15 * MINUTE) * (MB / MINUTE));
    expect(detectLeak(s).verdict).toBe('no-leak');
    expect(detectLeak(s, { windowMs: 30 * MINUTE }).verdict).toBe('no-leak');
    expect(detectLeak(s.slice(0, 14 * 60)).verdict).toBe('leak');
  });
});
