import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { USER_END, USER_MAX } from './layout';
import type { SimProcess } from './process';
import type { WinResult } from './results';
import { emptySimulation } from './simulation';

const KiB = 1024n;
const {
  MEM_COMMIT,
  MEM_RESERVE,
  MEM_RELEASE,
  MEM_DECOMMIT,
  MEM_RESET,
  MEM_RESET_UNDO,
  MEM_TOP_DOWN,
} = M;
const {
  PAGE_NOACCESS,
  PAGE_READONLY,
  PAGE_READWRITE,
  PAGE_EXECUTE,
  PAGE_EXECUTE_READ,
  PAGE_GUARD,
  PAGE_NOCACHE,
} = P;

function proc(): SimProcess {
  return emptySimulation().process;
}

function value<T>(r: WinResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  return r.value;
}

function errorOf<T>(r: WinResult<T>): string {
  return r.ok ? 'success' : r.error;
}

describe('VirtualAlloc', () => {
  it('fails a zero-sized allocation with ERROR_INVALID_PARAMETER (Wine kernel32 test_VirtualAlloc)', () => {
    expect(errorOf(proc().virtualAlloc(null, 0n, MEM_RESERVE, PAGE_NOACCESS))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
  });

  it('reserves 0xFFFC bytes as a 64 KiB-aligned 0x10000 region with Protect 0 and MEM_PRIVATE (Wine test_VirtualAlloc)', () => {
    const p = proc();
    const base = value(p.virtualAlloc(null, 0xfffcn, MEM_RESERVE, PAGE_NOACCESS));
    expect(base % (64n * KiB)).toBe(0n);
    expect(value(p.virtualQuery(base))).toEqual({
      baseAddress: base,
      allocationBase: base,
      allocationProtect: PAGE_NOACCESS,
      regionSize: 0x10000n,
      state: MEM_RESERVE,
      protect: 0,
      type: M.MEM_PRIVATE,
    });
  });

  it('rejects protection 0 and PAGE_READONLY|PAGE_EXECUTE with 87 (Wine test_VirtualAlloc "invalid protection values")', () => {
    const p = proc();
    expect(errorOf(p.virtualAlloc(null, 0x1000n, MEM_RESERVE, 0))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, 0))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_READONLY | PAGE_EXECUTE))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
    // Documented exclusions: no modifier on PAGE_NOACCESS, PAGE_GUARD with PAGE_NOCACHE.
    expect(errorOf(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_NOACCESS | PAGE_GUARD))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
    expect(
      errorOf(
        p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE),
      ),
    ).toBe('ERROR_INVALID_PARAMETER');
  });

  it("accepts exactly the six private protections of Wine's test_VirtualAlloc_protection table, 87 for the rest", () => {
    const p = proc();
    const valid: number[] = [
      PAGE_NOACCESS,
      PAGE_READONLY,
      PAGE_READWRITE,
      PAGE_EXECUTE,
      PAGE_EXECUTE_READ,
      P.PAGE_EXECUTE_READWRITE,
    ];
    const table = [
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      ...Array.from({ length: 15 }, (_, i) => (i + 1) << 4),
    ];
    for (const prot of table) {
      const r = p.virtualAlloc(null, 0x1000n, MEM_COMMIT, prot);
      if (valid.includes(prot)) {
        expect(r.ok, `0x${prot.toString(16)}`).toBe(true);
        const base = value(r);
        expect(value(p.virtualQuery(base))).toMatchObject({
          protect: prot,
          allocationProtect: prot,
          regionSize: 0x1000n,
        });
        expect(value(p.virtualAlloc(base, 0x1000n, MEM_COMMIT, prot))).toBe(base);
        // VirtualProtect to a WRITECOPY protection fails on private memory (Wine test_VirtualProtect).
        expect(errorOf(p.virtualProtect(base, 0x1000n, P.PAGE_WRITECOPY))).toBe(
          'ERROR_INVALID_PARAMETER',
        );
        value(p.virtualFree(base, 0n, MEM_RELEASE));
      } else {
        expect(errorOf(r), `0x${prot.toString(16)}`).toBe('ERROR_INVALID_PARAMETER');
      }
    }
  });

  it('rejects AT_ROUND_TO_PAGE and a type with neither reserve nor commit with 87 (Wine test_VirtualAlloc)', () => {
    const p = proc();
    expect(
      errorOf(p.virtualAlloc(null, 0x1000n, MEM_RESERVE | MEM_COMMIT | 0x40000000, PAGE_READWRITE)),
    ).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.virtualAlloc(null, 0x1000n, MEM_TOP_DOWN, PAGE_READWRITE))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
    expect(errorOf(p.virtualAlloc(null, 0x1000n, 0, PAGE_READWRITE))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
  });

  it('rejects MEM_RESET combined with any other flag with 87 (VirtualAlloc docs; ReactOS NtAllocateVirtualMemory apitest)', () => {
    const p = proc();
    const base = value(p.virtualAlloc(null, 0x10000n, MEM_COMMIT, PAGE_READWRITE));
    expect(errorOf(p.virtualAlloc(base, 0x1000n, MEM_RESET | MEM_COMMIT, PAGE_READWRITE))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
    expect(errorOf(p.virtualAlloc(base, 0x1000n, MEM_RESET | MEM_TOP_DOWN, PAGE_READWRITE))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
    expect(errorOf(p.virtualAlloc(base, 0x1000n, MEM_RESET | MEM_RESET_UNDO, PAGE_READWRITE))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
  });

  it('MEM_RESET: committed keeps its state, reserved pages are fine, past the reservation → 487 (Wine test_VirtualAlloc)', () => {
    const p = proc();
    const base = value(p.virtualAlloc(null, 0xfffcn, MEM_RESERVE, PAGE_NOACCESS));
    value(p.virtualAlloc(base, 0x1000n, MEM_COMMIT, PAGE_READWRITE));
    expect(value(p.virtualAlloc(base, 0x1000n, MEM_RESET, PAGE_NOACCESS))).toBe(base);
    expect(value(p.virtualQuery(base))).toMatchObject({
      regionSize: 0x1000n,
      state: MEM_COMMIT,
      protect: PAGE_READWRITE,
    });
    expect(value(p.virtualAlloc(base + 0x1000n, 0x1000n, MEM_RESET, PAGE_NOACCESS))).toBe(
      base + 0x1000n,
    );
    expect(value(p.virtualQuery(base + 0x1000n))).toMatchObject({
      regionSize: 0xf000n,
      state: MEM_RESERVE,
      protect: 0,
    });
    expect(errorOf(p.virtualAlloc(base + 0xf000n, 0x2000n, MEM_RESET, PAGE_NOACCESS))).toBe(
      'ERROR_INVALID_ADDRESS',
    );
  });

  it('a reservation inside an allocated granule conflicts: ERROR_INVALID_ADDRESS (Wine ntdll test_NtAllocateVirtualMemory)', () => {
    const p = proc();
    const base = value(p.virtualAlloc(null, 0x1000n, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READ));
    expect(
      errorOf(p.virtualAlloc(base + 0x1000n, 0x1000n, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)),
    ).toBe('ERROR_INVALID_ADDRESS');
  });

  it('MEM_RESERVE|MEM_COMMIT at a freed, non-aligned address rounds the base down to 64 KiB (docs; Wine test_VirtualAlloc)', () => {
    const p = proc();
    const base = value(p.virtualAlloc(null, 0x2000n, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    value(p.virtualFree(base, 0n, MEM_RELEASE));
    expect(
      value(p.virtualAlloc(base + 0x1234n, 0x1000n, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)),
    ).toBe(base);
    // The end rounds up to the page holding the last byte: [base, base+0x3000) is committed.
    expect(value(p.virtualQuery(base))).toMatchObject({ regionSize: 0x3000n, state: MEM_COMMIT });
  });

  it('commit works in pages inside one reservation; across two reservations or on free memory → 487', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x10000n, MEM_RESERVE, PAGE_NOACCESS));
    const b = value(p.virtualAlloc(a + 0x10000n, 0x10000n, MEM_RESERVE, PAGE_NOACCESS));
    expect(b).toBe(a + 0x10000n);
    expect(value(p.virtualAlloc(a + 0x1800n, 0x1000n, MEM_COMMIT, PAGE_READWRITE))).toBe(
      a + 0x1000n,
    );
    expect(value(p.virtualQuery(a + 0x1000n))).toMatchObject({
      regionSize: 0x2000n,
      state: MEM_COMMIT,
    });
    expect(errorOf(p.virtualAlloc(a + 0xf000n, 0x2000n, MEM_COMMIT, PAGE_READWRITE))).toBe(
      'ERROR_INVALID_ADDRESS',
    );
    expect(errorOf(p.virtualAlloc(0x7f0000000000n, 0x1000n, MEM_COMMIT, PAGE_READWRITE))).toBe(
      'ERROR_INVALID_ADDRESS',
    );
  });

  it('committing committed pages again succeeds and charges nothing more', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x4000n, MEM_COMMIT, PAGE_READWRITE));
    const before = p.privateCommitPages;
    expect(value(p.virtualAlloc(a, 0x4000n, MEM_COMMIT, PAGE_READWRITE))).toBe(a);
    expect(p.privateCommitPages).toBe(before);
  });

  it('MEM_COMMIT with a NULL address reserves too, 64 KiB aligned', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x2000n, MEM_COMMIT, PAGE_READWRITE));
    expect(a % 0x10000n).toBe(0n);
    expect(value(p.virtualQuery(a))).toMatchObject({
      allocationBase: a,
      regionSize: 0x2000n,
      state: MEM_COMMIT,
    });
  });

  it('addresses outside the user range fail with 87; no room left fails with ERROR_NOT_ENOUGH_MEMORY (8)', () => {
    const p = proc();
    expect(errorOf(p.virtualAlloc(USER_END, 0x1000n, MEM_RESERVE, PAGE_NOACCESS))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
    expect(errorOf(p.virtualAlloc(null, USER_END, MEM_RESERVE, PAGE_NOACCESS))).toBe(
      'ERROR_NOT_ENOUGH_MEMORY',
    );
  });

  it('MEM_TOP_DOWN places the reservation at the top of the user range', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x10000n, MEM_RESERVE | MEM_TOP_DOWN, PAGE_NOACCESS));
    expect(a).toBe(USER_END - 0x10000n);
  });

  it('commit beyond the commit limit fails with ERROR_COMMITMENT_LIMIT (1455); reserving the same size is free', () => {
    const { process: p, machine } = emptySimulation({
      physicalMemory: 16 << 20,
      pagefileSize: 16 << 20,
    });
    const limit = BigInt(machine.commitLimitPages) * 4096n;
    expect(errorOf(p.virtualAlloc(null, limit + 4096n, MEM_COMMIT, PAGE_READWRITE))).toBe(
      'ERROR_COMMITMENT_LIMIT',
    );
    const r = value(p.virtualAlloc(null, limit + 4096n, MEM_RESERVE, PAGE_NOACCESS));
    expect(errorOf(p.virtualAlloc(r, limit + 4096n, MEM_COMMIT, PAGE_READWRITE))).toBe(
      'ERROR_COMMITMENT_LIMIT',
    );
    expect(value(p.virtualAlloc(r, limit, MEM_COMMIT, PAGE_READWRITE))).toBe(r);
    expect(machine.stats().commitChargePages).toBe(machine.commitLimitPages);
  });
});

