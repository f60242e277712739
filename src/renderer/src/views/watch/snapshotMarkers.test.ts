import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../../shared/model';
import type { StoredSnapshot } from '../../snapshotStore';
import { lastTwoOf, snapshotMarkers } from './snapshotMarkers';

const stored = (
  id: number,
  pid: number,
  source: Snapshot['source'],
  takenAt: string,
  origin: StoredSnapshot['origin'] = 'live',
): StoredSnapshot => ({
  id,
  origin,
  snapshot: { process: { pid }, source, takenAt } as unknown as Snapshot,
});

describe('snapshot markers', () => {
  const entries = [
    stored(1, 10, 'linux', '2026-12-01T10:00:00.000Z'),
    stored(2, 11, 'linux', '2026-12-01T10:00:01.000Z'),
    stored(3, 10, 'simulated', '2026-12-01T10:00:02.000Z'),
    stored(4, 10, 'linux', '2026-12-01T10:00:03.500Z'),
    stored(5, 10, 'linux', '2026-12-01T10:00:04.000Z', 'file'),
  ];

  it('marks only live snapshots of the watched processes on their source, at their time', () => {
    expect(snapshotMarkers(entries, [10], 'linux')).toEqual([
      { time: Date.parse('2026-12-01T10:00:00.000Z'), label: 'snapshot #1 (PID 10)' },
      { time: Date.parse('2026-12-01T10:00:03.500Z'), label: 'snapshot #4 (PID 10)' },
    ]);
    expect(snapshotMarkers(entries, [10, 11], undefined).map((m) => m.label)).toEqual([
      'snapshot #1 (PID 10)',
      'snapshot #2 (PID 11)',
      'snapshot #3 (PID 10)',
      'snapshot #4 (PID 10)',
    ]);
  });

  it('compares the two latest live snapshots of one process, oldest first', () => {
    expect(lastTwoOf(entries, 10, 'linux')?.map((e) => e.id)).toEqual([1, 4]);
    expect(lastTwoOf(entries, 11, 'linux')).toBeNull();
  });
});
