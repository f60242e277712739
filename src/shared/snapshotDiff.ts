import { REGION_KINDS, type Region, type RegionKind, type Snapshot } from './model';
import { WORKING_SET_MEASURES } from './regionFields';
import { type KindSummary, summarizeByKind } from './summary';

/** What changed in one region that exists in both snapshots (same base address). */
export const CHANGE_FIELDS = ['size', 'state', 'protect', 'committed', 'workingSet'] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];

export interface RegionChange {
  change: 'added' | 'removed' | 'changed';
  base: string;
  /** The region before (absent when added) and after (absent when removed). */
  before?: Region;
  after?: Region;
  fields: ChangeField[];
  /** Bytes this change moves: committed and working-set deltas, or the region's own size for a new reservation. */
  impact: number;
  committedDelta: number;
  workingSetDelta: number;
}

export interface KindDelta {
  kind: RegionKind | 'total';
  size: number;
  committed: number;
  private: number;
  wsTotal: number;
  blocks: number;
}

export interface SnapshotDiff {
  before: { takenAt: string; pid: number; name: string; source: string };
  after: { takenAt: string; pid: number; name: string; source: string };
  changes: RegionChange[];
  kinds: KindDelta[];
  counts: { added: number; removed: number; changed: number; unchanged: number };
}

const wsChanged = (a: Region, b: Region): boolean => WORKING_SET_MEASURES.some((m) => m.value(a) !== m.value(b));

function impactOf(committedDelta: number, workingSetDelta: number, sizeDelta: number): number {
  return Math.abs(committedDelta) + Math.abs(workingSetDelta) + (committedDelta === 0 && workingSetDelta === 0 ? Math.abs(sizeDelta) : 0);
}

/**
 * Regions added, removed and changed between two snapshots, matched by base address (free gaps
 * are left out: they change whenever anything else does), sorted by how many bytes each change
 * moves; and the summary by kind as deltas.
 */
export function diffSnapshots(a: Snapshot, b: Snapshot): SnapshotDiff {
  const used = (s: Snapshot): Map<string, Region> => new Map(s.regions.filter((r) => r.state !== 'free').map((r) => [r.base, r]));
  const before = used(a);
  const after = used(b);
  const changes: RegionChange[] = [];
  let unchanged = 0;
  for (const [base, x] of before) {
    const y = after.get(base);
    if (!y) {
      changes.push({
        change: 'removed',
        base,
        before: x,
        fields: [],
        committedDelta: -x.committed,
        workingSetDelta: -x.workingSet.total,
        impact: impactOf(-x.committed, -x.workingSet.total, -x.size),
      });
      continue;
    }
    const fields: ChangeField[] = [];
    if (x.size !== y.size) fields.push('size');
    if (x.state !== y.state) fields.push('state');
    if (x.protect !== y.protect) fields.push('protect');
    if (x.committed !== y.committed) fields.push('committed');
    if (wsChanged(x, y)) fields.push('workingSet');
    if (fields.length === 0) {
      unchanged += 1;
      continue;
    }
    const committedDelta = y.committed - x.committed;
    const workingSetDelta = y.workingSet.total - x.workingSet.total;
    changes.push({
      change: 'changed',
      base,
      before: x,
      after: y,
      fields,
      committedDelta,
      workingSetDelta,
      impact: impactOf(committedDelta, workingSetDelta, y.size - x.size),
    });
  }
  for (const [base, y] of after) {
    if (before.has(base)) continue;
    changes.push({
      change: 'added',
      base,
      after: y,
      fields: [],
      committedDelta: y.committed,
      workingSetDelta: y.workingSet.total,
      impact: impactOf(y.committed, y.workingSet.total, y.size),
    });
  }
  changes.sort((p, q) => q.impact - p.impact || (p.base < q.base ? -1 : 1));

  const sa = new Map(summarizeByKind(a.regions).map((k) => [k.kind, k]));
  const sb = new Map(summarizeByKind(b.regions).map((k) => [k.kind, k]));
  const zero = { size: 0, committed: 0, private: 0, wsTotal: 0, blocks: 0 } as KindSummary;
  const kinds: KindDelta[] = [];
  for (const kind of [...REGION_KINDS, 'total'] as const) {
    if (!sa.has(kind) && !sb.has(kind)) continue;
    const x = sa.get(kind) ?? zero;
    const y = sb.get(kind) ?? zero;
    kinds.push({
      kind,
      size: y.size - x.size,
      committed: y.committed - x.committed,
      private: y.private - x.private,
      wsTotal: y.wsTotal - x.wsTotal,
      blocks: y.blocks - x.blocks,
    });
  }
  const who = (s: Snapshot) => ({ takenAt: s.takenAt, pid: s.process.pid, name: s.process.name, source: s.source });
  return {
    before: who(a),
    after: who(b),
    changes,
    kinds,
    counts: {
      added: changes.filter((c) => c.change === 'added').length,
      removed: changes.filter((c) => c.change === 'removed').length,
      changed: changes.filter((c) => c.change === 'changed').length,
      unchanged,
    },
  };
}