describe('VirtualFree', () => {
  it('rejects type 0, MEM_FREE and MEM_RELEASE with a size with 87 (Wine test_VirtualAlloc)', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x10000n, MEM_COMMIT, PAGE_READWRITE));
    expect(errorOf(p.virtualFree(a, 0x10000n, 0))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.virtualFree(a, 0n, M.MEM_FREE))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.virtualFree(a, 1n, MEM_RELEASE))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.virtualFree(a, 0n, MEM_RELEASE | MEM_DECOMMIT))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
    expect(value(p.virtualFree(a, 0x10000n, MEM_DECOMMIT))).toBe(true);
    expect(value(p.virtualFree(a, 0n, MEM_RELEASE))).toBe(true);
    expect(value(p.virtualQuery(a))).toMatchObject({
      state: M.MEM_FREE,
      protect: PAGE_NOACCESS,
      type: 0,
      allocationBase: 0n,
    });
  });

  it('size 0 needs an address in the first page: +0xfff works, +0x1001 → 487 (Wine ntdll test_NtAllocateVirtualMemory)', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x10000n, MEM_COMMIT, PAGE_READWRITE));
    expect(errorOf(p.virtualFree(a + 0x1001n, 0n, MEM_DECOMMIT))).toBe('ERROR_INVALID_ADDRESS');
    expect(errorOf(p.virtualFree(a + 0x1001n, 0n, MEM_RELEASE))).toBe('ERROR_INVALID_ADDRESS');
    expect(value(p.virtualFree(a + 0xffen, 0n, MEM_DECOMMIT))).toBe(true);
    expect(value(p.virtualQuery(a))).toMatchObject({ state: MEM_RESERVE, regionSize: 0x10000n });
    expect(value(p.virtualFree(a + 0xfffn, 0n, MEM_RELEASE))).toBe(true);
    expect(p.space.count).toBe(0);
  });

  it('decommits every page the bytes touch: 2 bytes at +0x1fff decommit two pages (Wine ntdll test)', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x10000n, MEM_COMMIT, PAGE_READWRITE));
    expect(value(p.virtualFree(a + 0x1fffn, 2n, MEM_DECOMMIT))).toBe(true);
    expect(value(p.virtualQuery(a + 0x1000n))).toMatchObject({
      state: MEM_RESERVE,
      regionSize: 0x2000n,
    });
    expect(p.privateCommitPages).toBe(14);
    // Decommitting reserved pages again is fine.
    expect(value(p.virtualFree(a + 0x1000n, 0x2000n, MEM_DECOMMIT))).toBe(true);
  });

  it('free memory and NULL fail with 487', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x2000n, MEM_COMMIT, PAGE_READWRITE));
    expect(errorOf(p.virtualFree(null, 0n, MEM_RELEASE))).toBe('ERROR_INVALID_ADDRESS');
    expect(errorOf(p.virtualFree(a + 0x20000n, 0n, MEM_RELEASE))).toBe('ERROR_INVALID_ADDRESS');
  });

  it('a decommit running past the allocation → 87, STATUS_UNABLE_TO_FREE_VM (ReactOS NtFreeVirtualMemory apitest)', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x1000n, MEM_RESERVE, PAGE_READWRITE));
    expect(value(p.virtualFree(a, 0x1000n, MEM_DECOMMIT))).toBe(true);
    expect(errorOf(p.virtualFree(a, 0x1001n, MEM_DECOMMIT))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.virtualFree(a + 1n, 0x1000n, MEM_DECOMMIT))).toBe('ERROR_INVALID_PARAMETER');
    expect(value(p.virtualFree(a + 1n, 0xfffn, MEM_DECOMMIT))).toBe(true);
  });
});

