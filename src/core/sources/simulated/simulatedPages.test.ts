import { describe, expect, it } from 'vitest';
import { MEM_FLAGS, PAGE_FLAGS } from '../../../shared/winConstants';
import type { RegionPages } from '../../../shared/pageStates';
import { PAGE_SIZE } from '../../sim/layout';
import { readRegionPages } from '../regionPages';
import { SimulatedMachine } from './simulatedMachine';
import { createSimulatedSource } from './simulatedSource';

const { MEM_COMMIT, MEM_RESERVE } = MEM_FLAGS;
const hex = (n: bigint) => `0x${n.toString(16)}`;
/** Each run as [start, count, resident, dirty, locked]. */
const shape = (pages: RegionPages) =>
  pages.runs.map((r) => [r.start, r.count, r.resident, r.dirty, r.locked]);

describe('page states of the simulated source', () => {
  // A still clock: the workloads do not run between the calls, so only what the test does changes pages.
  const machine = new SimulatedMachine({ now: () => 0, warmUpMs: 0 });
  const source = createSimulatedSource(machine);
  const sim = machine.processes()[0]!;
  const pid = sim.member.pid;
  const base = sim.process.virtualAlloc(
    null,
    16n * 4096n,
    MEM_RESERVE | MEM_COMMIT,
    PAGE_FLAGS.PAGE_READWRITE,
  );
  if (!base.ok) throw new Error(base.error);
  const at = (page: number) => base.value + BigInt(page * PAGE_SIZE);

  it('shows written pages resident and dirty, read ones resident and clean, untouched ones absent', async () => {
    expect(sim.process.access('write', at(0), 3n * 4096n).ok).toBe(true);
    expect(sim.process.access('read', at(5)).ok).toBe(true);
    expect(sim.process.virtualLock(at(0), 4096n).ok).toBe(true);
    const pages = await readRegionPages(source, {
      pid,
      base: hex(base.value),
      size: 16 * PAGE_SIZE,
    });
    expect(shape(pages)).toEqual([
      [0, 1, true, true, true],
      [1, 2, true, true, false],
      [3, 2, false, false, false],
      [5, 1, true, false, false],
      [6, 10, false, false, false],
    ]);
    expect(pages.counts).toMatchObject({
      resident: 4,
      dirty: 3,
      locked: 1,
      shared: 0,
      softDirty: null,
    });
    expect(pages.runs.filter((r) => r.resident).every((r) => r.shareCount === 1)).toBe(true);
  });

  it('shows trimmed pages as no longer resident but still dirty (on the modified list)', async () => {
    expect(sim.process.emptyWorkingSet().ok).toBe(true);
    const pages = await readRegionPages(source, {
      pid,
      base: hex(base.value),
      size: 6 * PAGE_SIZE,
    });
    // The locked page stays; the others left the working set.
    expect(shape(pages)).toEqual([
      [0, 1, true, true, true],
      [1, 2, false, true, false],
      [3, 3, false, false, false],
    ]);
  });

  it('reads a range across free space and allocations, and refuses an unknown pid', async () => {
    const pages = await readRegionPages(source, {
      pid,
      base: hex(base.value - 16n * 4096n),
      size: 20 * PAGE_SIZE,
    });
    expect(pages.pageCount).toBe(20);
    expect(pages.runs[0]).toMatchObject({ start: 0, resident: false });
    expect(pages.counts.resident).toBe(1);
    await expect(
      readRegionPages(source, { pid: 99991, base: hex(base.value), size: 4096 }),
    ).rejects.toMatchObject({ code: 'process-exited' });
  });
});
