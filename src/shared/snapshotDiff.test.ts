import { describe, expect, it } from 'vitest';
import { region } from '../../test/support/regionFixture';
import type { Region, Snapshot } from './model';
import { diffSnapshots } from './snapshotDiff';

const snap = (regions: Region[], takenAt: string): Snapshot =>
  ({
    format: 'vmscope-snapshot',
    version: 2,
    takenAt,
    source: 'linux',
    process: { pid: 1, name: 'p', path: null, commandLine: null },
    regions,
  }) as Snapshot;

describe('comparing two snapshots', () => {
  const a = snap(
    [
      region(0x10000, 0x1000),
      region(0x20000, 0x4000, {
        workingSet: { total: 0x1000, private: 0x1000, shareable: 0, shared: 0, locked: 0 },
      }),
      region(0x30000, 0x1000, { kind: 'heap' }),
      region(0x40000, 0x10000, {
        state: 'free',
        kind: 'free',
        type: null,
        committed: 0,
        allocationBase: null,
      }),
    ],
    '2026-01-01T00:00:00Z',
  );
  const b = snap(
    [
      region(0x10000, 0x1000),
      region(0x20000, 0x4000, {
        protect: 'PAGE_READONLY',
        workingSet: { total: 0x4000, private: 0x4000, shareable: 0, shared: 0, locked: 0 },
      }),
      region(0x50000, 0x100000, { kind: 'mappedFile', type: 'mapped', path: '/data' }),
    ],
    '2026-01-01T00:01:00Z',
  );
  const diff = diffSnapshots(a, b);

  it('finds added, removed and changed regions and leaves free gaps out', () => {
    expect(diff.counts).toEqual({
      added: 1,
      removed: 1,
      changed: 1,
      unchanged: 1,
      grew: 0,
      shrank: 0,
      moved: 0,
      protection: 1,
      touched: 0,
    });
    const changed = diff.changes.find((c) => c.change === 'changed')!;
    expect(changed.base).toBe('0x20000');
    expect(changed.category).toBe('protection');
    expect(changed.fields).toEqual(['protect', 'workingSet']);
    expect(changed.workingSetDelta).toBe(0x3000);
  });

  it('sorts changes by the bytes they move', () => {
    expect(diff.changes.map((c) => [c.change, c.base])).toEqual([
      ['added', '0x50000'],
      ['changed', '0x20000'],
      ['removed', '0x30000'],
    ]);
  });

  it('gives the summary by kind as deltas', () => {
    const kind = (k: string) => diff.kinds.find((d) => d.kind === k);
    expect(kind('mappedFile')).toMatchObject({ size: 0x100000, committed: 0x100000, blocks: 1 });
    expect(kind('heap')).toMatchObject({ size: -0x1000, blocks: -1 });
    expect(kind('total')).toMatchObject({ committed: 0x100000 - 0x1000, wsTotal: 0x3000 });
  });

  it('reports a mapping merged into the region above it as one growth, by the bytes it grew', () => {
    const MiB = 1024 * 1024;
    const grown = diffSnapshots(
      snap([region(0x7f0001400000n, 44 * MiB)], '2026-01-01T00:00:00Z'),
      snap([region(0x7f0000000000n, 64 * MiB)], '2026-01-01T00:01:00Z'),
    );
    expect(grown.counts).toMatchObject({ added: 0, removed: 0, changed: 1, grew: 1 });
    expect(grown.changes).toHaveLength(1);
    expect(grown.changes[0]).toMatchObject({
      change: 'changed',
      category: 'grew',
      base: '0x7f0000000000',
      sizeDelta: 20 * MiB,
      committedDelta: 20 * MiB,
      fields: ['size', 'committed'],
      beforeSpan: { base: '0x7f0001400000', size: 44 * MiB, regions: 1 },
      afterSpan: { base: '0x7f0000000000', size: 64 * MiB, regions: 1 },
    });
  });

  it('finds nothing between a snapshot and itself', () => {
    expect(diffSnapshots(a, a).changes).toEqual([]);
  });
});
