import { describe, expect, it } from 'vitest';
import { region } from '../../test/support/regionFixture';
import type { Region } from './model';
import { matchRegions } from './regionMatch';

const MiB = 1024 * 1024;
/** The changes only, as [category, before bases, after bases]. */
const changes = (before: Region[], after: Region[]) =>
  matchRegions(before, after)
    .filter((m) => m.category !== 'unchanged')
    .map((m) => [m.category, m.before.map((r) => r.base), m.after.map((r) => r.base)]);

const lib = (base: number, size: number, protect = 'PAGE_READONLY') =>
  region(base, size, { kind: 'image', type: 'image', path: '/usr/lib/libc.so.6', protect });

describe('matching regions across two snapshots', () => {
  it('reads a mapping merged into the region above it as growth, not a removal and an addition', () => {
    // mmap places the new 20 MiB just below the old 44 MiB; the kernel merges them into one VMA.
    const before = [region(0x7000_0000_0000 + 20 * MiB, 44 * MiB), lib(0x7100_0000_0000, 0x1000)];
    const after = [region(0x7000_0000_0000, 64 * MiB), lib(0x7100_0000_0000, 0x1000)];
    expect(changes(before, after)).toEqual([['grew', ['0x700001400000'], ['0x700000000000']]]);
  });

  it('reads a mapping grown into a gap that joined two regions as one growth', () => {
    const before = [region(0x10000, 0x4000), region(0x18000, 0x4000)];
    const after = [region(0x10000, 0xc000)];
    expect(changes(before, after)).toEqual([['grew', ['0x10000', '0x18000'], ['0x10000']]]);
  });

  it('reads a partial munmap as a shrink', () => {
    expect(changes([region(0x10000, 0x8000)], [region(0x10000, 0x2000)])).toEqual([
      ['shrank', ['0x10000'], ['0x10000']],
    ]);
  });

  it('reads an allocation at a new address, same size and mapping, as a move', () => {
    const before = [
      region(0x10000, 0x8000, { path: '/dev/shm/x', kind: 'mappedFile', type: 'mapped' }),
      region(0x90000, 0x1000),
    ];
    const after = [
      region(0x40000, 0x8000, { path: '/dev/shm/x', kind: 'mappedFile', type: 'mapped' }),
      region(0x90000, 0x1000),
    ];
    expect(changes(before, after)).toEqual([['moved', ['0x10000'], ['0x40000']]]);
  });

  it('does not call two unrelated regions of the same shape a move when there are several', () => {
    const before = [region(0x10000, 0x1000), region(0x30000, 0x1000)];
    const after = [region(0x50000, 0x1000), region(0x70000, 0x1000)];
    expect(changes(before, after).map(([c]) => c)).toEqual([
      'removed',
      'removed',
      'added',
      'added',
    ]);
  });

  it('reads an mprotect that split a region in two as a protection change of one piece', () => {
    const before = [region(0x10000, 0x4000)];
    const after = [region(0x10000, 0x1000, { protect: 'PAGE_NOACCESS' }), region(0x11000, 0x3000)];
    expect(changes(before, after)).toEqual([['protection', ['0x10000'], ['0x10000', '0x11000']]]);
  });

  it('reads a protection change of the whole region', () => {
    expect(
      changes([region(0x10000, 0x4000)], [region(0x10000, 0x4000, { protect: 'PAGE_READONLY' })]),
    ).toEqual([['protection', ['0x10000'], ['0x10000']]]);
  });

  it('finds added and removed regions, and does not match a file with what was anonymous memory there', () => {
    const before = [region(0x10000, 0x4000), region(0x30000, 0x1000)];
    const after = [lib(0x10000, 0x4000), region(0x30000, 0x1000), region(0x50000, 0x2000)];
    expect(changes(before, after)).toEqual([
      ['removed', ['0x10000'], []],
      ['added', [], ['0x10000']],
      ['added', [], ['0x50000']],
    ]);
  });

  it('tells pages touched in an unchanged mapping apart from an unchanged one', () => {
    const ws = { total: 0x2000, private: 0x2000, shareable: 0, shared: 0, locked: 0 };
    const m = matchRegions(
      [region(0x10000, 0x4000), region(0x20000, 0x1000)],
      [region(0x10000, 0x4000, { workingSet: ws }), region(0x20000, 0x1000)],
    );
    expect(m.map((x) => x.category)).toEqual(['touched', 'unchanged']);
  });

  it('reads pages committed inside a reservation as touched, not as a protection change', () => {
    const reserved = (base: number, size: number) =>
      region(base, size, { state: 'reserved', protect: null, committed: 0 });
    const m = matchRegions(
      [reserved(0x10000, 0x10000)],
      [region(0x10000, 0x1000), reserved(0x11000, 0xf000)],
    );
    expect(m.map((x) => x.category)).toEqual(['touched']);
  });

  it('leaves free gaps out', () => {
    const free = (base: number, size: number) =>
      region(base, size, {
        state: 'free',
        kind: 'free',
        type: null,
        committed: 0,
        allocationBase: null,
      });
    expect(matchRegions([free(0x10000, 0x1000)], [free(0x10000, 0x8000)])).toEqual([]);
  });
});
