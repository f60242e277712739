import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M } from '../../shared/winConstants';
import {
  HEAP_FLAGS as F,
  LARGE_BLOCK_THRESHOLD,
  PROCESS_HEAP_ENTRY as E,
  type HeapResult,
} from './heap';
import { processRegions } from './report';
import { createSimulation } from './simulation';

/** Wine's test_HeapCreate uses alloc_size = 0x8000 * sizeof(void *). */
const A = 0x8000 * 8;

function setup() {
  const { process } = createSimulation({ physicalMemory: 64 * 1024 * 1024 });
  return { process, heaps: process.heaps };
}

function value<T>(r: HeapResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error ?? r.exception}`);
  return r.value;
}

describe('heaps (Wine dlls/kernel32/tests/heap.c test_HeapCreate)', () => {
  it('GetProcessHeaps lists the process heap first; handles are 64 KiB aligned; HeapDestroy removes them', () => {
    const { heaps } = setup();
    const before = heaps.handles();
    expect(before).toEqual([heaps.processHeap.handle]);
    const h1 = value(heaps.create(0, 0, 0));
    const h2 = value(heaps.create(0, 0, 0));
    expect(h1 % 0x10000).toBe(0);
    expect(h2 % 0x10000).toBe(0);
    expect(heaps.handles()).toEqual([...before, h1, h2]);
    expect(value(heaps.destroy(h2))).toBe(true);
    expect(value(heaps.destroy(h1))).toBe(true);
    expect(heaps.handles()).toEqual(before);
  });

  it('HeapDestroy releases every segment and large block', () => {
    const { process, heaps } = setup();
    const committedBefore = process.privateCommitPages;
    const h = value(heaps.create(0, 0, 0));
    value(heaps.alloc(h, 0, 5 * A + 1));
    for (let i = 0; i < 20; i++) value(heaps.alloc(h, 0, 100_000));
    expect(process.privateCommitPages).toBeGreaterThan(committedBefore);
    value(heaps.destroy(h));
    expect(process.privateCommitPages).toBe(committedBefore);
  });

  it('border cases: HeapFree(NULL) succeeds, HeapReAlloc(NULL) fails without an error, HeapValidate(NULL) checks the heap', () => {
    const { heaps } = setup();
    const h = value(heaps.create(0, 0, 0));
    expect(heaps.free(h, 0, 0)).toEqual({ ok: true, value: true });
    expect(heaps.realloc(h, 0, 0, 1)).toEqual({ ok: false, error: null });
    expect(heaps.validate(h, 0).ok).toBe(true);
    expect(heaps.validate(h, 0xdeadbe00)).toEqual({ ok: false, error: null });
  });

  it('zero-byte blocks, HeapSize is the exact request, freed blocks no longer validate, ~0 bytes fail', () => {
    const { heaps } = setup();
    const h = value(heaps.create(0, 0, 0));
    const p = value(heaps.alloc(h, 0, 0));
    expect(value(heaps.size(h, p))).toBe(0);
    expect(heaps.realloc(h, 0, p, 2 ** 64 - 8).ok).toBe(false);
    expect(heaps.validate(h, p).ok).toBe(true);
    value(heaps.free(h, 0, p));
    expect(heaps.validate(h, p)).toEqual({ ok: false, error: null });
    expect(heaps.alloc(h, 0, 2 ** 64 - 1)).toEqual({ ok: false, error: 'ERROR_NOT_ENOUGH_MEMORY' });
    const q = value(heaps.alloc(h, 0, 1));
    const r = value(heaps.realloc(h, 0, q, 0));
    expect(value(heaps.size(h, r))).toBe(0);
    const big = value(heaps.alloc(h, 0, A));
    expect(value(heaps.size(h, big))).toBe(A);
    expect(value(heaps.size(h, value(heaps.alloc(h, 0, 123))))).toBe(123);
  });

  it('blocks are 16-byte aligned and not all 32-byte aligned', () => {
    const { heaps } = setup();
    const h = value(heaps.create(0, 0, 0));
    let bits = 0;
    for (let i = 0; i < 16; i++) bits |= value(heaps.alloc(h, 0, 40));
    expect(bits & 15).toBe(0);
    expect(bits & 16).toBe(16);
  });

  it('large blocks get their own VirtualAlloc: a separate region, freed with the block', () => {
    const { process, heaps } = setup();
    const h = value(heaps.create(0, 0, 0));
    const p = value(heaps.alloc(h, 0, 5 * A + 1));
    const region = process.virtualQuery(BigInt(p));
    expect(region.ok && region.value.allocationBase).not.toBe(BigInt(h));
    expect(region.ok && region.value.type).toBe(M.MEM_PRIVATE);
    const walk = value(heaps.walk(h));
    expect(walk.at(-1)).toMatchObject({
      lpData: p,
      cbData: 5 * A + 1,
      iRegionIndex: 64,
      wFlags: E.PROCESS_HEAP_ENTRY_BUSY,
    });
    value(heaps.free(h, 0, p));
    const after = process.virtualQuery(BigInt(p));
    expect(after.ok && after.value.state).toBe(M.MEM_FREE);
  });

  it('HEAP_REALLOC_IN_PLACE_ONLY: a block shrinks and grows back in place; a shrunk large block cannot regrow (8)', () => {
    const { heaps } = setup();
    const h = value(heaps.create(0, 0, 0));
    let p = value(heaps.alloc(h, F.HEAP_ZERO_MEMORY, A));
    p = value(heaps.realloc(h, F.HEAP_ZERO_MEMORY, p, 3 * A));
    expect(value(heaps.size(h, p))).toBe(3 * A);
    expect(value(heaps.realloc(h, F.HEAP_REALLOC_IN_PLACE_ONLY, p, (A * 3) / 2))).toBe(p);
    expect(value(heaps.realloc(h, F.HEAP_REALLOC_IN_PLACE_ONLY, p, 2 * A))).toBe(p);
    p = value(heaps.realloc(h, F.HEAP_ZERO_MEMORY, p, 1 << 20));
    expect(1 << 20).toBeGreaterThan(LARGE_BLOCK_THRESHOLD);
    expect(value(heaps.realloc(h, F.HEAP_REALLOC_IN_PLACE_ONLY, p, (A * 3) / 2))).toBe(p);
    expect(heaps.realloc(h, F.HEAP_REALLOC_IN_PLACE_ONLY, p, 2 * A)).toEqual({
      ok: false,
      error: 'ERROR_NOT_ENOUGH_MEMORY',
    });
  });

  it('fixed-size heaps: fill up and fail with ERROR_NOT_ENOUGH_MEMORY; no blocks above their limit', () => {
    const { heaps } = setup();
    let h = value(heaps.create(0, A, A));
    expect(h % 0x10000).toBe(0);
    const p = value(heaps.alloc(h, 0, A - (0x400 + 0x100 * 8)));
    expect(value(heaps.size(h, p))).toBe(A - (0x400 + 0x100 * 8));
    value(heaps.free(h, 0, p));
    expect(heaps.alloc(h, 0, A - (0x200 + 0x80 * 8))).toEqual({
      ok: false,
      error: 'ERROR_NOT_ENOUGH_MEMORY',
    });
    value(heaps.destroy(h));

    h = value(heaps.create(0, 2 * A, 5 * A));
    expect(heaps.alloc(h, 0, 3 * A)).toEqual({ ok: false, error: 'ERROR_NOT_ENOUGH_MEMORY' });
    const q = value(heaps.alloc(h, 0, A));
    expect(heaps.alloc(h, 0, 4 * A)).toEqual({ ok: false, error: 'ERROR_NOT_ENOUGH_MEMORY' });
    value(heaps.free(h, 0, q));
    let r = value(heaps.alloc(h, F.HEAP_ZERO_MEMORY, A));
    r = value(heaps.realloc(h, F.HEAP_ZERO_MEMORY, r, 2 * A));
    expect(value(heaps.size(h, r))).toBe(2 * A);
    expect(value(heaps.realloc(h, F.HEAP_REALLOC_IN_PLACE_ONLY, r, (A * 3) / 2))).toBe(r);
    expect(value(heaps.realloc(h, F.HEAP_REALLOC_IN_PLACE_ONLY, r, 2 * A))).toBe(r);
    // Filling the fixed heap with small blocks ends in ERROR_NOT_ENOUGH_MEMORY too.
    let last: HeapResult<number>;
    do last = heaps.alloc(h, 0, 60_000);
    while (last.ok);
    expect(last).toEqual({ ok: false, error: 'ERROR_NOT_ENOUGH_MEMORY' });
  });

  it('HEAP_GENERATE_EXCEPTIONS raises STATUS_NO_MEMORY instead of returning NULL (on the call or the heap)', () => {
    const { heaps } = setup();
    const h = value(heaps.create(0, A, A));
    expect(heaps.alloc(h, F.HEAP_GENERATE_EXCEPTIONS, 2 * A)).toEqual({
      ok: false,
      error: null,
      exception: 'STATUS_NO_MEMORY',
    });
    const g = value(heaps.create(F.HEAP_GENERATE_EXCEPTIONS, A, A));
    expect(heaps.alloc(g, 0, 2 * A)).toMatchObject({ exception: 'STATUS_NO_MEMORY' });
  });

  it('HeapWalk: region, busy and free blocks, the uncommitted range; fragmentation shows as free blocks between busy ones', () => {
    const { process, heaps } = setup();
    const h = value(heaps.create(0, 0, 0));
    const ptrs = [100, 200, 300, 400].map((n) => value(heaps.alloc(h, 0, n)));
    value(heaps.free(h, 0, ptrs[1]!));
    const walk = value(heaps.walk(h));
    expect(walk[0]).toMatchObject({ lpData: h, wFlags: E.PROCESS_HEAP_REGION, iRegionIndex: 0 });
    expect(walk[0]!.cbData).toBeLessThanOrEqual(0x1000);
    const blocks = walk.filter((e) => e.wFlags === E.PROCESS_HEAP_ENTRY_BUSY || e.wFlags === 0);
    expect(blocks.map((e) => [e.wFlags, e.cbData]).slice(0, 4)).toEqual([
      [E.PROCESS_HEAP_ENTRY_BUSY, 100],
      [0, 208],
      [E.PROCESS_HEAP_ENTRY_BUSY, 300],
      [E.PROCESS_HEAP_ENTRY_BUSY, 400],
    ]);
    expect(walk.at(-1)!.wFlags).toBe(E.PROCESS_HEAP_UNCOMMITTED_RANGE);
    expect(walk.at(-1)!.lpData).toBe(h + walk[0]!.region!.dwCommittedSize);
    // Freeing the neighbour coalesces the hole.
    value(heaps.free(h, 0, ptrs[2]!));
    const merged = value(heaps.walk(h)).filter((e) => e.wFlags === 0);
    expect(merged[0]!.cbData).toBe(208 + 320);
    const region = processRegions(process).find(
      (r) => r.allocationBase === `0x${h.toString(16)}` && r.state === 'committed',
    );
    expect(region?.kind).toBe('heap');
    expect(region?.details).toMatch(/^Heap ID: 1 \(growable\); 2 busy, 2 free blocks, 1 holes/);
  });

  it('HEAP_CREATE_ENABLE_EXECUTE makes executable heap pages; otherwise executing heap memory is a DEP violation', () => {
    const { process, heaps } = setup();
    const plain = value(heaps.alloc(heaps.processHeap.handle, 0, 64));
    const r = process.access('execute', BigInt(plain));
    expect(r.ok || r.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      access: 'execute',
    });
    const x = value(heaps.create(F.HEAP_CREATE_ENABLE_EXECUTE, 0, 0));
    const code = value(heaps.alloc(x, 0, 64));
    expect(process.access('execute', BigInt(code)).ok).toBe(true);
  });

  it('a growable heap adds segments when its first reservation is full', () => {
    const { heaps } = setup();
    const h = value(heaps.create(0, 0, 0));
    for (let i = 0; i < 40; i++) value(heaps.alloc(h, 0, 0x10000));
    const regions = value(heaps.walk(h)).filter((e) => e.wFlags === E.PROCESS_HEAP_REGION);
    expect(regions.length).toBeGreaterThan(1);
    expect(regions.map((e) => e.iRegionIndex)).toEqual(regions.map((_, i) => i));
  });
});

describe('heap reservations as Windows 8 and later makes them (Wine heap.c test_heap_size, test_heap_sizes)', () => {
  /** get_valloc_info: the allocation holding `address`, and its size walked region by region. */
  function vallocInfo(
    process: ReturnType<typeof setup>['process'],
    address: number,
  ): { base: bigint; size: bigint } {
    const first = process.virtualQuery(BigInt(address));
    if (!first.ok) throw new Error('VirtualQuery failed');
    const base = first.value.allocationBase;
    let p = base;
    for (;;) {
      const r = process.virtualQuery(p);
      if (!r.ok || r.value.allocationBase !== base) break;
      p += r.value.regionSize;
    }
    return { base, size: p - base };
  }

  it.each([0, 0x80000, 0x150000])(
    'HeapCreate(HEAP_NO_SERIALIZE, %#x, 0): initial + 64 KiB, then 1 MiB segments doubling up to 0xFD0000',
    (initial) => {
      const { process, heaps } = setup();
      const heap = value(heaps.create(F.HEAP_NO_SERIALIZE, initial, 0));
      let current = vallocInfo(process, heap);
      expect(current.size).toBe(BigInt(initial + 0x10000));
      let subheap = current.size;
      let initialSubheap = true;
      let maxReached = false;
      for (let i = 0; i < 100; i++) {
        const info = vallocInfo(process, value(heaps.alloc(heap, 0, 0x60000)));
        if (info.base !== current.base) {
          current = info;
          if (initialSubheap) {
            subheap = 0x100000n;
            initialSubheap = false;
          } else {
            subheap = subheap * 2n < 0xfd0000n ? subheap * 2n : 0xfd0000n;
            if (subheap === 0xfd0000n) maxReached = true;
          }
        }
        expect(info.size).toBe(subheap);
      }
      expect(maxReached).toBe(true);
    },
  );

  it('a fixed heap HeapCreate(0, n, n) reserves n rounded up to a page (Microsoft docs, HeapCreate)', () => {
    const { process, heaps } = setup();
    for (let i = 1; i < 0x100; i++) {
      const heap = value(heaps.create(0, i * 0x100, i * 0x100));
      expect(vallocInfo(process, heap).size).toBe(BigInt((i * 0x100 + 0xfff) & ~0xfff));
      value(heaps.destroy(heap));
    }
  });
});