describe('VirtualProtect', () => {
  it('fails on reserved or partly committed memory with 487 and returns the old protection (Wine test_VirtualAlloc)', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0xfffcn, MEM_RESERVE, PAGE_NOACCESS));
    expect(errorOf(p.virtualProtect(a, 0xfffcn, PAGE_READONLY))).toBe('ERROR_INVALID_ADDRESS');
    value(p.virtualAlloc(a, 0x1000n, MEM_COMMIT, PAGE_NOACCESS));
    expect(errorOf(p.virtualProtect(a, 0xfffcn, PAGE_READONLY))).toBe('ERROR_INVALID_ADDRESS');
    expect(value(p.virtualProtect(a, 0x1000n, PAGE_READONLY))).toBe(PAGE_NOACCESS);
    expect(value(p.virtualProtect(a, 0x1000n, PAGE_READWRITE))).toBe(PAGE_READONLY);
    expect(value(p.virtualQuery(a))).toMatchObject({
      regionSize: 0x1000n,
      state: MEM_COMMIT,
      protect: PAGE_READWRITE,
    });
  });

  it('rejects 0 and PAGE_READWRITE|PAGE_EXECUTE_WRITECOPY with 87 (Wine test_VirtualAlloc)', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_READWRITE));
    expect(errorOf(p.virtualProtect(a, 0x1000n, 0))).toBe('ERROR_INVALID_PARAMETER');
    expect(errorOf(p.virtualProtect(a, 0x1000n, PAGE_READWRITE | P.PAGE_EXECUTE_WRITECOPY))).toBe(
      'ERROR_INVALID_PARAMETER',
    );
  });

  it('a NULL old-protection pointer fails with ERROR_NOACCESS (998) and changes nothing (VirtualProtect docs)', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_READWRITE));
    expect(errorOf(p.virtualProtect(a, 0x1000n, PAGE_READONLY, false))).toBe('ERROR_NOACCESS');
    expect(value(p.virtualQuery(a)).protect).toBe(PAGE_READWRITE);
  });

  it("keeps the allocation's PAGE_NOCACHE and cannot add it per page (Wine test_VirtualAlloc)", () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x2000n, MEM_COMMIT, PAGE_READWRITE | PAGE_NOCACHE));
    expect(value(p.virtualProtect(a, 0x1000n, PAGE_READWRITE))).toBe(PAGE_READWRITE | PAGE_NOCACHE);
    expect(value(p.virtualQuery(a))).toMatchObject({
      regionSize: 0x2000n,
      protect: PAGE_READWRITE | PAGE_NOCACHE,
    });
    const b = value(p.virtualAlloc(null, 0x2000n, MEM_COMMIT, PAGE_READWRITE));
    value(p.virtualProtect(b, 0x1000n, PAGE_READONLY | PAGE_NOCACHE));
    expect(value(p.virtualQuery(b))).toMatchObject({ regionSize: 0x1000n, protect: PAGE_READONLY });
  });

  it("returns the first page's old protection when the span has several", () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x2000n, MEM_COMMIT, PAGE_READWRITE));
    value(p.virtualProtect(a + 0x1000n, 0x1000n, PAGE_READONLY));
    expect(value(p.virtualProtect(a, 0x2000n, PAGE_EXECUTE_READ))).toBe(PAGE_READWRITE);
    expect(value(p.virtualQuery(a))).toMatchObject({
      regionSize: 0x2000n,
      protect: PAGE_EXECUTE_READ,
    });
  });

  it('a span over two allocations fails with 487', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x10000n, MEM_COMMIT, PAGE_READWRITE));
    value(p.virtualAlloc(a + 0x10000n, 0x10000n, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    expect(errorOf(p.virtualProtect(a + 0xf000n, 0x2000n, PAGE_READONLY))).toBe(
      'ERROR_INVALID_ADDRESS',
    );
  });
});

