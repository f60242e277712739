import { describe, expect, it } from 'vitest';
import { region } from '../../test/support/regionFixture';
import { SNAPSHOT_META } from '../../test/support/snapshotFixture';
import type { Region } from './model';
import { decodeSnapshot, encodeSnapshot, isSnapshot } from './snapshotCodec';
import {
  columnsFromRegions,
  regionColumnsOf,
  regionCount,
  regionsFromColumns,
  snapshotFromColumns,
  snapshotWithoutRegions,
} from './snapshotColumns';
import { snapshotCsv, snapshotToCsv } from './snapshotCsv';

const linux = (over: Record<string, unknown> = {}) => ({
  perms: 'rw-p',
  vmFlags: ['rd', 'wr', 'mr'],
  offset: 0,
  device: '00:00',
  inode: 0,
  pss: 2048.5,
  swap: 0,
  anonymous: 4096,
  referenced: 4096,
  rss: 4096,
  ksm: undefined,
  ...over,
});

const regions: Region[] = [
  region(0, 0x10000, {
    allocationBase: null,
    state: 'free',
    protect: 'PAGE_NOACCESS',
    allocationProtect: null,
    type: null,
    kind: 'free',
    committed: 0,
  }),
  {
    base: '0x10000',
    size: 8192,
    allocationBase: '0x10000',
    state: 'committed',
    protect: 'PAGE_READWRITE',
    allocationProtect: 'PAGE_READWRITE',
    type: 'mapped',
    kind: 'mappedFile',
    committed: 8192,
    workingSet: { total: 4096, private: 0, shareable: 4096, shared: 4096, locked: 0 },
    path: '/data/a "quoted", file',
    details: null,
    linux: linux({ perms: 'rw-s', device: 'fd:01', inode: 77 }),
  },
  // Above 2^53: region() spells the address from a bigint exactly.
  region(0xffffffffff600000n, 4096, {
    protect: 'PAGE_EXECUTE',
    allocationProtect: 'PAGE_EXECUTE',
    type: 'mapped',
    kind: 'other',
    details: '[vsyscall]',
    linux: linux({ perms: '--xp', vmFlags: [] }),
    threadId: 4242,
  }),
];

const rest = SNAPSHOT_META;

