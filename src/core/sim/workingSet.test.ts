import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { Machine } from './machine';
import { LOCK_OVERHEAD_PAGES, SimProcess } from './process';
import type { WinResult } from './results';
import { emptySimulation } from './simulation';

const MiB = 1 << 20;
const PAGE = 4096n;

function value<T>(r: WinResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  return r.value;
}

const errorOf = <T>(r: WinResult<T>): string => (r.ok ? 'success' : r.error);

describe('working set and physical memory', () => {
  it('over its maximum the oldest pages are trimmed: dirty ones to the modified list, touching them again is a soft fault', () => {
    const { process: p, machine } = emptySimulation({
      workingSetMinimum: 20 * 4096,
      workingSetMaximum: 32 * 4096,
    });
    const a = value(p.virtualAlloc(null, 64n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (let i = 0n; i < 64n; i++) p.access('write', a + i * PAGE);
    expect(p.workingSet.size).toBe(32);
    expect(p.workingSet.peakSize).toBe(32);
    expect(machine.stats().modifiedPages).toBe(32);
    const r = p.access('read', a);
    expect(r).toMatchObject({ ok: true, faults: { soft: 1, hard: 0, demandZero: 0 } });
    expect(machine.stats().modifiedPages).toBe(32);
  });

  it('a trimmed clean page goes to standby and comes back with a soft fault', () => {
    const { process: p, machine } = emptySimulation();
    const a = value(p.virtualAlloc(null, PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    p.access('read', a);
    value(p.emptyWorkingSet());
    expect(p.workingSet.size).toBe(0);
    expect(machine.stats().standbyPages).toBe(1);
    expect(p.access('read', a)).toMatchObject({ faults: { soft: 1, hard: 0, demandZero: 0 } });
    expect(machine.stats()).toMatchObject({ standbyPages: 0, activePages: 1 });
  });

  it('when physical memory runs short, modified pages are written to the pagefile and read back with hard faults', () => {
    const { process: p, machine } = emptySimulation({
      physicalMemory: 4 * MiB,
      pagefileSize: 16 * MiB,
      workingSetMaximum: 512 * 4096,
    });
    const pages = 2048n; // twice the RAM
    const a = value(p.virtualAlloc(null, pages * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (let i = 0n; i < pages; i++) expect(p.access('write', a + i * PAGE).ok).toBe(true);
    const stats = machine.stats();
    expect(stats.pagesWritten).toBeGreaterThan(0);
    expect(stats.pagefileUsedPages).toBeGreaterThan(0);
    expect(
      stats.activePages +
        stats.standbyPages +
        stats.modifiedPages +
        stats.freePages +
        stats.zeroedPages,
    ).toBe(stats.totalPages);
    const r = p.access('read', a);
    expect(r).toMatchObject({ ok: true, faults: { hard: 1, soft: 0 } });
    expect(p.hardFaults).toBe(1);
    expect(machine.stats().pagesRead).toBe(1);
  });

  it('a clean page whose frame was repurposed comes back as a demand-zero fault, not a hard one', () => {
    const { process: p, machine } = emptySimulation({
      physicalMemory: 4 * MiB,
      workingSetMaximum: 512 * 4096,
    });
    const a = value(p.virtualAlloc(null, 2048n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (let i = 0n; i < 2048n; i++) p.access('read', a + i * PAGE);
    expect(machine.stats().repurposed).toBeGreaterThan(0);
    expect(machine.stats().pagesWritten).toBe(0);
    expect(p.access('read', a)).toMatchObject({ faults: { demandZero: 1, hard: 0 } });
  });

  it('processes on one machine share its frames: when they run out, the largest working set is trimmed', () => {
    const machine = new Machine({ physicalMemory: 4 * MiB, pagefileSize: 16 * MiB });
    const limits = { workingSetMinimum: 50 * 4096, workingSetMaximum: 4096 * 4096 };
    const a = new SimProcess(machine, { pid: 1, name: 'a.exe', ...limits });
    const b = new SimProcess(machine, { pid: 2, name: 'b.exe', ...limits });
    const pa = value(a.virtualAlloc(null, 900n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    const pb = value(b.virtualAlloc(null, 900n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (let i = 0n; i < 900n; i++) a.access('write', pa + i * PAGE);
    for (let i = 0n; i < 900n; i++) expect(b.access('write', pb + i * PAGE).ok).toBe(true);
    // A was trimmed while it was the larger; once B became the larger, B paid: they end balanced.
    expect(a.workingSet.size).toBeLessThan(900);
    expect(b.workingSet.size).toBeGreaterThan(500);
    expect(Math.abs(a.workingSet.size - b.workingSet.size)).toBeLessThanOrEqual(2);
    expect(a.workingSet.size + b.workingSet.size).toBeLessThanOrEqual(machine.totalPages);
    expect(machine.stats().commitChargePages).toBe(1800);
  });

  it('MEM_RESET pages are not written out; MEM_RESET_UNDO fails once a reset page was thrown away', () => {
    const { process: p, machine } = emptySimulation({
      physicalMemory: 4 * MiB,
      workingSetMaximum: 512 * 4096,
    });
    const a = value(p.virtualAlloc(null, 16n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (let i = 0n; i < 16n; i++) p.access('write', a + i * PAGE);
    value(p.virtualAlloc(a, 16n * PAGE, M.MEM_RESET, P.PAGE_NOACCESS));
    expect(value(p.virtualAlloc(a, 16n * PAGE, M.MEM_RESET_UNDO, P.PAGE_NOACCESS))).toBe(a);
    value(p.virtualAlloc(a, 16n * PAGE, M.MEM_RESET, P.PAGE_NOACCESS));
    value(p.emptyWorkingSet());
    expect(machine.stats().modifiedPages).toBe(0);
    // Push the reset pages out of RAM with other memory.
    const b = value(p.virtualAlloc(null, 2048n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (let i = 0n; i < 2048n; i++) p.access('read', b + i * PAGE);
    expect(errorOf(p.virtualAlloc(a, 16n * PAGE, M.MEM_RESET_UNDO, P.PAGE_NOACCESS))).toBe(
      'ERROR_INVALID_ADDRESS',
    );
  });

  it('MEM_RESET_UNDO makes the contents matter again: pushed out of RAM, they come back from the pagefile', () => {
    const { process: p, machine } = emptySimulation({
      physicalMemory: 4 * MiB,
      workingSetMaximum: 512 * 4096,
    });
    const a = value(p.virtualAlloc(null, 16n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    p.access('write', a, 16n * PAGE);
    value(p.virtualAlloc(a, 16n * PAGE, M.MEM_RESET, P.PAGE_NOACCESS));
    value(p.emptyWorkingSet());
    value(p.virtualAlloc(a, 16n * PAGE, M.MEM_RESET_UNDO, P.PAGE_NOACCESS));
    expect(machine.stats().modifiedPages).toBe(16);
    // Dirty memory twice the RAM: the modified page writer must write the undone pages out first.
    const b = value(p.virtualAlloc(null, 2048n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (let i = 0n; i < 2048n; i++) p.access('write', b + i * PAGE);
    expect(p.access('read', a)).toMatchObject({ faults: { hard: 1, demandZero: 0 } });
  });

  it('decommit and release free the frames and the commit charge', () => {
    const { process: p, machine } = emptySimulation();
    const a = value(p.virtualAlloc(null, 8n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (let i = 0n; i < 8n; i++) p.access('write', a + i * PAGE);
    value(p.virtualFree(a, 4n * PAGE, M.MEM_DECOMMIT));
    expect(p.workingSet.size).toBe(4);
    expect(machine.stats()).toMatchObject({ activePages: 4, freePages: 4, commitChargePages: 4 });
    value(p.virtualFree(a, 0n, M.MEM_RELEASE));
    expect(machine.stats()).toMatchObject({ activePages: 0, freePages: 8, commitChargePages: 0 });
    machine.advance(1);
    expect(machine.stats().freePages).toBe(0);
    expect(machine.stats().zeroedPages).toBe(machine.totalPages);
  });
});

describe('VirtualLock / VirtualUnlock', () => {
  it('locks committed, accessible pages into the working set; EmptyWorkingSet leaves them', () => {
    const { process: p } = emptySimulation();
    const a = value(p.virtualAlloc(null, 4n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    expect(value(p.virtualLock(a, 2n * PAGE))).toBe(true);
    expect(p.workingSet.size).toBe(2);
    value(p.emptyWorkingSet());
    expect(p.workingSet).toMatchObject({ size: 2, locked: 2 });
    expect(value(p.virtualUnlock(a, 2n * PAGE))).toBe(true);
    value(p.emptyWorkingSet());
    expect(p.workingSet.size).toBe(0);
  });

  it('PAGE_NOACCESS → ERROR_NOACCESS (998); reserved → ERROR_INVALID_ADDRESS (487) (VirtualLock docs)', () => {
    const { process: p } = emptySimulation();
    const a = value(p.virtualAlloc(null, 4n * PAGE, M.MEM_RESERVE, P.PAGE_NOACCESS));
    expect(errorOf(p.virtualLock(a, PAGE))).toBe('ERROR_INVALID_ADDRESS');
    value(p.virtualAlloc(a, PAGE, M.MEM_COMMIT, P.PAGE_NOACCESS));
    expect(errorOf(p.virtualLock(a, PAGE))).toBe('ERROR_NOACCESS');
  });

  it('a guard page makes VirtualLock fail with STATUS_GUARD_PAGE_VIOLATION once and loses its guard (Wine test_guard_page)', () => {
    const { process: p } = emptySimulation();
    const a = value(
      p.virtualAlloc(null, PAGE, M.MEM_RESERVE | M.MEM_COMMIT, P.PAGE_READWRITE | P.PAGE_GUARD),
    );
    expect(value(p.virtualQuery(a))).toMatchObject({
      allocationProtect: P.PAGE_READWRITE | P.PAGE_GUARD,
      protect: P.PAGE_READWRITE | P.PAGE_GUARD,
    });
    expect(errorOf(p.virtualLock(a, PAGE))).toBe('STATUS_GUARD_PAGE_VIOLATION');
    expect(value(p.virtualLock(a, PAGE))).toBe(true);
    expect(value(p.virtualQuery(a))).toMatchObject({
      allocationProtect: P.PAGE_READWRITE | P.PAGE_GUARD,
      protect: P.PAGE_READWRITE,
    });
    expect(value(p.virtualUnlock(a, PAGE))).toBe(true);
  });

  it('the working-set minimum is the lock quota: ERROR_WORKING_SET_QUOTA (1453)', () => {
    const { process: p } = emptySimulation();
    const quota = p.workingSet.minimumPages - LOCK_OVERHEAD_PAGES;
    const a = value(p.virtualAlloc(null, BigInt(quota + 1) * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    expect(errorOf(p.virtualLock(a, BigInt(quota + 1) * PAGE))).toBe('ERROR_WORKING_SET_QUOTA');
    expect(p.workingSet.locked).toBe(0);
    expect(value(p.virtualLock(a, BigInt(quota) * PAGE))).toBe(true);
    value(p.setWorkingSetSize(200 * 4096, 400 * 4096));
    expect(value(p.virtualLock(a, BigInt(quota + 1) * PAGE))).toBe(true);
  });

  it('unlocking pages that are not locked fails with ERROR_NOT_LOCKED (158) and removes them from the working set (docs)', () => {
    const { process: p } = emptySimulation();
    const a = value(p.virtualAlloc(null, 2n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    p.access('write', a, 2n * PAGE);
    expect(p.workingSet.size).toBe(2);
    expect(errorOf(p.virtualUnlock(a, 2n * PAGE))).toBe('ERROR_NOT_LOCKED');
    expect(p.workingSet.size).toBe(0);
  });
});

describe('SetProcessWorkingSetSize', () => {
  it('checks its bounds with 87, raises a small minimum to 20 pages, trims to a lower maximum, and -1/-1 empties', () => {
    const { process: p } = emptySimulation();
    expect(errorOf(p.setWorkingSetSize(400 * 4096, 200 * 4096))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.setWorkingSetSize(0, 200 * 4096))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.setWorkingSetSize(4096, 12 * 4096))).toBe('ERROR_INVALID_PARAMETER');
    value(p.setWorkingSetSize(4096, 100 * 4096));
    expect(p.workingSet.minimumPages).toBe(20);
    const a = value(p.virtualAlloc(null, 100n * PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
    p.access('write', a, 100n * PAGE);
    expect(p.workingSet.size).toBe(100);
    value(p.setWorkingSetSize(20 * 4096, 40 * 4096));
    expect(p.workingSet.size).toBe(40);
    value(p.setWorkingSetSize(-1, -1));
    expect(p.workingSet.size).toBe(0);
  });
});

describe('cost', () => {
  it('reserving 1 TiB costs one run and no per-page entries; touching pages costs one entry each', () => {
    const { process: p } = emptySimulation();
    const TiB = 1n << 40n;
    const a = value(p.virtualAlloc(null, TiB, M.MEM_RESERVE, P.PAGE_NOACCESS));
    const alloc = p.space.find(a)!;
    expect(alloc.pageCount).toBe(2 ** 28);
    expect(alloc.runs.length).toBe(1);
    expect(alloc.pages.size).toBe(0);
    for (let i = 0n; i < 10n; i++) {
      const at = a + i * (TiB / 10n);
      value(p.virtualAlloc(at, 1n, M.MEM_COMMIT, P.PAGE_READWRITE));
      expect(p.access('write', at).ok).toBe(true);
    }
    expect(alloc.pages.size).toBe(10);
    expect(alloc.runs.length).toBeLessThanOrEqual(21);
    // Decommitting the whole terabyte walks the 10 touched pages, not 2^28 page numbers.
    value(p.virtualFree(a, TiB, M.MEM_DECOMMIT));
    expect(alloc.runs.length).toBe(1);
    expect(alloc.pages.size).toBe(0);
    expect(p.privateCommitPages).toBe(0);
  });

  it('locking or unlocking a span far larger than the quota answers without walking it', () => {
    const { process: p } = emptySimulation();
    const size = 100_000n * PAGE;
    const a = value(p.virtualAlloc(null, size, M.MEM_COMMIT, P.PAGE_READWRITE));
    expect(errorOf(p.virtualLock(a, size))).toBe('ERROR_WORKING_SET_QUOTA');
    expect(errorOf(p.virtualUnlock(a, size))).toBe('ERROR_NOT_LOCKED');
    expect(p.space.find(a)!.pages.size).toBe(0);
  });
});