describe('VirtualQuery', () => {
  it('reports the run of equal pages from the queried page, never crossing the allocation', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x8000n, MEM_RESERVE, PAGE_NOACCESS));
    value(p.virtualAlloc(a + 0x2000n, 0x3000n, MEM_COMMIT, PAGE_READWRITE));
    expect(value(p.virtualQuery(a + 0x2abcn))).toMatchObject({
      baseAddress: a + 0x2000n,
      regionSize: 0x3000n,
    });
    expect(value(p.virtualQuery(a + 0x3000n))).toMatchObject({
      baseAddress: a + 0x3000n,
      regionSize: 0x2000n,
    });
    expect(value(p.virtualQuery(a + 0x5000n))).toMatchObject({
      state: MEM_RESERVE,
      regionSize: 0x3000n,
      protect: 0,
    });
    // The tail of the granule is free and runs to the next allocation (here: the end of the user range).
    expect(value(p.virtualQuery(a + 0x8000n))).toMatchObject({
      state: M.MEM_FREE,
      regionSize: USER_END - (a + 0x8000n),
    });
  });

  it('fails above the user range with 87', () => {
    expect(errorOf(proc().virtualQuery(USER_MAX + 1n))).toBe('ERROR_INVALID_PARAMETER');
    expect(value(proc().virtualQuery(USER_MAX)).state).toBe(M.MEM_FREE);
  });
});

