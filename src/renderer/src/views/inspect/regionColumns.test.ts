import { describe, expect, it } from 'vitest';
import { groupAllocations } from '../../../../shared/allocations';
import { regionList } from '../../../../shared/regionList';
import { buildRows } from '../../../../shared/regionRows';
import { decodeSnapshot, encodeSnapshot } from '../../../../shared/snapshotCodec';
import { inspectorList, inspectorSnapshot } from './inspectorFixture';
import { cellText, columnsFor } from './regionColumns';

describe('the region table’s cells', () => {
  it('read the same from a decoded snapshot’s columns as from its Region objects', () => {
    const decoded = decodeSnapshot(encodeSnapshot(inspectorSnapshot));
    const columnar = regionList(decoded);
    const allocations = groupAllocations(columnar.columns);
    const sort = { key: 'address' as const, descending: false };
    const rows = buildRows(columnar, allocations, null, sort, new Set([0]));
    const cells = (list: typeof columnar) =>
      rows.map((row) => columnsFor('windows').map((c) => cellText(c, row, list, allocations)));
    expect(cells(columnar)).toEqual(cells(inspectorList));
    expect(cells(columnar)[0]![0]).toMatch(/^0x0*10000$/);
    // The snapshot's own Region array was never built to draw them.
    expect(Object.getOwnPropertyDescriptor(decoded, 'regions')?.get).toBeTypeOf('function');
  });
});
