import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { USER_END } from './layout';
import { PageRuns, COMMITTED, RESERVED } from './pageRuns';
import { processRegions } from './report';
import { emptySimulation } from './simulation';

const GRANULE = 0x10000n;

describe('placement', () => {
  it('reservations without an address go to the lowest free granule-aligned gap that fits', () => {
    const { process: p } = emptySimulation();
    const bases: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const r = p.virtualAlloc(null, 0x1000n, M.MEM_RESERVE, P.PAGE_NOACCESS);
      if (!r.ok) throw new Error(r.error);
      bases.push(r.value);
    }
    expect(bases).toEqual([0x10000n, 0x20000n, 0x30000n, 0x40000n, 0x50000n]);
    p.virtualFree(bases[1]!, 0n, M.MEM_RELEASE);
    p.virtualFree(bases[3]!, 0n, M.MEM_RELEASE);
    // Two granules do not fit in either one-granule hole: they go after the last allocation.
    expect(p.virtualAlloc(null, 2n * GRANULE, M.MEM_RESERVE, P.PAGE_NOACCESS)).toEqual({
      ok: true,
      value: 0x60000n,
    });
    expect(p.virtualAlloc(null, 0x2000n, M.MEM_RESERVE, P.PAGE_NOACCESS)).toEqual({
      ok: true,
      value: 0x20000n,
    });
    expect(p.virtualAlloc(null, 0x2000n, M.MEM_RESERVE, P.PAGE_NOACCESS)).toEqual({
      ok: true,
      value: 0x40000n,
    });
    expect(p.virtualAlloc(null, 0x2000n, M.MEM_RESERVE, P.PAGE_NOACCESS)).toEqual({
      ok: true,
      value: 0x80000n,
    });
  });

  it('MEM_TOP_DOWN takes the highest gap, below earlier top-down reservations', () => {
    const { process: p } = emptySimulation();
    const first = p.virtualAlloc(null, 0x1000n, M.MEM_RESERVE | M.MEM_TOP_DOWN, P.PAGE_NOACCESS);
    const second = p.virtualAlloc(null, 0x1000n, M.MEM_RESERVE | M.MEM_TOP_DOWN, P.PAGE_NOACCESS);
    expect(first).toEqual({ ok: true, value: USER_END - GRANULE });
    expect(second).toEqual({ ok: true, value: USER_END - 2n * GRANULE });
  });
});

describe('PageRuns', () => {
  it('splits at the edges of an update and merges equal neighbours back', () => {
    const runs = new PageRuns(16, { state: RESERVED, protect: 0 });
    runs.update(4, 8, () => ({ state: COMMITTED, protect: 4 }));
    expect(runs.all.map((r) => [r.start, r.end, r.state])).toEqual([
      [0, 4, RESERVED],
      [4, 8, COMMITTED],
      [8, 16, RESERVED],
    ]);
    expect(runs.count(0, 16, (r) => r.state === COMMITTED)).toBe(4);
    expect(runs.every(5, 7, (r) => r.state === COMMITTED)).toBe(true);
    expect(runs.every(3, 7, (r) => r.state === COMMITTED)).toBe(false);
    runs.update(0, 16, () => ({ state: RESERVED, protect: 0 }));
    expect(runs.length).toBe(1);
  });
});

describe('processRegions', () => {
  it('lists runs, the unusable tail of the last granule and the free gaps, or only the allocations', () => {
    const { process: p } = emptySimulation();
    const r = p.virtualAlloc(null, 0x3000n, M.MEM_RESERVE, P.PAGE_NOACCESS);
    if (!r.ok) throw new Error(r.error);
    p.virtualAlloc(r.value + 0x1000n, 0x1000n, M.MEM_COMMIT, P.PAGE_EXECUTE_READ);
    p.access('read', r.value + 0x1000n);
    const regions = processRegions(p);
    expect(regions.map((x) => [x.base, x.size, x.state, x.kind, x.protect])).toEqual([
      ['0x10000', 0x1000, 'reserved', 'privateData', null],
      ['0x11000', 0x1000, 'committed', 'privateData', 'PAGE_EXECUTE_READ'],
      ['0x12000', 0x1000, 'reserved', 'privateData', null],
      ['0x13000', 0xd000, 'free', 'unusable', null],
      ['0x20000', Number(USER_END - 0x20000n), 'free', 'free', null],
    ]);
    expect(regions[1]).toMatchObject({
      allocationBase: '0x10000',
      allocationProtect: 'PAGE_NOACCESS',
      committed: 0x1000,
      type: 'private',
    });
    expect(regions[1]!.workingSet).toEqual({
      total: 4096,
      private: 4096,
      shareable: 0,
      shared: 0,
      locked: 0,
    });
    expect(processRegions(p, { includeFree: false })).toHaveLength(3);
  });
});