/** What the eager objects look like once undefined fields are dropped (as JSON and decoding drop them). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('region columns', () => {
  it('give back the same regions, as plain data objects', () => {
    const back = regionsFromColumns(columnsFromRegions(regions));
    expect(back).toEqual(plain(regions));
    expect(JSON.stringify(back)).toBe(JSON.stringify(regions));
    // No accessor anywhere: an accessor per region gave each its own hidden class.
    for (const r of back)
      for (const o of [r, r.workingSet, r.linux ?? {}])
        for (const d of Object.values(Object.getOwnPropertyDescriptors(o)))
          expect(d.get).toBeUndefined();
    // Regions with the same VmFlags share one frozen list.
    const again = regionsFromColumns(columnsFromRegions([regions[1]!, regions[1]!]));
    expect(again[0]!.linux!.vmFlags).toBe(again[1]!.linux!.vmFlags);
    expect(Object.isFrozen(again[0]!.linux!.vmFlags)).toBe(true);
    const built = back[1]!.linux!;
    const eager = plain(regions[1]!.linux!);
    expect(Object.keys(built)).toEqual(Object.keys(eager));
    expect(Object.entries(built)).toEqual(Object.entries(eager));
    expect({ ...built }).toEqual(eager);
    expect('perms' in built && !('ksm' in built)).toBe(true);
    expect(built.vmFlags).toEqual(['rd', 'wr', 'mr']);
    expect(back[2]!.linux!.vmFlags).toEqual([]);
    built['note'] = 'kept';
    expect(built['note']).toBe('kept');
    expect(back[0]!.linux).toBeUndefined();
  });

  it('give neighbours with the same working set one frozen object, and others their own', () => {
    const ws = { total: 4096, private: 4096, shareable: 0, shared: 0, locked: 0 };
    const other = { ...ws, total: 8192, private: 8192 };
    const source = [ws, ws, ws, other, ws].map((workingSet, i) => ({
      ...regions[1]!,
      base: `0x${(0x10000 + i * 0x2000).toString(16)}`,
      workingSet: { ...workingSet },
    }));
    const back = regionsFromColumns(columnsFromRegions(source));
    expect(back.map((r) => r.workingSet)).toEqual([ws, ws, ws, other, ws]);
    expect(back[1]!.workingSet).toBe(back[0]!.workingSet);
    expect(back[2]!.workingSet).toBe(back[0]!.workingSet);
    expect(Object.isFrozen(back[0]!.workingSet)).toBe(true);
    expect(back[3]!.workingSet).not.toBe(back[2]!.workingSet);
    expect(back[4]!.workingSet).not.toBe(back[0]!.workingSet);
    // One region's working set cannot be changed for its neighbours; an unshared one can.
    expect(() => {
      (back[0]!.workingSet as { total: number }).total = 1;
    }).toThrow(TypeError);
    expect(Object.isFrozen(back[3]!.workingSet)).toBe(false);
    expect(JSON.stringify(back)).toBe(JSON.stringify(source));
  });

  it("give regions that a structured clone carries whole, as the service worker's results are carried", () => {
    const back = regionsFromColumns(columnsFromRegions(regions));
    expect(structuredClone(back)).toEqual(plain(regions));
    back[1]!.linux = { perms: 'r--p' } as unknown as NonNullable<Region['linux']>;
    expect(structuredClone(back[1])!.linux).toEqual({ perms: 'r--p' });
  });

  it('make a snapshot whose regions are built on first read, and that encodes and writes CSV from the columns', () => {
    const columns = columnsFromRegions(regions);
    const snapshot = snapshotFromColumns(rest, columns);
    // Neither checking, counting, encoding nor CSV builds the regions.
    expect(isSnapshot(snapshot)).toBe(true);
    expect(regionCount(snapshot)).toBe(3);
    const encoded = encodeSnapshot(snapshot);
    const csv = new TextDecoder().decode(snapshotCsv(snapshot));
    expect(snapshotWithoutRegions(snapshot)).toEqual(rest);
    expect(Object.getOwnPropertyDescriptor(snapshot, 'regions')?.get).toBeDefined();
    // The same results as from the objects.
    expect(decodeSnapshot(encoded)).toEqual(decodeSnapshot(encodeSnapshot({ ...rest, regions })));
    expect(csv).toBe(snapshotToCsv(regions));
    expect(csv.split('\r\n')[2]).toBe(
      '0x10000,8192,0x10000,committed,PAGE_READWRITE,mapped,mappedFile,8192,4096,0,4096,4096,0,"/data/a ""quoted"", file",',
    );
    expect(csv.split('\r\n')[3]).toMatch(/^0xffffffffff600000,4096,0xffffffffff600000,/);
    // First read: an ordinary array from then on.
    expect(snapshot.regions).toEqual(plain(regions));
    expect(Object.getOwnPropertyDescriptor(snapshot, 'regions')?.value).toBe(snapshot.regions);
    expect(plain(snapshot)).toEqual(plain({ ...rest, regions }));
  });

  it('drop the columns when the regions are replaced, so nothing reads stale columns', () => {
    const snapshot = snapshotFromColumns(rest, columnsFromRegions(regions));
    snapshot.regions = regions.slice(0, 1);
    expect(regionColumnsOf(snapshot)).toBeUndefined();
    expect(regionCount(snapshot)).toBe(1);
    expect(new TextDecoder().decode(snapshotCsv(snapshot))).toBe(
      snapshotToCsv(regions.slice(0, 1)),
    );
  });
});
