import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { Machine } from './machine';
import { SimProcess } from './process';
import { processCounters, processRegions } from './report';
import type { WinResult } from './results';
import { FILE_MAP as F, sectionsOf } from './sections';

const MiB = 1024 * 1024;
const SIZE = 0x40000;

function twoProcesses() {
  const machine = new Machine({ physicalMemory: 64 * MiB, pagefileSize: 64 * MiB });
  const options = { workingSetMinimum: 200 * 4096, workingSetMaximum: 4000 * 4096 };
  const a = new SimProcess(machine, { pid: 10, name: 'a.exe', ...options });
  const b = new SimProcess(machine, { pid: 20, name: 'b.exe', ...options });
  return { machine, a, b };
}

function ok<T>(r: WinResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  return r.value;
}

describe('file mappings (Wine dlls/kernel32/tests/virtual.c test_MapViewOfFile; CreateFileMapping / MapViewOfFile docs)', () => {
  it('a pagefile-backed section needs a size > 0 and a section protection (87)', () => {
    const { a } = twoProcesses();
    expect(a.mappings.create(null, P.PAGE_READWRITE, 0, null)).toEqual({
      ok: false,
      error: 'ERROR_INVALID_PARAMETER',
    });
    expect(a.mappings.create(null, P.PAGE_NOACCESS, SIZE, null)).toEqual({
      ok: false,
      error: 'ERROR_INVALID_PARAMETER',
    });
    expect(a.mappings.create(null, P.PAGE_READWRITE, SIZE, null).ok).toBe(true);
  });

  it('a pagefile-backed section charges its commit when created and returns it when the last reference goes', () => {
    const { machine, a } = twoProcesses();
    const before = machine.stats().commitChargePages;
    const h = ok(a.mappings.create(null, P.PAGE_READWRITE, SIZE, null)).handle;
    expect(machine.stats().commitChargePages - before).toBe(SIZE / 4096);
    const view = ok(a.mappings.map(h, F.FILE_MAP_WRITE, 0, 0, null));
    ok(a.mappings.close(h));
    expect(machine.stats().commitChargePages - before).toBe(SIZE / 4096);
    ok(a.unmapView(view));
    expect(machine.stats().commitChargePages).toBe(before);
  });

  it('a second create of a name returns the same section with ERROR_ALREADY_EXISTS; OpenFileMapping finds it; closed names vanish (2)', () => {
    const { a, b } = twoProcesses();
    const first = ok(a.mappings.create(null, P.PAGE_READWRITE, SIZE, 'Foo'));
    expect(first.alreadyExists).toBe(false);
    const second = ok(b.mappings.create(null, P.PAGE_READWRITE, SIZE, 'Foo'));
    expect(second.alreadyExists).toBe(true);
    const opened = ok(b.mappings.open(F.FILE_MAP_READ, 'Foo'));
    const va = ok(a.mappings.map(first.handle, F.FILE_MAP_WRITE, 0, 0, null));
    ok(a.mappings.close(first.handle));
    ok(b.mappings.close(second.handle));
    ok(b.mappings.close(opened));
    // The view keeps the section alive, but the name is gone with the last handle.
    expect(b.mappings.open(F.FILE_MAP_READ, 'Foo')).toEqual({
      ok: false,
      error: 'ERROR_FILE_NOT_FOUND',
    });
    expect(a.access('write', va, 8n).ok).toBe(true);
    const again = ok(a.mappings.create(null, P.PAGE_READWRITE, SIZE, 'Foo'));
    expect(again.alreadyExists).toBe(false);
  });

  it('MapViewOfFile: 64 KiB offsets only (1132), nothing past the end (5), FILE_MAP_WRITE needs a writable section (5)', () => {
    const { a } = twoProcesses();
    const h = ok(a.mappings.create(null, P.PAGE_READWRITE, SIZE, null)).handle;
    expect(a.mappings.map(h, F.FILE_MAP_READ, 0x1000, 0x1000, null)).toEqual({
      ok: false,
      error: 'ERROR_MAPPED_ALIGNMENT',
    });
    expect(a.mappings.map(h, F.FILE_MAP_READ, 0, SIZE + 1, null)).toEqual({
      ok: false,
      error: 'ERROR_ACCESS_DENIED',
    });
    const at = ok(a.mappings.map(h, F.FILE_MAP_READ, 0x10000, 0, null));
    const q = ok(a.virtualQuery(at));
    expect(q).toMatchObject({
      allocationBase: at,
      regionSize: BigInt(SIZE - 0x10000),
      state: M.MEM_COMMIT,
      protect: P.PAGE_READONLY,
      type: M.MEM_MAPPED,
    });
    const ro = ok(a.mappings.create(null, P.PAGE_READONLY, SIZE, null)).handle;
    expect(a.mappings.map(ro, F.FILE_MAP_WRITE, 0, 0, null)).toEqual({
      ok: false,
      error: 'ERROR_ACCESS_DENIED',
    });
    expect(a.mappings.map(ro, F.FILE_MAP_COPY, 0, 0, null).ok).toBe(true);
    expect(a.mappings.map(0x999, F.FILE_MAP_READ, 0, 0, null)).toEqual({
      ok: false,
      error: 'ERROR_INVALID_HANDLE',
    });
  });

  it('a read-only view faults on write; VirtualFree on a view fails with 87', () => {
    const { a } = twoProcesses();
    const h = ok(a.mappings.create(null, P.PAGE_READWRITE, SIZE, null)).handle;
    const v = ok(a.mappings.map(h, F.FILE_MAP_READ, 0, 0, null));
    const w = a.access('write', v, 4n);
    expect(!w.ok && w.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      access: 'write',
    });
    expect(a.virtualFree(v, 0x10000n, M.MEM_DECOMMIT)).toEqual({
      ok: false,
      error: 'ERROR_INVALID_PARAMETER',
    });
    expect(a.virtualFree(v, 0n, M.MEM_RELEASE)).toEqual({
      ok: false,
      error: 'ERROR_INVALID_PARAMETER',
    });
  });

  it('UnmapViewOfFile works from any address inside the view and fails with 487 on other memory', () => {
    const { a } = twoProcesses();
    const h = ok(a.mappings.create(null, P.PAGE_READONLY, 12288, null)).handle;
    const v1 = ok(a.mappings.map(h, F.FILE_MAP_READ, 0, 12288, null));
    expect(a.unmapView(v1 + 100n)).toEqual({ ok: true, value: true });
    const v2 = ok(a.mappings.map(h, F.FILE_MAP_READ, 0, 12288, null));
    expect(a.unmapView(v2 + 4096n).ok).toBe(true);
    expect(ok(a.virtualQuery(v2)).state).toBe(M.MEM_FREE);
    const priv = ok(a.virtualAlloc(null, 0x10000n, M.MEM_COMMIT, P.PAGE_READONLY));
    expect(a.unmapView(priv)).toEqual({ ok: false, error: 'ERROR_INVALID_ADDRESS' });
    expect(a.unmapView(priv + 0x3000n)).toEqual({ ok: false, error: 'ERROR_INVALID_ADDRESS' });
    expect(a.unmapView(0xdeadbeefn)).toEqual({ ok: false, error: 'ERROR_INVALID_ADDRESS' });
  });

  it('shared pages: resident once physically, shared working set in both processes, private in neither', () => {
    const { machine, a, b } = twoProcesses();
    const h = ok(a.mappings.create(null, P.PAGE_READWRITE, SIZE, 'Shared'));
    const hb = ok(b.mappings.open(F.FILE_MAP_ALL_ACCESS, 'Shared'));
    const va = ok(a.mappings.map(h.handle, F.FILE_MAP_WRITE, 0, 0, null));
    const vb = ok(b.mappings.map(hb, F.FILE_MAP_READ, 0, 0, null));
    const active0 = machine.stats().activePages;
    expect(a.access('write', va, 0x4000n).ok).toBe(true);
    expect(machine.stats().activePages - active0).toBe(4);
    const r = b.access('read', vb, 0x4000n);
    expect(r.ok && r.faults).toEqual({ demandZero: 0, soft: 4, hard: 0 });
    expect(machine.stats().activePages - active0).toBe(4);
    const region = (p: SimProcess, base: bigint) =>
      processRegions(p).find((x) => x.base === `0x${base.toString(16)}`)!;
    expect(region(a, va)).toMatchObject({ type: 'mapped', kind: 'shareable' });
    expect(region(a, va).workingSet).toEqual({
      total: 0x4000,
      private: 0,
      shareable: 0x4000,
      shared: 0x4000,
      locked: 0,
    });
    expect(region(b, vb).workingSet.shared).toBe(0x4000);
    expect(processCounters(b).privateWorkingSetSize).toBe(0);
    // After A unmaps, B's pages are shareable but no longer shared.
    ok(a.unmapView(va));
    expect(region(b, vb).workingSet).toMatchObject({ shareable: 0x4000, shared: 0 });
  });

  it('copy-on-write: the first write makes a private copy; the other process still sees the original page', () => {
    const { a, b } = twoProcesses();
    const h = ok(a.mappings.create(null, P.PAGE_READWRITE, SIZE, 'Cow'));
    const hb = ok(b.mappings.open(F.FILE_MAP_ALL_ACCESS, 'Cow'));
    const va = ok(a.mappings.map(h.handle, F.FILE_MAP_WRITE, 0, 0, null));
    const vb = ok(b.mappings.map(hb, F.FILE_MAP_COPY, 0, 0, null));
    expect(ok(b.virtualQuery(vb)).protect).toBe(P.PAGE_WRITECOPY);
    // Copy-on-write views charge their size as private commit.
    expect(processCounters(b).privateUsage).toBe(SIZE);
    a.access('write', va, 8n);
    b.access('read', vb, 8n);
    const shared = sectionsOf(a.machine).all()[0]!.physical.get(0)!;
    expect(shared.wsRefs).toBe(2);
    const privateBefore = processCounters(b).privateWorkingSetSize ?? 0;
    expect(b.access('write', vb, 8n).ok).toBe(true);
    expect((processCounters(b).privateWorkingSetSize ?? 0) - privateBefore).toBe(4096);
    // B's page is now its own copy (PAGE_READWRITE); A still has the section's page, no longer shared.
    expect(ok(b.virtualQuery(vb))).toMatchObject({ protect: P.PAGE_READWRITE, regionSize: 4096n });
    expect(ok(b.virtualQuery(vb + 0x1000n)).protect).toBe(P.PAGE_WRITECOPY);
    expect(shared.wsRefs).toBe(1);
    const aRegion = processRegions(a).find((x) => x.base === `0x${va.toString(16)}`)!;
    expect(aRegion.workingSet).toMatchObject({ shareable: 4096, shared: 0 });
    // A's writes go to the section page; B's copy is untouched.
    expect(a.access('write', va, 8n).ok).toBe(true);
    expect(shared.wsRefs).toBe(1);
  });

  it('a file-backed view: first touch reads the file (hard fault); regions are mappedFile with the path; FlushViewOfFile cleans dirty pages', () => {
    const { machine, a } = twoProcesses();
    sectionsOf(machine).files.set('C:\\data\\input.bin', 0x20000);
    const h = ok(a.mappings.create('C:\\data\\input.bin', P.PAGE_READWRITE, 0, null)).handle;
    const v = ok(a.mappings.map(h, F.FILE_MAP_WRITE, 0, 0, null));
    const r = a.access('read', v, 0x2000n);
    expect(r.ok && r.faults).toEqual({ demandZero: 0, soft: 0, hard: 2 });
    const region = processRegions(a).find((x) => x.base === `0x${v.toString(16)}`)!;
    expect(region).toMatchObject({
      kind: 'mappedFile',
      path: 'C:\\data\\input.bin',
      type: 'mapped',
    });
    // File-backed views charge no commit.
    expect(processCounters(a).privateUsage).toBe(0);
    a.access('write', v, 8n);
    const page = sectionsOf(machine).all()[0]!.physical.get(0)!;
    expect(page.dirty).toBe(true);
    expect(a.flushView(v, 0n)).toEqual({ ok: true, value: true });
    expect(page.dirty).toBe(false);
    expect(page.inPagefile).toBe(false);
    const priv = ok(a.virtualAlloc(null, 0x1000n, M.MEM_COMMIT, P.PAGE_READWRITE));
    expect(a.flushView(priv, 0n)).toEqual({ ok: false, error: 'ERROR_INVALID_ADDRESS' });
  });

  it('a read-only mapping cannot grow its file (5); a writable one extends it', () => {
    const { machine, a } = twoProcesses();
    const files = sectionsOf(machine).files;
    files.set('C:\\f.bin', 4096);
    expect(a.mappings.create('C:\\f.bin', P.PAGE_READONLY, 8192, null)).toEqual({
      ok: false,
      error: 'ERROR_ACCESS_DENIED',
    });
    expect(a.mappings.create('C:\\f.bin', P.PAGE_READWRITE, 8192, null).ok).toBe(true);
    expect(files.get('C:\\f.bin')).toBe(8192);
  });

  it('an opened handle maps only what it was opened for (5); access 0 maps a PAGE_NOACCESS view (Wine test_MapViewOfFile)', () => {
    const { a } = twoProcesses();
    ok(a.mappings.create(null, P.PAGE_READWRITE, 4090, 'Local\\Foo'));
    const readOnly = ok(a.mappings.open(F.FILE_MAP_READ, 'Local\\Foo'));
    expect(a.mappings.map(readOnly, F.FILE_MAP_WRITE, 0, 0, null)).toEqual({
      ok: false,
      error: 'ERROR_ACCESS_DENIED',
    });
    const v = ok(a.mappings.map(readOnly, F.FILE_MAP_READ, 0, 0, null));
    expect(ok(a.virtualQuery(v))).toMatchObject({
      allocationProtect: P.PAGE_READONLY,
      regionSize: 4096n,
      state: M.MEM_COMMIT,
    });
    const writeOnly = ok(a.mappings.open(F.FILE_MAP_WRITE, 'Local\\Foo'));
    expect(a.mappings.map(writeOnly, F.FILE_MAP_READ, 0, 0, null)).toEqual({
      ok: false,
      error: 'ERROR_ACCESS_DENIED',
    });
    expect(
      ok(a.virtualQuery(ok(a.mappings.map(writeOnly, F.FILE_MAP_WRITE, 0, 0, null)))).protect,
    ).toBe(P.PAGE_READWRITE);
    const none = ok(a.mappings.open(0, 'Local\\Foo'));
    expect(a.mappings.map(none, 0, 0, 0, null)).toEqual({
      ok: false,
      error: 'ERROR_ACCESS_DENIED',
    });
    const noAccess = ok(a.mappings.map(readOnly, 0, 0, 0, null));
    expect(ok(a.virtualQuery(noAccess)).protect).toBe(P.PAGE_NOACCESS);
    expect(a.access('read', noAccess).ok).toBe(false);
    // Read-only and copy-on-write sections refuse FILE_MAP_WRITE; PAGE_NOACCESS sections do not exist (87).
    const ro = ok(a.mappings.create(null, P.PAGE_READONLY, 4096, null)).handle;
    const wc = ok(a.mappings.create(null, P.PAGE_WRITECOPY, 4096, null)).handle;
    expect(a.mappings.map(ro, F.FILE_MAP_WRITE, 0, 0, null).ok).toBe(false);
    expect(a.mappings.map(wc, F.FILE_MAP_WRITE, 0, 0, null).ok).toBe(false);
    expect(ok(a.virtualQuery(ok(a.mappings.map(wc, F.FILE_MAP_COPY, 0, 0, null)))).protect).toBe(
      P.PAGE_WRITECOPY,
    );
  });
});
