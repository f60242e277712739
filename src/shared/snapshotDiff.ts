import { REGION_KINDS, type Region, type RegionKind, type Snapshot } from './model';
import { displayAddress, parseAddress } from './address';
import { REGION_MEASURES, WORKING_SET_MEASURES } from './regionFields';
import { type MatchCategory, type RegionMatch, matchRegions } from './regionMatch';
import { type KindSummary, summarizeByKind } from './summary';

/** Which aspects of a matched piece of the address space differ between the snapshots. */
export const CHANGE_FIELDS = ['size', 'state', 'protect', 'committed', 'workingSet'] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];

/** Where a piece of the address space lies on one side, and how many regions it is there. */
export interface Span {
  base: string;
  size: number;
  regions: number;
}

export interface RegionChange {
  /** Coarse: 'changed' for every piece found on both sides (grown, moved, reprotected...). */
  change: 'added' | 'removed' | 'changed';
  /** What happened to it (see regionMatch.ts and docs/compare.md). */
  category: Exclude<MatchCategory, 'unchanged'>;
  /** Where it is after (or was, when removed). */
  base: string;
  /** Its first region before (absent when added) and after (absent when removed). */
  before?: Region;
  after?: Region;
  beforeSpan?: Span;
  afterSpan?: Span;
  fields: ChangeField[];
  /** Bytes this change moves: committed and working-set deltas, or the size change when neither moved. */
  impact: number;
  sizeDelta: number;
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

export type DiffCounts = {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
} & Record<'grew' | 'shrank' | 'moved' | 'protection' | 'touched', number>;

export interface SnapshotDiff {
  before: { takenAt: string; pid: number; name: string; source: string };
  after: { takenAt: string; pid: number; name: string; source: string };
  changes: RegionChange[];
  kinds: KindDelta[];
  counts: DiffCounts;
}

const sum = (rs: Region[], value: (r: Region) => number): number =>
  rs.reduce((s, r) => s + value(r), 0);
const wsTotal = REGION_MEASURES.find((m) => m.key === 'wsTotal')!.value;
const committed = REGION_MEASURES.find((m) => m.key === 'committed')!.value;
const size = REGION_MEASURES.find((m) => m.key === 'size')!.value;

function spanOf(rs: Region[]): Span | undefined {
  if (rs.length === 0) return undefined;
  const last = rs.at(-1)!;
  const end = parseAddress(last.base) + BigInt(last.size);
  return { base: rs[0]!.base, size: Number(end - parseAddress(rs[0]!.base)), regions: rs.length };
}

function fieldsOf(m: RegionMatch): ChangeField[] {
  if (m.before.length === 0 || m.after.length === 0) return [];
  const joined = (rs: Region[], f: (r: Region) => unknown) => rs.map(f).join();
  const fields: ChangeField[] = [];
  if (sum(m.before, size) !== sum(m.after, size)) fields.push('size');
  if (joined(m.before, (r) => r.state) !== joined(m.after, (r) => r.state)) fields.push('state');
  const protections = (rs: Region[]) => [...new Set(rs.map((r) => r.protect))].sort().join();
  if (m.category === 'protection' || protections(m.before) !== protections(m.after))
    fields.push('protect');
  if (sum(m.before, committed) !== sum(m.after, committed)) fields.push('committed');
  if (WORKING_SET_MEASURES.some((w) => sum(m.before, w.value) !== sum(m.after, w.value)))
    fields.push('workingSet');
  return fields;
}

function toChange(m: RegionMatch & { category: RegionChange['category'] }): RegionChange {
  const sizeDelta = sum(m.after, size) - sum(m.before, size);
  const committedDelta = sum(m.after, committed) - sum(m.before, committed);
  const workingSetDelta = sum(m.after, wsTotal) - sum(m.before, wsTotal);
  const change = m.category === 'added' || m.category === 'removed' ? m.category : 'changed';
  return {
    change,
    category: m.category,
    base: (m.after[0] ?? m.before[0]!).base,
    before: m.before[0],
    after: m.after[0],
    beforeSpan: spanOf(m.before),
    afterSpan: spanOf(m.after),
    fields: fieldsOf(m),
    impact:
      Math.abs(committedDelta) +
      Math.abs(workingSetDelta) +
      (committedDelta === 0 && workingSetDelta === 0 ? Math.abs(sizeDelta) : 0),
    sizeDelta,
    committedDelta,
    workingSetDelta,
  };
}

/**
 * What changed between two snapshots: each piece of the address space matched by mapping and
 * address overlap (regionMatch.ts; free gaps are left out), sorted by how many bytes each change
 * moves; and the summary by kind as deltas.
 */
export function diffSnapshots(a: Snapshot, b: Snapshot): SnapshotDiff {
  const matches = matchRegions(a.regions, b.regions);
  const changes = matches
    .filter(
      (m): m is RegionMatch & { category: RegionChange['category'] } => m.category !== 'unchanged',
    )
    .map(toChange);
  changes.sort((p, q) => q.impact - p.impact || (p.base < q.base ? -1 : 1));
  const count = (category: MatchCategory): number =>
    matches.filter((m) => m.category === category).length;

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
  const who = (s: Snapshot) => ({
    takenAt: s.takenAt,
    pid: s.process.pid,
    name: s.process.name,
    source: s.source,
  });
  return {
    before: who(a),
    after: who(b),
    changes,
    kinds,
    counts: {
      added: count('added'),
      removed: count('removed'),
      changed: changes.filter((c) => c.change === 'changed').length,
      unchanged: count('unchanged'),
      grew: count('grew'),
      shrank: count('shrank'),
      moved: count('moved'),
      protection: count('protection'),
      touched: count('touched'),
    },
  };
}

/** How each category reads in a list of changes. */
export const CATEGORY_LABELS: Record<RegionChange['category'], string> = {
  grew: 'grew',
  shrank: 'shrank',
  moved: 'moved',
  protection: 'protection changed',
  touched: 'touched',
  added: 'added',
  removed: 'removed',
};

/** The kinds of change that occurred, in the order every description lists them. */
export function changeKinds(
  counts: DiffCounts,
): ('grew' | 'shrank' | 'moved' | 'protection' | 'touched')[] {
  return (['grew', 'shrank', 'moved', 'protection', 'touched'] as const).filter(
    (k) => counts[k] > 0,
  );
}

/** The counts in one line: "5 changed (2 grew, 3 touched) · 1 added · 0 removed · 120 unchanged". */
export function describeCounts(counts: DiffCounts, format: (n: number) => string = String): string {
  const kinds = changeKinds(counts);
  const detail =
    kinds.length > 0
      ? ` (${kinds.map((k) => `${format(counts[k])} ${CATEGORY_LABELS[k]}`).join(', ')})`
      : '';
  return [
    `${format(counts.changed)} changed${detail}`,
    `${format(counts.added)} added`,
    `${format(counts.removed)} removed`,
    `${format(counts.unchanged)} unchanged`,
  ].join(' · ');
}

/** What changed in a piece, and where a moved piece came from. */
export const describeFields = (c: RegionChange): string =>
  [
    c.category === 'moved' && c.beforeSpan ? `from ${displayAddress(c.beforeSpan.base)}` : '',
    c.fields.join(', '),
  ]
    .filter(Boolean)
    .join(' · ');
