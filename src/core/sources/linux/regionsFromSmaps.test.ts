import { describe, expect, it } from 'vitest';
import type { Region } from '../../../shared/model';
import { executableFiles } from './mappingKinds';
import { type RegionOptions, regionsFromSmaps } from './regionsFromSmaps';
import { type FixtureMapping, smapsText } from './smapsFixture';
import { SmapsScanner } from './smapsScanner';

const PAGE = 0x1000n;
const LIBC = { path: '/usr/lib/libc.so.6', device: 'fd:01', inode: 77 };
const DATA = { path: '/var/data.bin', device: 'fd:01', inode: 88 };

/** A process laid out page by page from `base`, each mapping one page unless `pages` says. */
function layout(
  base: bigint,
  specs: (Omit<FixtureMapping, 'start' | 'end'> & { pages?: number; gap?: number })[],
): FixtureMapping[] {
  let at = base;
  return specs.map(({ pages = 1, gap = 0, ...rest }) => {
    at += BigInt(gap) * PAGE;
    const m = { ...rest, start: at, end: at + BigInt(pages) * PAGE };
    at = m.end;
    return m;
  });
}

function regions(mappings: FixtureMapping[], options: Partial<RegionOptions> = {}): Region[] {
  const scanner = new SmapsScanner();
  scanner.feed(smapsText(mappings));
  return regionsFromSmaps(scanner, {
    images: executableFiles(scanner),
    stackPointers: new Map(),
    pid: 100,
    includeFree: false,
    userEnd: 0x800000000000,
    ...options,
  });
}