describe('memory access', () => {
  it('free, reserved and PAGE_NOACCESS pages raise EXCEPTION_ACCESS_VIOLATION with the kind and address', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x3000n, MEM_RESERVE, PAGE_NOACCESS));
    value(p.virtualAlloc(a, 0x1000n, MEM_COMMIT, PAGE_NOACCESS));
    for (const [addr, kind] of [
      [a + 0x10n, 'read'],
      [a + 0x1004n, 'write'],
      [a + 0x40000n, 'read'],
    ] as const) {
      const r = p.access(kind, addr, 4n);
      expect(r.ok ? null : r.exception).toEqual({
        name: 'EXCEPTION_ACCESS_VIOLATION',
        address: addr,
        access: kind,
      });
    }
  });

  it('addresses above the user range (kernel space) are access violations too', () => {
    const r = proc().access('read', 0xffff800000000000n, 8n);
    expect(r.ok ? null : r.exception).toEqual({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      address: 0xffff800000000000n,
      access: 'read',
    });
    expect(proc().access('write', USER_MAX, 2n)).toMatchObject({
      ok: false,
      exception: { address: USER_MAX },
    });
  });

  it('writing a read-only page and executing a non-executable one (DEP) are access violations', () => {
    const p = proc();
    const ro = value(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_READONLY));
    const rw = value(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_READWRITE));
    const rx = value(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_EXECUTE_READ));
    expect(p.access('read', ro).ok).toBe(true);
    expect(p.access('write', ro)).toMatchObject({ ok: false, exception: { access: 'write' } });
    expect(p.access('execute', rw)).toMatchObject({
      ok: false,
      exception: { name: 'EXCEPTION_ACCESS_VIOLATION', access: 'execute' },
    });
    expect(p.access('execute', rx).ok).toBe(true);
    expect(p.access('write', rx).ok).toBe(false);
  });

  it('a PAGE_GUARD page raises STATUS_GUARD_PAGE_VIOLATION once, then the guard is gone', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x2000n, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD));
    expect(p.access('read', a + 8n)).toMatchObject({
      ok: false,
      exception: { name: 'STATUS_GUARD_PAGE_VIOLATION', address: a + 8n },
    });
    expect(p.access('read', a + 8n).ok).toBe(true);
    expect(value(p.virtualQuery(a))).toMatchObject({
      regionSize: 0x1000n,
      protect: PAGE_READWRITE,
    });
    expect(value(p.virtualQuery(a + 0x1000n)).protect).toBe(PAGE_READWRITE | PAGE_GUARD);
  });

  it('an access spanning pages faults each one and stops at the first bad page, reporting that page', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x3000n, MEM_RESERVE, PAGE_NOACCESS));
    value(p.virtualAlloc(a, 0x2000n, MEM_COMMIT, PAGE_READWRITE));
    const r = p.access('write', a + 0xff0n, 0x2000n);
    expect(r).toMatchObject({
      ok: false,
      exception: { address: a + 0x2000n },
      faults: { demandZero: 2 },
    });
  });

  it('the first touch is a demand-zero soft fault that adds the page to the working set; the second is free', () => {
    const p = proc();
    const a = value(p.virtualAlloc(null, 0x1000n, MEM_COMMIT, PAGE_READWRITE));
    expect(p.access('write', a)).toMatchObject({
      ok: true,
      faults: { demandZero: 1, soft: 1, hard: 0 },
    });
    expect(p.access('read', a)).toMatchObject({
      ok: true,
      faults: { demandZero: 0, soft: 0, hard: 0 },
    });
    expect(p.workingSet.size).toBe(1);
  });
});
