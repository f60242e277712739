import { describe, expect, it } from 'vitest';
import type { Region } from '../../src/shared/model';
import { csvRegion, parseSnapshotCsv, snapshotToCsv } from '../../src/shared/snapshotCsv';

const region = (over: Partial<Region>): Region =>
  ({
    base: '0x10000',
    size: 0x3000,
    allocationBase: '0x10000',
    allocationProtect: 'RW',
    state: 'committed',
    protect: 'RW',
    type: 'private',
    kind: 'heap',
    committed: 0x2000,
    workingSet: { total: 0x2000, private: 0x1000, shareable: 0x1000, shared: 0x800, locked: 0 },
    path: 'C:\\a "quoted", path',
    ...over,
  }) as Region;

describe('parseSnapshotCsv reads each column by the field catalog', () => {
  it('reads back what snapshotToCsv wrote, nulls and working-set fields included', () => {
    const regions = [
      region({}),
      region({ base: '0x20000', allocationBase: null, type: null, protect: null, path: null }),
    ];
    expect(parseSnapshotCsv(snapshotToCsv(regions))).toEqual(regions.map(csvRegion));
  });

  it.each([
    ['size', 'x12', /line 2: size must be a whole number of bytes, got "x12"/],
    ['base', '', /line 2: base must be a 0x hex address, got ""/],
    ['state', 'asleep', /line 2: state "asleep" is not one of free, reserved, committed/],
    ['wsShared', '-1', /wsShared must be a whole number of bytes/],
  ])('refuses a bad %s cell with a malformed-file error that names it', (column, value, why) => {
    const [header, row] = snapshotToCsv([region({ path: null })]).split('\r\n');
    const cells = row!.split(',');
    cells[header!.split(',').indexOf(column)] = value;
    expect(() => parseSnapshotCsv(`${header}\r\n${cells.join(',')}\r\n`)).toThrow(
      expect.objectContaining({ code: 'malformed-file', message: expect.stringMatching(why) }),
    );
  });
});
