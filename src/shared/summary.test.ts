import { describe, expect, it } from 'vitest';
import { displayAddress, formatAddress, parseAddress, parseUserAddress } from './address';
import { groupAllocations } from './allocations';
import { fragmentation } from './fragmentation';
import type { Region } from './model';
import { NO_FILTER, matchRegions, regionMatcher } from './regionFilter';
import { regionListOf } from './regionList';
import { summarizeByKind } from './summary';

function region(base: number, size: number, over: Partial<Region> = {}): Region {
  const committed = over.state === 'free' || over.state === 'reserved' ? 0 : size;
  return {
    base: formatAddress(BigInt(base)),
    size,
    allocationBase: over.state === 'free' ? null : formatAddress(BigInt(base)),
    state: 'committed',
    protect: 'PAGE_READWRITE',
    allocationProtect: 'PAGE_READWRITE',
    type: 'private',
    kind: 'privateData',
    committed,
    workingSet: {
      total: committed / 2,
      private: committed / 2,
      shareable: 0,
      shared: 0,
      locked: 0,
    },
    path: null,
    details: null,
    ...over,
  };
}

const regions: Region[] = [
  region(0x10000, 0x10000, { state: 'free', kind: 'free', type: null, protect: null }),
  region(0x20000, 0x2000, { allocationBase: '0x20000' }),
  region(0x22000, 0x6000, {
    allocationBase: '0x20000',
    state: 'reserved',
    protect: null,
    committed: 0,
  }),
  region(0x28000, 0x8000, { kind: 'unusable', state: 'free', type: null, protect: null }),
  region(0x30000, 0x4000, {
    kind: 'image',
    type: 'image',
    path: '/usr/lib/libc.so.6',
    protect: 'PAGE_EXECUTE_READ',
  }),
  region(0x34000, 0x3c000, { state: 'free', kind: 'free', type: null, protect: null }),
  region(0x70000, 0x1000, { kind: 'stack', protect: 'PAGE_READWRITE|PAGE_GUARD' }),
];

describe('addresses', () => {
  it('round-trip above 2^53 without losing a bit', () => {
    const vsyscall = '0xffffffffff600000';
    expect(formatAddress(parseAddress(vsyscall))).toBe(vsyscall);
    expect(parseAddress(vsyscall) + 1n).toBe(0xffffffffff600001n);
  });
  it('read what people type', () => {
    expect(parseUserAddress('7ffd1000')).toBe(0x7ffd1000n);
    expect(parseUserAddress('0x7FFD_1000')).toBe(0x7ffd1000n);
    expect(parseUserAddress('libc')).toBeNull();
    expect(displayAddress('0x1000')).toBe('0x000000001000');
  });
});

describe('allocations', () => {
  it('group consecutive regions of one reservation; free and unusable regions stand alone', () => {
    const allocs = groupAllocations(regions);
    expect(allocs.map((a) => [a.base, a.count, a.kind])).toEqual([
      ['0x10000', 1, 'free'],
      ['0x20000', 2, 'privateData'],
      ['0x28000', 1, 'unusable'],
      ['0x30000', 1, 'image'],
      ['0x34000', 1, 'free'],
      ['0x70000', 1, 'stack'],
    ]);
    expect(allocs[1]).toMatchObject({ size: 0x8000, committed: 0x2000 });
  });
});

describe('the summary by kind', () => {
  const rows = summarizeByKind(regions);
  const row = (k: string) => rows.find((r) => r.kind === k);
  it('adds sizes, committed and working set per kind, with a total that leaves out free', () => {
    expect(row('privateData')).toMatchObject({
      size: 0x8000,
      committed: 0x2000,
      private: 0x2000,
      blocks: 1,
    });
    expect(row('image')).toMatchObject({
      size: 0x4000,
      committed: 0x4000,
      private: 0,
      wsTotal: 0x2000,
    });
    expect(row('free')).toMatchObject({ size: 0x4c000, blocks: 2, largestBlock: 0x3c000 });
    expect(row('total')).toMatchObject({ size: 0x8000 + 0x8000 + 0x4000 + 0x1000, blocks: 4 });
    expect(row('unusable')).toMatchObject({ size: 0x8000, committed: 0, blocks: 1 });
    expect(rows.at(-1)?.kind).toBe('total');
  });
});

describe('fragmentation', () => {
  it('reports the largest free block, the free block count and unusable bytes', () => {
    expect(fragmentation(regions)).toEqual({
      largestFree: 0x3c000,
      freeBlocks: 2,
      freeBytes: 0x4c000,
      unusableBytes: 0x8000,
    });
  });
});

describe('the region filter', () => {
  const match = (f: Partial<typeof NO_FILTER>) =>
    regions
      .filter((_, i) => regionMatcher({ ...NO_FILTER, ...f }, regionListOf(regions))(i))
      .map((r) => r.base);
  it('finds the region containing a typed address, with or without 0x', () => {
    expect(match({ text: '0x22010' })).toEqual(['0x22000']);
    expect(match({ text: '30abc' })).toEqual(['0x30000']);
  });
  it('tests containment exactly above 2^53, where a double cannot tell neighbouring pages apart', () => {
    const high: Region[] = [
      { ...region(0, 0x1000), base: '0xffffffffff5ff000' },
      { ...region(0, 0x1000), base: '0xffffffffff600000' },
    ];
    const found = (text: string) => [
      ...(matchRegions(regionListOf(high), { ...NO_FILTER, text }) ?? []),
    ];
    expect(found('0xffffffffff5fffff')).toEqual([1, 0]);
    expect(found('ffffffffff600001')).toEqual([0, 1]);
    expect(Number(0xffffffffff5fffffn)).toBe(Number(0xffffffffff600000n)); // why the exact test is needed
  });
  it('keeps everything without building a match list when nothing is asked', () => {
    expect(matchRegions(regionListOf(regions), { ...NO_FILTER, text: '  ' })).toBeNull();
    expect(matchRegions(regionListOf(regions), { ...NO_FILTER, hideFree: true })).toEqual(
      new Uint8Array([0, 1, 1, 0, 1, 0, 1]),
    );
  });
  it('finds by path, kind, state and protection, and hides free', () => {
    expect(match({ text: 'LIBC' })).toEqual(['0x30000']);
    expect(match({ kinds: new Set(['stack']) })).toEqual(['0x70000']);
    expect(match({ states: new Set(['reserved']) })).toEqual(['0x22000']);
    expect(match({ protections: new Set(['PAGE_READWRITE']) })).toEqual(['0x20000', '0x70000']);
    expect(match({ hideFree: true })).not.toContain('0x10000');
  });
});