describe('regionsFromSmaps', () => {
  it('maps state, protection and committed bytes from perms', () => {
    const [none, ro, rw, rx, rwx] = regions(
      layout(0x10000n, [
        { perms: '---p' },
        { perms: 'r--p', gap: 1 },
        { perms: 'rw-p', gap: 1 },
        { perms: 'r-xp', gap: 1 },
        { perms: 'rwxp', gap: 1 },
      ]),
    );
    expect(none).toMatchObject({ state: 'reserved', protect: 'PAGE_NOACCESS', committed: 0 });
    expect(ro).toMatchObject({ state: 'committed', protect: 'PAGE_READONLY', committed: 4096 });
    expect(rw).toMatchObject({ protect: 'PAGE_READWRITE' });
    expect(rx).toMatchObject({ protect: 'PAGE_EXECUTE_READ' });
    expect(rwx).toMatchObject({ protect: 'PAGE_EXECUTE_READWRITE' });
  });

  it('groups the segments of one file into one image allocation, and not the .bss after it', () => {
    const rs = regions(
      layout(0x7f0000000000n, [
        { perms: 'r--p', ...LIBC },
        { perms: 'r-xp', ...LIBC, offset: 0x1000 },
        { perms: 'rw-p', ...LIBC, offset: 0x2000, kb: { Rss: 4, Anonymous: 4, Private_Dirty: 4 } },
        { perms: 'rw-p' },
        { perms: 'r--p', ...DATA, kb: { Rss: 4, Shared_Clean: 4 } },
      ]),
    );
    const base = rs[0]!.base;
    expect(
      rs.slice(0, 3).map((r) => [r.type, r.kind, r.allocationBase, r.allocationProtect]),
    ).toEqual([
      ['image', 'image', base, 'PAGE_READONLY'],
      ['image', 'image', base, 'PAGE_READONLY'],
      ['image', 'image', base, 'PAGE_READONLY'],
    ]);
    // Grouped by inference, and said so; the .bss and the data file are allocations of their own.
    expect(rs.map((r) => r.allocationRule)).toEqual([
      'same-file',
      'same-file',
      'same-file',
      undefined,
      undefined,
    ]);
    // A copied-on-write page is resident but no longer shareable.
    expect(rs[2]!.workingSet).toMatchObject({ total: 4096, private: 4096, shareable: 0 });
    expect(rs[3]).toMatchObject({
      type: 'private',
      kind: 'privateData',
      allocationBase: rs[3]!.base,
    });
    expect(rs[4]).toMatchObject({
      type: 'mapped',
      kind: 'mappedFile',
      path: '/var/data.bin',
      allocationBase: rs[4]!.base,
    });
    expect(rs[4]!.workingSet).toMatchObject({ total: 4096, shareable: 4096, shared: 4096 });
  });

  it('joins a guard page with the stack above it and a reserved tail with the arena below it', () => {
    const rs = regions(
      layout(0x7f0000000000n, [
        { perms: '---p' }, // guard of thread 201's stack
        { perms: 'rw-p', pages: 4 }, // the stack
        { perms: '---p' }, // guard of the next stack
        { perms: 'rw-p', pages: 4 },
        { perms: 'rw-p', pages: 2, gap: 4, vmFlags: 'rd wr mr mw me' }, // an arena: committed part
        { perms: '---p', pages: 8 }, // and its reserved tail
        { perms: 'rw-p', gap: 2, vmFlags: 'rd wr' }, // two accessible neighbours stay apart
        { perms: 'rw-p' },
      ]),
      { stackPointers: new Map([[201, 0x7f0000002100]]) },
    );
    const bases = rs.map((r) => r.base);
    expect(rs.map((r) => r.allocationBase)).toEqual([
      bases[0],
      bases[0],
      bases[2],
      bases[2],
      bases[4],
      bases[4],
      bases[6],
      bases[7],
    ]);
    // The rule that grouped each: a guard below, a reserved tail above; none for lone mappings.
    expect(rs.map((r) => r.allocationRule)).toEqual([
      'guard',
      'guard',
      'guard',
      'guard',
      'reserve-tail',
      'reserve-tail',
      undefined,
      undefined,
    ]);
    expect(rs.slice(0, 2).map((r) => [r.kind, r.threadId, r.details])).toEqual([
      ['stack', 201, 'thread 201'],
      ['stack', 201, 'thread 201'],
    ]);
    expect(rs[3]).toMatchObject({ kind: 'privateData' });
    expect(rs[3]!.threadId).toBeUndefined();
  });

  it('classifies the special mappings, shared memory and the heap', () => {
    const rs = regions(
      layout(0x7f0000000000n, [
        { perms: 'rw-p', path: '[heap]' },
        { perms: 'rw-s', path: '/dev/zero (deleted)', inode: 5, kb: { Rss: 4, Shared_Dirty: 4 } },
        { perms: 'rw-s', path: '/memfd:pool (deleted)', inode: 6 },
        { perms: 'rw-s', path: '/SYSV0000abcd (deleted)', inode: 7 },
        { perms: 'rw-p', path: '[anon:v8 heap]' },
        { perms: 'r--p', path: '[vvar]' },
        { perms: 'r-xp', path: '[vdso]' },
        { perms: 'rw-p', path: '[stack]' },
      ]),
    );
    expect(rs.map((r) => [r.type, r.kind, r.path, r.details])).toEqual([
      ['private', 'heap', null, 'brk heap'],
      ['mapped', 'shareable', null, 'shared anonymous memory'],
      ['mapped', 'shareable', '/memfd:pool', 'memfd pool'],
      ['mapped', 'shareable', '/SYSV0000abcd', 'System V shared memory key 0x0000abcd'],
      ['private', 'privateData', null, 'v8 heap'],
      ['mapped', 'other', null, '[vvar]'],
      ['image', 'other', null, '[vdso]'],
      ['private', 'stack', null, 'thread 100'],
    ]);
    expect(rs[1]!.workingSet).toMatchObject({ total: 4096, shareable: 4096, shared: 4096 });
    expect(rs[7]!.threadId).toBe(100);
  });

  it('fills the gaps of the user range with free regions and keeps [vsyscall] exact above it', () => {
    const rs = regions(
      [
        ...layout(0x10000n, [{ perms: 'r--p' }]),
        { start: 0xffffffffff600000n, end: 0xffffffffff601000n, perms: '--xp', path: '[vsyscall]' },
      ],
      { includeFree: true, userEnd: 0x800000000000 },
    );
    expect(rs.map((r) => [r.base, r.size, r.state])).toEqual([
      ['0x0', 0x10000, 'free'],
      ['0x10000', 0x1000, 'committed'],
      ['0x11000', 0x800000000000 - 0x11000, 'free'],
      ['0xffffffffff600000', 0x1000, 'committed'],
    ]);
    expect(rs[0]).toMatchObject({ allocationBase: null, type: null, kind: 'free', committed: 0 });
  });
  it('gives every mapping its own region.linux values, whether a field varies or not', () => {
    // Rss varies; Swap is 0 everywhere; Referenced is absent everywhere (counted as 0); Locked is
    // absent in one mapping only; the gap between the first two is a free region without them.
    const mappings = layout(0x10000n, [
      { perms: 'rw-p', kb: { Rss: 4 }, omit: ['Referenced'] },
      { perms: 'r--p', kb: { Rss: 0 }, omit: ['Referenced', 'Locked'], gap: 2, ...DATA },
      { perms: 'rw-p', kb: { Rss: 8 }, omit: ['Referenced'], offset: 0x1000, ...DATA },
    ]);
    const all = regions(mappings, { includeFree: true });
    const mapped = all.filter((r) => r.linux);
    expect(mapped.map((r) => r.linux!.rss)).toEqual([4096, 0, 8192]);
    expect(mapped.map((r) => r.linux!.swap)).toEqual([0, 0, 0]);
    expect(mapped.map((r) => r.linux!.referenced)).toEqual([0, 0, 0]);
    expect(mapped.map((r) => r.linux!.locked)).toEqual([0, undefined, 0]);
    expect(mapped.map((r) => r.linux!.perms)).toEqual(['rw-p', 'r--p', 'rw-p']);
    expect(mapped.map((r) => r.linux!.inode)).toEqual([0, 88, 88]);
    expect(mapped.map((r) => r.linux!.offset)).toEqual([0, 0, 0x1000]);
    expect(mapped.map((r) => r.linux!.kernelPageSize)).toEqual([4096, 4096, 4096]);
    expect(mapped.every((r) => !('pssAnon' in r.linux!))).toBe(true);
    expect(all.filter((r) => r.state === 'free').every((r) => r.linux === undefined)).toBe(true);
  });

  it('finds a field that differs only in the last mapping of many, or only in the first', () => {
    // More mappings than one block of rows (rowBlocks.ts): KSM differs in the last one alone;
    // Referenced is absent in the first alone (counted as 0, like the others' 0); Locked too
    // (left out there, 0 in the others).
    const count = 5000;
    const mappings = layout(
      0x10000n,
      Array.from({ length: count }, (_, i) => ({
        perms: i % 2 ? 'r--p' : 'rw-p',
        kb: { KSM: i === count - 1 ? 4 : 0, Referenced: 0, Locked: 0 },
        omit: i === 0 ? ['Referenced', 'Locked'] : [],
      })),
    );
    const linux = regions(mappings).map((r) => r.linux!);
    expect(linux).toHaveLength(count);
    expect(linux.filter((l) => l.ksm !== 0).map((l) => l.ksm)).toEqual([4096]);
    expect(linux[count - 1]!.ksm).toBe(4096);
    expect(linux.every((l) => l.referenced === 0)).toBe(true);
    expect(linux[0]!.locked).toBeUndefined();
    expect(linux.slice(1).every((l) => l.locked === 0)).toBe(true);
  });
});
