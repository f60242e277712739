import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { peImage } from './images';
import { Machine } from './machine';
import { SimProcess } from './process';
import { processCounters, processRegions } from './report';
import type { WinResult } from './results';

const MiB = 1024 * 1024;
const DLL = peImage('C:\\Windows\\System32\\demo.dll', 0x7ff0_0000_0000n, 8, 4, 2);

function machineWith(count: number, dep = true) {
  const machine = new Machine({ physicalMemory: 64 * MiB, pagefileSize: 64 * MiB });
  const processes = Array.from(
    { length: count },
    (_, i) =>
      new SimProcess(machine, {
        pid: 100 + i,
        name: `p${i}.exe`,
        workingSetMinimum: 200 * 4096,
        workingSetMaximum: 4000 * 4096,
        dep,
      }),
  );
  return { machine, processes };
}

function ok<T>(r: WinResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  return r.value;
}

describe('images', () => {
  it('map as MEM_IMAGE at the preferred base with per-section protections and the file as path', () => {
    const { processes } = machineWith(1);
    const p = processes[0]!;
    const { base, relocated } = ok(p.mapImage(DLL));
    expect(base).toBe(DLL.preferredBase);
    expect(relocated).toBe(false);
    const q = (offset: number) => ok(p.virtualQuery(base + BigInt(offset * 4096)));
    expect(q(0)).toMatchObject({
      type: M.MEM_IMAGE,
      allocationProtect: P.PAGE_EXECUTE_WRITECOPY,
      protect: P.PAGE_READONLY,
      regionSize: 4096n,
    });
    expect(q(1)).toMatchObject({ protect: P.PAGE_EXECUTE_READ, regionSize: 8n * 4096n });
    expect(q(9)).toMatchObject({ protect: P.PAGE_READONLY, regionSize: 4n * 4096n });
    expect(q(13)).toMatchObject({ protect: P.PAGE_WRITECOPY, regionSize: 2n * 4096n });
    const regions = processRegions(p, { includeFree: false });
    expect(regions.every((r) => r.kind === 'image' && r.path === DLL.path)).toBe(true);
    // Code runs; writing code is an access violation; writing .data makes a private copy.
    expect(p.access('execute', base + 0x1000n).ok).toBe(true);
    const w = p.access('write', base + 0x1000n, 4n);
    expect(!w.ok && w.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      access: 'write',
    });
    expect(p.access('write', base + 13n * 4096n, 4n).ok).toBe(true);
    expect(q(13)).toMatchObject({ protect: P.PAGE_READWRITE, regionSize: 4096n });
    // UnmapViewOfFile takes an image view like any other (NtUnmapViewOfSection): the range is free.
    expect(p.unmapView(base)).toEqual({ ok: true, value: true });
    expect(q(0)).toMatchObject({ state: M.MEM_FREE });
    expect(p.unmapView(base)).toEqual({ ok: false, error: 'ERROR_INVALID_ADDRESS' });
  });

  it('two processes at the preferred base share the code pages: resident once, shared in both', () => {
    const { machine, processes } = machineWith(2);
    const [a, b] = processes as [SimProcess, SimProcess];
    const base = ok(a.mapImage(DLL)).base;
    expect(ok(b.mapImage(DLL)).base).toBe(base);
    const before = machine.stats().activePages;
    a.access('execute', base + 0x1000n);
    b.access('execute', base + 0x1000n);
    expect(machine.stats().activePages - before).toBe(1);
    const code = processRegions(b).find((r) => r.base === `0x${(base + 0x1000n).toString(16)}`)!;
    expect(code.workingSet).toMatchObject({ shareable: 4096, shared: 4096, private: 0 });
    // One process unmapping the image leaves the other's view and the shared page alone.
    expect(a.unmapView(base).ok).toBe(true);
    expect(b.access('execute', base + 0x1000n).ok).toBe(true);
    expect(machine.stats().activePages - before).toBe(1);
    const after = processRegions(b).find((r) => r.base === `0x${(base + 0x1000n).toString(16)}`)!;
    expect(after.workingSet).toMatchObject({ shareable: 4096, private: 0 });
  });

  it('when the preferred base is taken, the image is relocated and its relocated pages become private copies', () => {
    const { processes } = machineWith(1);
    const p = processes[0]!;
    ok(p.virtualAlloc(DLL.preferredBase, 0x10000n, M.MEM_RESERVE, P.PAGE_NOACCESS));
    const before = processCounters(p).privateWorkingSetSize ?? 0;
    const { base, relocated } = ok(p.mapImage(DLL));
    expect(relocated).toBe(true);
    expect(base).not.toBe(DLL.preferredBase);
    // .text (8 pages) and .data (2 pages) were patched: 10 private pages, protections unchanged.
    expect((processCounters(p).privateWorkingSetSize ?? 0) - before).toBe(10 * 4096);
    expect(ok(p.virtualQuery(base + 0x1000n))).toMatchObject({
      protect: P.PAGE_EXECUTE_READ,
      regionSize: 8n * 4096n,
    });
    const code = processRegions(p).find((r) => r.base === `0x${(base + 0x1000n).toString(16)}`)!;
    expect(code.workingSet).toMatchObject({ private: 8 * 4096, shareable: 0 });
  });
});

describe('DEP', () => {
  it('executing heap, stack or data pages raises an access violation with the execute flag', () => {
    const { processes } = machineWith(1);
    const p = processes[0]!;
    const heap = ok(p.heaps.alloc(p.heaps.processHeap.handle, 0, 64) as WinResult<number>);
    const stack = ok(p.createThreadStack(1));
    const data = ok(p.virtualAlloc(null, 0x1000n, M.MEM_COMMIT, P.PAGE_READWRITE));
    for (const address of [BigInt(heap), stack + 0x100000n - 0x10n, data]) {
      const r = p.access('execute', address);
      expect(!r.ok && r.exception).toMatchObject({
        name: 'EXCEPTION_ACCESS_VIOLATION',
        access: 'execute',
        address,
      });
    }
    const kinds = new Set(processRegions(p, { includeFree: false }).map((r) => r.kind));
    expect(kinds).toEqual(new Set(['heap', 'stack', 'privateData']));
  });

  it('with DEP off, readable pages execute', () => {
    const { processes } = machineWith(1, false);
    const p = processes[0]!;
    const data = ok(p.virtualAlloc(null, 0x1000n, M.MEM_COMMIT, P.PAGE_READWRITE));
    expect(p.access('execute', data).ok).toBe(true);
    const none = ok(p.virtualAlloc(null, 0x1000n, M.MEM_COMMIT, P.PAGE_NOACCESS));
    expect(p.access('execute', none).ok).toBe(false);
  });
});
