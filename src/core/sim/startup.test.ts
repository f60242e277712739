import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { processRegions } from './report';
import { createSimulation, emptySimulation, SANDBOX_PID } from './simulation';
import {
  EXE_BASE,
  KUSER_SHARED_DATA,
  STACK_COMMIT,
  STACK_RESERVE,
  TEB_SIZE,
  landmarksOf,
} from './startup';
import { SYSTEM_DLLS } from './images';
import { USER_MAX } from './layout';
import type { WinResult } from './results';

function ok<T>(r: WinResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  return r.value;
}

describe('process start (startup.ts)', () => {
  const { process: p } = createSimulation();
  const at = landmarksOf(SANDBOX_PID);
  const q = (address: bigint) => ok(p.virtualQuery(address));

  it('maps KUSER_SHARED_DATA read-only at 0x7FFE0000, one page of private memory', () => {
    expect(q(KUSER_SHARED_DATA)).toEqual({
      baseAddress: KUSER_SHARED_DATA,
      allocationBase: KUSER_SHARED_DATA,
      allocationProtect: P.PAGE_READONLY,
      regionSize: 0x1000n,
      state: M.MEM_COMMIT,
      protect: P.PAGE_READONLY,
      type: M.MEM_PRIVATE,
    });
  });

  it('makes the PEB and a two-page TEB as page-granular private allocations, already written', () => {
    expect(q(at.peb)).toMatchObject({
      allocationBase: at.peb,
      regionSize: 0x1000n,
      protect: P.PAGE_READWRITE,
      type: M.MEM_PRIVATE,
    });
    expect(at.peb % 0x10000n).not.toBe(0n);
    expect(q(at.teb)).toMatchObject({
      allocationBase: at.teb,
      regionSize: BigInt(TEB_SIZE),
      protect: P.PAGE_READWRITE,
    });
    // The kernel filled both in: their pages are resident.
    const regions = processRegions(p, { includeFree: false });
    const peb = regions.find((r) => BigInt(r.base) === at.peb)!;
    const teb = regions.find((r) => BigInt(r.base) === at.teb)!;
    expect([peb.details, peb.workingSet.total]).toEqual(['PEB', 0x1000]);
    expect([teb.details, teb.workingSet.total]).toEqual(['TEB of thread 4246', TEB_SIZE]);
  });

  it('refuses to free, decommit or reprotect the PEB, a TEB and KUSER_SHARED_DATA (secured: 87)', () => {
    const refused = (r: WinResult<unknown>) =>
      expect(r).toEqual({ ok: false, error: 'ERROR_INVALID_PARAMETER' });
    for (const base of [at.peb, at.teb, KUSER_SHARED_DATA]) {
      refused(p.virtualFree(base, 0n, M.MEM_RELEASE));
      refused(p.virtualFree(base, 0x1000n, M.MEM_DECOMMIT));
      refused(p.virtualProtect(base, 0x1000n, P.PAGE_NOACCESS));
      refused(p.virtualProtect(base, 0x1000n, P.PAGE_READONLY));
      refused(p.virtualProtect(base, 0x1000n, P.PAGE_READWRITE | P.PAGE_GUARD));
      refused(p.virtualAlloc(base, 0x1000n, M.MEM_COMMIT, P.PAGE_READONLY));
    }
    // KUSER_SHARED_DATA takes no change at all, not even to read-write.
    refused(p.virtualProtect(KUSER_SHARED_DATA, 0x1000n, P.PAGE_READWRITE));
    // The PEB and TEBs may take a protection that still allows reading and writing.
    expect(p.virtualProtect(at.teb, 0x1000n, P.PAGE_EXECUTE_READWRITE)).toEqual({
      ok: true,
      value: P.PAGE_READWRITE,
    });
    expect(p.virtualProtect(at.teb, 0x1000n, P.PAGE_READWRITE)).toEqual({
      ok: true,
      value: P.PAGE_EXECUTE_READWRITE,
    });
    // All three are still there, as they were.
    expect(q(at.peb)).toMatchObject({ state: M.MEM_COMMIT, protect: P.PAGE_READWRITE });
    expect(q(at.teb)).toMatchObject({ state: M.MEM_COMMIT, protect: P.PAGE_READWRITE });
    expect(q(KUSER_SHARED_DATA)).toMatchObject({ state: M.MEM_COMMIT, protect: P.PAGE_READONLY });
  });

  it("reserves the main thread's 1 MiB stack: committed top, one guard page below, the rest reserved", () => {
    const top = at.stack + BigInt(STACK_RESERVE);
    expect(q(top - BigInt(STACK_COMMIT))).toMatchObject({
      baseAddress: top - BigInt(STACK_COMMIT),
      allocationBase: at.stack,
      allocationProtect: P.PAGE_READWRITE,
      regionSize: BigInt(STACK_COMMIT),
      state: M.MEM_COMMIT,
      protect: P.PAGE_READWRITE,
    });
    expect(q(top - BigInt(STACK_COMMIT) - 1n)).toMatchObject({
      regionSize: 0x1000n,
      protect: P.PAGE_READWRITE | P.PAGE_GUARD,
    });
    expect(q(at.stack)).toMatchObject({
      regionSize: BigInt(STACK_RESERVE - STACK_COMMIT - 0x1000),
      state: M.MEM_RESERVE,
    });
    const kinds = processRegions(p, { includeFree: false }).filter(
      (r) => BigInt(r.allocationBase!) === at.stack,
    );
    expect(kinds.map((r) => [r.kind, r.threadId])).toEqual([
      ['stack', 4246],
      ['stack', 4246],
      ['stack', 4246],
    ]);
  });

  it('makes the process heap there: 1 MiB reserved, its first pages committed, GetProcessHeap its base', () => {
    expect(BigInt(p.heaps.processHeap.handle)).toBe(at.heap);
    expect(q(at.heap)).toMatchObject({ state: M.MEM_COMMIT, protect: P.PAGE_READWRITE });
    const regions = processRegions(p, { includeFree: false }).filter(
      (r) => BigInt(r.allocationBase!) === at.heap,
    );
    expect(regions.reduce((n, r) => n + r.size, 0)).toBe(0x100000);
    expect(regions.every((r) => r.kind === 'heap')).toBe(true);
  });

  it('loads the exe and the system DLLs as images at their preferred bases', () => {
    for (const base of [EXE_BASE, ...SYSTEM_DLLS.map((d) => d.preferredBase)])
      expect(q(base)).toMatchObject({
        allocationBase: base,
        type: M.MEM_IMAGE,
        allocationProtect: P.PAGE_EXECUTE_WRITECOPY,
      });
    const paths = processRegions(p, { includeFree: false })
      .filter((r) => r.kind === 'image')
      .map((r) => r.path);
    expect(new Set(paths)).toEqual(
      new Set(['C:\\vmscope\\sandbox.exe', ...SYSTEM_DLLS.map((d) => d.path)]),
    );
  });

  it('leaves the user range as Windows does: free from 0x10000, nothing above 0x7FFFFFFEFFFF', () => {
    expect(q(0x10000n)).toMatchObject({
      state: M.MEM_FREE,
      regionSize: KUSER_SHARED_DATA - 0x10000n,
    });
    expect(q(USER_MAX)).toMatchObject({ state: M.MEM_FREE });
    expect(p.virtualQuery(USER_MAX + 1n)).toMatchObject({
      ok: false,
      error: 'ERROR_INVALID_PARAMETER',
    });
    // The first reservation still goes to the lowest free granule.
    expect(ok(p.virtualAlloc(null, 0x1000n, M.MEM_RESERVE, P.PAGE_NOACCESS))).toBe(0x10000n);
  });

  it('leaves the model its empty process for rule tests', () => {
    expect(emptySimulation().process.space.all).toEqual([]);
  });
});
