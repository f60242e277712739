import { describe, expect, it } from 'vitest';
import { goalMet } from '../../bench/harness';
import { benchArguments, describeRepeated, medianFigures } from '../../bench/repeat';

describe('bench --runs', () => {
  it('reads the filter and the run count in either order', () => {
    expect(benchArguments([])).toEqual({ runs: 1 });
    expect(benchArguments(['linux', '--runs', '5'])).toEqual({ filter: 'linux', runs: 5 });
    expect(benchArguments(['--runs=3', 'sampler'])).toEqual({ filter: 'sampler', runs: 3 });
    expect(() => benchArguments(['--runs', 'x'])).toThrow(/whole number/);
    expect(() => benchArguments(['--runs', '0'])).toThrow(/at least 1/);
  });

  it('takes each figure as the median of its runs and checks the goal on that median', () => {
    const run = (value: number, ref: number) => [
      {
        name: 'snapshot',
        value,
        unit: 'ms',
        reference: { name: 'cat', value: ref, unit: 'ms' },
        ratio: value / ref,
        goal: { of: 'ratio' as const, op: '<=' as const, limit: 1.2 },
      },
    ];
    // Ratios 1.1, 2.0, 1.15, 1.0, 1.3: one bad run does not decide; the median 1.15 meets 1.2.
    const [f] = medianFigures([
      run(110, 100),
      run(200, 100),
      run(115, 100),
      run(100, 100),
      run(130, 100),
    ]);
    expect(f!.ratio).toBeCloseTo(1.15);
    expect(f!.value).toBe(115);
    expect(f!.reference!.value).toBe(100);
    expect(f!.perRun.map((r) => r.value)).toEqual([110, 200, 115, 100, 130]);
    expect(goalMet(f!)).toBe(true);
    expect(describeRepeated(f!).join('\n')).toMatch(
      /median 1\.150.*\n.*goal: median ratio <= 1\.2: met/s,
    );
    const [worse] = medianFigures([run(130, 100), run(200, 100), run(110, 100)]);
    expect(goalMet(worse!)).toBe(false);
  });

  it('keeps apart two figures of one name measured against different references', () => {
    const against = (ref: string, value: number) => ({
      name: 'snapshot',
      value,
      unit: 'ms',
      reference: { name: ref, value: 100, unit: 'ms' },
      ratio: value / 100,
    });
    const figures = medianFigures([
      [against('cat', 120), against('raw read', 150)],
      [against('cat', 130), against('raw read', 160)],
    ]);
    expect(figures.map((f) => [f.reference!.name, f.perRun.length, f.value])).toEqual([
      ['cat', 2, 120],
      ['raw read', 2, 150],
    ]);
  });

  it('keeps a figure measured in no run as such, and counts only the runs that measured one', () => {
    const missing = { name: 'pmap', value: Number.NaN, unit: 'ms', notMeasured: 'no pmap' };
    const measured = { name: 'x', value: 3, unit: 'ms' };
    const figures = medianFigures([
      [missing, measured],
      [missing, { ...measured, notMeasured: 'gone' }],
    ]);
    expect(figures.map((f) => [f.name, f.perRun.length])).toEqual([
      ['pmap', 0],
      ['x', 1],
    ]);
    expect(describeRepeated(figures[0]!)).toEqual(['  pmap: not measured in any run']);
  });
});
