import { describe, expect, it } from 'vitest';
import { detectLeak, type TrendPoint } from '../../../shared/leak';
import { PAGE_SIZE } from '../../sim/layout';
import { processCounters, processRegions } from '../../sim/report';
import { SimulatedMachine, TICK_MS, type CastMember } from './simulatedMachine';
import { dynamicArray } from './workloads';

/** Private bytes of each process sampled once a second of simulated time for `seconds`. */
function privateSeries(machine: SimulatedMachine, seconds: number): Map<string, TrendPoint[]> {
  const series = new Map<string, TrendPoint[]>();
  for (let s = 0; s < seconds; s++) {
    machine.step(1000);
    for (const p of machine.processes()) {
      const list = series.get(p.member.name) ?? [];
      list.push({ time: machine.time, value: processCounters(p.process).privateUsage });
      series.set(p.member.name, list);
    }
  }
  return series;
}

describe('simulated machine', () => {
  it('is deterministic for a seed: two machines stepped alike report the same counters', () => {
    const a = new SimulatedMachine({ seed: 7, now: () => 0, warmUpMs: 0 });
    const b = new SimulatedMachine({ seed: 7, now: () => 0, warmUpMs: 0 });
    a.step(30_000);
    b.step(30_000);
    const counters = (m: SimulatedMachine) => m.processes().map((p) => processCounters(p.process));
    expect(counters(a)).toEqual(counters(b));
    expect(a.machine.stats()).toEqual(b.machine.stats());
  });

  it('follows wall time lazily on sync, stands still while paused, and steps when asked', () => {
    let wall = 1_000_000;
    const m = new SimulatedMachine({ now: () => wall, warmUpMs: 0 });
    wall += 2_050;
    m.sync();
    expect(m.time).toBe(2_000);
    m.pause();
    wall += 5_000;
    m.sync();
    expect(m.time).toBe(2_000);
    m.step(3 * TICK_MS);
    expect(m.time).toBe(2_300);
    m.resume();
    wall += 1_000;
    m.sync();
    expect(m.time).toBe(3_300);
  });

  it('the leak detector flags the leaking service and not the steady or sawtooth ones', () => {
    const m = new SimulatedMachine({ seed: 3, now: () => 0, warmUpMs: 0 });
    const series = privateSeries(m, 5 * 60);
    const leaky = series.get('leakysvc.exe')!;
    const steady = series.get('steadysvc.exe')!;
    const gc = series.get('gcworker.exe')!;
    expect(leaky.at(-1)!.value).toBeGreaterThan(leaky[0]!.value + 40 * 1024 * 1024);
    expect(steady.at(-1)!.value).toBe(steady[0]!.value);
    expect(detectLeak(leaky).verdict).toBe('leak');
    expect(detectLeak(steady).verdict).toBe('no-leak');
    expect(detectLeak(gc).verdict).toBe('no-leak');
    // The sawtooth really saws: its private bytes fall back after each collection.
    const values = gc.map((p) => p.value);
    expect(values.some((v, i) => i > 0 && v < values[i - 1]!)).toBe(true);
  });

  it('the dynamic array commits one page per access violation, ends with MAX_PAGE committed pages, then releases them', () => {
    const maxPage = 8;
    const array = dynamicArray(maxPage);
    const cast: CastMember[] = [
      {
        pid: 100,
        parentPid: 4,
        name: 'dynarray.exe',
        path: 'C:\\dyn.exe',
        user: 'u',
        commandLine: '',
        startsAt: 0,
        workload: () => array,
      },
    ];
    const m = new SimulatedMachine({ now: () => 0, cast, warmUpMs: 0 });
    const p = m.find(100)!.process;
    // The process heap is there from the start; the array's pages come on top of it.
    const baseline = processCounters(p).privateUsage;
    m.step(TICK_MS);
    expect(array.state.committedPages).toBe(1);
    const base = `0x${array.state.base.toString(16)}`;
    const arrayRegions = () =>
      processRegions(p, { includeFree: false }).filter((r) => r.allocationBase === base);
    m.step((maxPage - 1) * TICK_MS);
    expect(array.state.committedPages).toBe(maxPage);
    expect(arrayRegions().reduce((n, r) => n + r.committed, 0)).toBe(maxPage * PAGE_SIZE);
    expect(processCounters(p).privateUsage - baseline).toBe(maxPage * PAGE_SIZE);
    m.step(TICK_MS);
    expect(array.state.completedRounds).toBe(1);
    expect(processCounters(p).privateUsage).toBe(baseline);
    expect(arrayRegions()).toEqual([]);
    // And it starts over.
    m.step(TICK_MS);
    expect(array.state.committedPages).toBe(1);
  });

  it('the producer and consumer share one named section; the reader maps its file', () => {
    const m = new SimulatedMachine({ now: () => 0, warmUpMs: 0 });
    m.step(10_000);
    const regions = (pid: number) => processRegions(m.find(pid)!.process, { includeFree: false });
    const ring = (pid: number) =>
      regions(pid).find(
        (r) => r.kind === 'shareable' && r.details === 'Section "Local\\ContosoRing"',
      )!;
    expect(ring(5012).workingSet.shared).toBeGreaterThan(0);
    expect(ring(5016).workingSet.shared).toBe(ring(5012).workingSet.shared);
    expect(processCounters(m.find(5016)!.process).privateUsage).toBeLessThan(1024 * 1024);
    const file = regions(4088).find((r) => r.kind === 'mappedFile')!;
    expect(file.path).toBe('C:\\Data\\archive.dat');
    expect(file.workingSet.shareable).toBeGreaterThan(0);
    expect(processCounters(m.find(4088)!.process).hardFaultCount).toBeGreaterThan(0);
  });
});
