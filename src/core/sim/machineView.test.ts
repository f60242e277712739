import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { Machine } from './machine';
import { machineView } from './machineView';
import { SimProcess } from './process';
import { FILE_MAP } from './sections';

describe('machine view', () => {
  it('accounts every frame to one list, and every resident page to one use, counting shared pages once', () => {
    const machine = new Machine({
      physicalMemory: 16 * 1024 * 1024,
      pagefileSize: 16 * 1024 * 1024,
    });
    const opts = { workingSetMinimum: 80 * 4096, workingSetMaximum: 400 * 4096 };
    const a = new SimProcess(machine, { pid: 1, name: 'a.exe', ...opts });
    const b = new SimProcess(machine, { pid: 2, name: 'b.exe', ...opts });
    const priv = a.virtualAlloc(null, 0x10000n, M.MEM_COMMIT, P.PAGE_READWRITE);
    if (priv.ok) a.access('write', priv.value, 0x10000n);
    const h = a.mappings.create(null, P.PAGE_READWRITE, 0x8000, 'S');
    const hb = b.mappings.open(FILE_MAP.FILE_MAP_READ, 'S');
    if (!h.ok || !hb.ok) throw new Error('create/open failed');
    const va = a.mappings.map(h.value.handle, FILE_MAP.FILE_MAP_WRITE, 0, 0, null);
    const vb = b.mappings.map(hb.value, FILE_MAP.FILE_MAP_READ, 0, 0, null);
    if (va.ok) a.access('write', va.value, 0x8000n);
    if (vb.ok) b.access('read', vb.value, 0x8000n);
    const view = machineView(machine, [a, b], 'now');
    const total = Object.values(view.byList).reduce((n, v) => n + v, 0);
    expect(total).toBe(view.physicalMemory);
    expect(view.byUse.processPrivate.active).toBe(0x10000);
    expect(view.byUse.shareable.active).toBe(0x8000);
    expect(view.byList.active).toBe(0x10000 + 0x8000);
    expect(view.processes.map((p) => [p.pid, p.private.active])).toEqual([
      [1, 0x10000],
      [2, 0],
    ]);
    expect(view.processes[0]!.pageTable).toBeGreaterThan(0);
    // Emptying A's working set moves its private pages to standby/modified; nothing is lost.
    a.emptyWorkingSet();
    const after = machineView(machine, [a, b], 'now');
    expect(after.byUse.processPrivate.active).toBe(0);
    expect(after.byUse.processPrivate.modified + after.byUse.processPrivate.standby).toBe(0x10000);
    // B still holds the shared pages.
    expect(after.byUse.shareable.active).toBe(0x8000);
  });

  it('models the pools: a booted base, then each process and each section adds its kernel objects', () => {
    const machine = new Machine({ physicalMemory: 16 * 1024 * 1024, pagefileSize: 0 });
    const opts = { workingSetMinimum: 80 * 4096, workingSetMaximum: 400 * 4096 };
    const a = new SimProcess(machine, { pid: 1, name: 'a.exe', ...opts });
    const one = machineView(machine, [a], 'now').pools;
    const b = new SimProcess(machine, { pid: 2, name: 'b.exe', ...opts });
    const two = machineView(machine, [a, b], 'now').pools;
    expect(two.nonPaged - one.nonPaged).toBe(12 * 1024);
    expect(two.paged - one.paged).toBe(8 * 1024);
    // A 2 MiB section: a control area (non-paged) and 512 prototype PTEs of 8 bytes (one page, paged).
    const h = a.mappings.create(null, P.PAGE_READWRITE, 2 * 1024 * 1024, null);
    if (!h.ok) throw new Error('create failed');
    const three = machineView(machine, [a, b], 'now').pools;
    expect(three.nonPaged - two.nonPaged).toBe(1024);
    expect(three.paged - two.paged).toBe(4096);
  });
});
