import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/shared/model';
import { decodeSnapshot, encodeSnapshot } from '../../src/shared/snapshotCodec';
import { parseSnapshotCsv, snapshotCsv, snapshotToCsv } from '../../src/shared/snapshotCsv';
import { parseSnapshotJson, snapshotToJson } from '../../src/shared/snapshotJson';
import { region } from '../support/regionFixture';
import { SNAPSHOT_META } from '../support/snapshotFixture';

const regions = [
  region(0x10000, 0x10000, { state: 'free', kind: 'free', allocationBase: null, type: null }),
  region(0x20000, 0x3000),
];
const truncated = {
  at: '0x23000',
  reason: 'VirtualQueryEx failed 3 times at 0x23000: Windows error 5.\nAccess is denied.',
};
const cut: Snapshot = { ...SNAPSHOT_META, regions, truncated };

describe('a truncated snapshot in every export', () => {
  it('keeps `truncated` through JSON, and opens files written before the field existed', () => {
    const json = snapshotToJson(cut);
    expect(JSON.parse(json).truncated).toEqual(truncated);
    expect(parseSnapshotJson(json).truncated).toEqual(truncated);
    const old = parseSnapshotJson(snapshotToJson({ ...SNAPSHOT_META, regions }));
    expect(old.truncated).toBeUndefined();
    expect(() =>
      parseSnapshotJson(snapshotToJson({ ...cut, truncated: { at: 'top', reason: '' } })),
    ).toThrow(/truncated\.at/);
  });

  it('ends the CSV with a # line that says where and why, which the CSV reader skips', () => {
    const line =
      '# truncated at 0x23000: VirtualQueryEx failed 3 times at 0x23000: Windows error 5. Access is denied.';
    for (const csv of [
      new TextDecoder().decode(snapshotCsv(cut)),
      snapshotToCsv(regions, truncated),
    ]) {
      const lines = csv.split('\r\n');
      expect(lines.at(-2)).toBe(line);
      expect(lines.at(-1)).toBe('');
      expect(parseSnapshotCsv(csv)).toHaveLength(2);
    }
    expect(new TextDecoder().decode(snapshotCsv({ ...SNAPSHOT_META, regions }))).not.toContain('#');
  });

  it('keeps `truncated` through the columnar codec the UI receives', () => {
    expect(decodeSnapshot(encodeSnapshot(cut)).truncated).toEqual(truncated);
  });
});
