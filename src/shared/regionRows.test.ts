import { describe, expect, it } from 'vitest';
import { groupAllocations } from './allocations';
import type { Region } from './model';
import { regionListOf } from './regionList';
import { buildRows, selectedRegions } from './regionRows';

const region = (
  base: number,
  size: number,
  allocationBase: number | null,
  kind: Region['kind'] = 'privateData',
): Region => ({
  base: `0x${base.toString(16)}`,
  size,
  allocationBase: allocationBase === null ? null : `0x${allocationBase.toString(16)}`,
  state: allocationBase === null ? 'free' : 'committed',
  protect: 'PAGE_READWRITE',
  allocationProtect: 'PAGE_READWRITE',
  type: allocationBase === null ? null : 'private',
  kind: allocationBase === null ? 'free' : kind,
  committed: allocationBase === null ? 0 : size,
  workingSet: { total: size, private: size, shareable: 0, shared: 0, locked: 0 },
  path: null,
  details: null,
});

const regions = regionListOf([
  region(0x1000, 0x1000, 0x1000),
  region(0x2000, 0x3000, 0x1000),
  region(0x5000, 0xb000, null),
  region(0x10000, 0x8000, 0x10000, 'heap'),
]);
const allocations = groupAllocations(regions.columns);
const all = () => true;

describe('the region table rows', () => {
  it('show one row per allocation, and its regions when expanded', () => {
    const collapsed = buildRows(
      regions,
      allocations,
      all,
      { key: 'address', descending: false },
      new Set(),
    );
    expect(collapsed.map((r) => r.type)).toEqual(['allocation', 'allocation', 'allocation']);
    expect(collapsed[0]).toMatchObject({ expandable: true });
    expect(collapsed[1]).toMatchObject({ expandable: false });
    const open = buildRows(
      regions,
      allocations,
      all,
      { key: 'address', descending: false },
      new Set([0]),
    );
    expect(open.map((r) => (r.type === 'region' ? r.region : `a${r.allocation}`))).toEqual([
      'a0',
      0,
      1,
      'a1',
      'a2',
    ]);
  });

  it('sort allocations by a column, largest first when descending', () => {
    const rows = buildRows(regions, allocations, all, { key: 'size', descending: true }, new Set());
    expect(rows.map((r) => r.allocation)).toEqual([1, 2, 0]);
    const byKind = buildRows(
      regions,
      allocations,
      all,
      { key: 'kind', descending: false },
      new Set(),
    );
    expect(byKind.map((r) => allocations[r.allocation]!.kind)).toEqual([
      'free',
      'heap',
      'privateData',
    ]);
  });

  it('keep address order among equal keys, also when descending', () => {
    const byState = buildRows(
      regions,
      allocations,
      all,
      { key: 'state', descending: true },
      new Set(),
    );
    expect(byState.map((r) => r.allocation)).toEqual([1, 0, 2]);
    const ascending = buildRows(
      regions,
      allocations,
      null,
      { key: 'state', descending: false },
      new Set(),
    );
    expect(ascending.map((r) => r.allocation)).toEqual([0, 2, 1]);
  });

  it('keep an allocation when any of its regions matches, showing only the matches', () => {
    const rows = buildRows(
      regions,
      allocations,
      (i) => regions.at(i)!.size === 0x3000,
      { key: 'address', descending: false },
      new Set([0]),
    );
    expect(rows).toEqual([
      { type: 'allocation', allocation: 0, regions: [1], expandable: true },
      { type: 'region', allocation: 0, region: 1 },
    ]);
  });

  it('count each selected region once for the sum', () => {
    const rows = buildRows(
      regions,
      allocations,
      all,
      { key: 'address', descending: false },
      new Set([0]),
    );
    // The allocation row and one of its own regions: regions 0 and 1, not 1 twice.
    expect([...selectedRegions(rows, new Set([0, 2]))].sort()).toEqual([0, 1]);
  });
});
