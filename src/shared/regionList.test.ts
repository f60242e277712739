import { describe, expect, it } from 'vitest';
import { region } from '../../test/support/regionFixture';
import { SNAPSHOT_META } from '../../test/support/snapshotFixture';
import { groupAllocations } from './allocations';
import type { Snapshot } from './model';
import { baseBigint, regionList, regionListOf } from './regionList';
import { decodeSnapshot, encodeSnapshot } from './snapshotCodec';

/** 600 regions (more than two blocks): one-page allocations of three regions each, Linux extras on some. */
const regions = Array.from({ length: 600 }, (_, i) =>
  region(0x7f0000000000 + i * 0x1000, 0x1000, {
    allocationBase: `0x${(0x7f0000000000 + Math.floor(i / 3) * 0x3000).toString(16)}`,
    path: i % 7 === 0 ? `/lib/x${i % 5}.so` : null,
    ...(i % 2 === 0
      ? {
          linux: {
            ...{ perms: 'rw-p', vmFlags: ['rd', 'wr'], offset: 0, device: '00:00', inode: 0 },
            ...{ pss: i * 4, swap: 0, anonymous: 0x1000, referenced: 0x1000 },
          },
        }
      : {}),
  }),
);
const snapshot: Snapshot = { ...SNAPSHOT_META, regions };

describe('the region list', () => {
  it('reads a decoded snapshot’s regions from its columns, each equal to the original, without building the rest', () => {
    const decoded = decodeSnapshot(encodeSnapshot(snapshot));
    const list = regionList(decoded);
    expect(list.length).toBe(600);
    for (const i of [0, 255, 256, 599]) expect(list.at(i)).toEqual(regions[i]);
    expect(list.at(5)).toBe(list.at(5)); // built once, kept
    expect(list.at(600)).toBeUndefined();
    expect(list.at(-1)).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(decoded, 'regions')?.get).toBeTypeOf('function');
    expect(regionList(decoded)).toBe(list);
    expect(baseBigint(list.columns, 599)).toBe(0x7f0000000000n + 599n * 0x1000n);
  });

  it('groups the same allocations from columns as from the Region array', () => {
    const fromColumns = groupAllocations(
      regionList(decodeSnapshot(encodeSnapshot(snapshot))).columns,
    );
    expect(fromColumns).toHaveLength(200);
    expect(fromColumns).toEqual(groupAllocations(regions));
    expect(fromColumns[1]).toMatchObject({
      first: 3,
      count: 3,
      base: '0x7f0000003000',
      size: 0x3000,
    });
  });

  it('wraps a Region array, handing out its own objects', () => {
    const list = regionListOf(regions);
    expect(list.at(7)).toBe(regions[7]);
    expect(list.columns.count).toBe(600);
  });
});
