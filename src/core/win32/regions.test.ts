import { describe, expect, it } from 'vitest';
import { classify, noUses, type RawRegion, toRegions } from './regions';
import { MEM_FLAGS } from '../../shared/winConstants';
import type { MemoryBasicInfo } from './memoryBasicInfo';

const { MEM_COMMIT, MEM_FREE, MEM_IMAGE, MEM_MAPPED, MEM_PRIVATE, MEM_RESERVE } = MEM_FLAGS;
import { emptyWorkingSet } from './workingSetBits';

const GRANULE = 65536;

function mbi(over: Partial<MemoryBasicInfo>): MemoryBasicInfo {
  return {
    baseAddress: 0x10000n,
    allocationBase: 0x10000n,
    allocationProtect: 0x04,
    regionSize: 0x1000n,
    state: MEM_COMMIT,
    protect: 0x04,
    type: MEM_PRIVATE,
    ...over,
  };
}

function raw(info: MemoryBasicInfo, path: string | null = null): RawRegion {
  return { mbi: info, path, workingSet: emptyWorkingSet() };
}

describe('toRegions', () => {
  it('maps a committed private region with names, hex addresses and committed bytes', () => {
    const ws = { total: 8192, private: 8192, shareable: 0, shared: 0, locked: 0 };
    const info = mbi({
      baseAddress: 0x7ff612340000n,
      allocationBase: 0x7ff612340000n,
      regionSize: 0x3000n,
      protect: 0x104,
    });
    const [region] = toRegions({ mbi: info, path: null, workingSet: ws }, noUses(), GRANULE);
    expect(region).toMatchObject({
      base: '0x7ff612340000',
      size: 0x3000,
      allocationBase: '0x7ff612340000',
      state: 'committed',
      protect: 'PAGE_READWRITE|PAGE_GUARD',
      allocationProtect: 'PAGE_READWRITE',
      type: 'private',
      kind: 'privateData',
      committed: 0x3000,
      workingSet: ws,
      windows: {
        memType: 'MEM_PRIVATE',
        state: 'MEM_COMMIT',
        protectValue: 0x104,
        workingSetKnown: true,
      },
    });
  });

  it('a reserved region has no protection and no committed bytes', () => {
    const [region] = toRegions(raw(mbi({ state: MEM_RESERVE, protect: 0 })), noUses(), GRANULE);
    expect(region).toMatchObject({
      state: 'reserved',
      protect: null,
      committed: 0,
      allocationProtect: 'PAGE_READWRITE',
    });
  });

  it('marks unknown working sets as such (QueryWorkingSetEx refused)', () => {
    const [region] = toRegions({ mbi: mbi({}), path: null, workingSet: null }, noUses(), GRANULE);
    expect(region?.workingSet).toEqual(emptyWorkingSet());
    expect(region?.windows?.workingSetKnown).toBe(false);
  });

  it('splits a free range that starts inside a granule into unusable and free', () => {
    const free = mbi({
      baseAddress: 0x23000n,
      allocationBase: 0n,
      regionSize: 0x4d000n,
      state: MEM_FREE,
      protect: 1,
      type: 0,
    });
    const regions = toRegions(raw(free), noUses(), GRANULE);
    expect(regions.map((r) => [r.base, r.size, r.kind, r.state])).toEqual([
      ['0x23000', 0xd000, 'unusable', 'free'],
      ['0x30000', 0x40000, 'free', 'free'],
    ]);
    expect(regions[0]).toMatchObject({ allocationBase: null, protect: null, type: null });
  });

  it('a free range inside one granule is all unusable; an aligned one all free', () => {
    const tail = mbi({ baseAddress: 0x21000n, regionSize: 0xf000n, state: MEM_FREE, type: 0 });
    expect(toRegions(raw(tail), noUses(), GRANULE).map((r) => r.kind)).toEqual(['unusable']);
    const aligned = mbi({ baseAddress: 0x30000n, regionSize: 0x20000n, state: MEM_FREE, type: 0 });
    expect(toRegions(raw(aligned), noUses(), GRANULE).map((r) => r.kind)).toEqual(['free']);
  });

  it('names heaps and stacks from the uses, with the stack’s thread', () => {
    const uses = noUses();
    uses.heaps.set(0x50000n, 'Process heap');
    uses.stacks.set(0x90000n, { threadId: 4242, details: 'Stack of thread 4242' });
    const [heap] = toRegions(
      raw(mbi({ baseAddress: 0x51000n, allocationBase: 0x50000n })),
      uses,
      GRANULE,
    );
    expect(heap).toMatchObject({ kind: 'heap', details: 'Process heap' });
    const [stack] = toRegions(
      raw(mbi({ baseAddress: 0x9f000n, allocationBase: 0x90000n })),
      uses,
      GRANULE,
    );
    expect(stack).toMatchObject({ kind: 'stack', threadId: 4242, details: 'Stack of thread 4242' });
  });
});

describe('classify', () => {
  it('puts the memory type first: images and mapped views whatever the uses say', () => {
    const uses = noUses();
    uses.heaps.set(0x10000n, 'Heap 1');
    expect(classify(mbi({ type: MEM_IMAGE }), 'C:\\a.dll', uses)).toBe('image');
    expect(classify(mbi({ type: MEM_MAPPED }), 'C:\\data.bin', uses)).toBe('mappedFile');
    expect(classify(mbi({ type: MEM_PRIVATE }), null, uses)).toBe('heap');
  });

  it('a mapped view without a file is a pagefile-backed section: shareable', () => {
    expect(classify(mbi({ type: MEM_MAPPED }), null, noUses())).toBe('shareable');
  });
});
