import { parseAddress } from './address';
import type { Region } from './model';
import { REGION_MEASURES } from './regionFields';

/**
 * What became of one piece of the address space between two snapshots. Regions are not matched
 * by base address: the kernel merges a new mapping into its neighbour, splits a region when part
 * of it changes protection, and mremap moves one. So regions are matched by what they are (the
 * same file, or both anonymous) where their addresses overlap, and what is left over by moving:
 * one region gone and one of the same size, kind, protection and file come elsewhere.
 */
export const MATCH_CATEGORIES = [
  'grew',
  'shrank',
  'moved',
  'protection',
  'touched',
  'added',
  'removed',
  'unchanged',
] as const;
export type MatchCategory = (typeof MATCH_CATEGORIES)[number];

export interface RegionMatch {
  category: MatchCategory;
  /** The regions this piece was made of before and is made of after, in address order. */
  before: Region[];
  after: Region[];
}

interface Span {
  start: bigint;
  end: bigint;
  region: Region;
}

const spanOf = (region: Region): Span => {
  const start = parseAddress(region.base);
  return { start, end: start + BigInt(region.size), region };
};

/** Two regions are the same mapping only if they map the same file (or both none). */
const sameIdentity = (a: Region, b: Region): boolean => a.path === b.path;

const total = (rs: Region[], value: (r: Region) => number): number =>
  rs.reduce((s, r) => s + value(r), 0);

/** A field along the span, as runs of equal values at offsets from its start. */
function layout(rs: Region[], field: (r: Region) => string | null): string {
  const runs: string[] = [];
  let last: string | null | undefined;
  const start = rs.length > 0 ? parseAddress(rs[0]!.base) : 0n;
  for (const r of rs) {
    const value = field(r);
    if (value === last) continue;
    runs.push(`${parseAddress(r.base) - start}:${value}`);
    last = value;
  }
  return runs.join(' ');
}

function extent(rs: Region[]): string {
  const spans = rs.map(spanOf);
  return `${spans[0]!.start}-${spans.at(-1)!.end}`;
}

/** Committed and working-set bytes: the measures that change without the mapping changing. */
const measuresDiffer = (before: Region[], after: Region[]): boolean =>
  REGION_MEASURES.some((m) => m.key !== 'size' && total(before, m.value) !== total(after, m.value));

function categorize(before: Region[], after: Region[]): MatchCategory {
  // Most pieces are one region at the same place on both sides: decided without building layouts.
  if (
    before.length === 1 &&
    after.length === 1 &&
    before[0]!.base === after[0]!.base &&
    before[0]!.size === after[0]!.size
  ) {
    const [x, y] = [before[0]!, after[0]!];
    if (x.state !== y.state) return 'touched';
    if (x.protect !== y.protect) return 'protection';
    return measuresDiffer(before, after) ? 'touched' : 'unchanged';
  }
  const sizeBefore = total(before, (r) => r.size);
  const sizeAfter = total(after, (r) => r.size);
  if (sizeAfter > sizeBefore) return 'grew';
  if (sizeAfter < sizeBefore) return 'shrank';
  if (extent(before) !== extent(after)) return 'moved';
  // Committing or decommitting pages (Windows) changes the protection too; that is not a reprotection.
  if (layout(before, (r) => r.state) !== layout(after, (r) => r.state)) return 'touched';
  if (layout(before, (r) => r.protect) !== layout(after, (r) => r.protect)) return 'protection';
  if (measuresDiffer(before, after)) return 'touched';
  return 'unchanged';
}

/** Union-find over indexes: before regions are 0..n-1, after regions n..n+m-1. */
function groups(count: number, links: [number, number][]): number[][] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const [x, y] of links) parent[find(x)] = find(y);
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    const members = byRoot.get(root);
    if (members) members.push(i);
    else byRoot.set(root, [i]);
  }
  return [...byRoot.values()];
}

/** Links each before region to the after regions it overlaps and is the same mapping as. */
function overlaps(before: Span[], after: Span[]): [number, number][] {
  const links: [number, number][] = [];
  let j = 0;
  for (let i = 0; i < before.length; i++) {
    const x = before[i]!;
    while (j < after.length && after[j]!.end <= x.start) j++;
    for (let k = j; k < after.length && after[k]!.start < x.end; k++) {
      if (sameIdentity(x.region, after[k]!.region)) links.push([i, before.length + k]);
    }
  }
  return links;
}

const moveKey = (r: Region): string => JSON.stringify([r.path, r.size, r.kind, r.protect, r.type]);

/** Pairs a removed and an added region as a move when each is the only one of its kind on its side. */
function pairMoves(matches: RegionMatch[]): RegionMatch[] {
  const lone = (category: MatchCategory): Map<string, RegionMatch | null> => {
    const byKey = new Map<string, RegionMatch | null>();
    for (const m of matches) {
      if (m.category !== category) continue;
      const key = moveKey((category === 'removed' ? m.before : m.after)[0]!);
      byKey.set(key, byKey.has(key) ? null : m);
    }
    return byKey;
  };
  const removed = lone('removed');
  const added = lone('added');
  const moved = new Set<RegionMatch>();
  const result: RegionMatch[] = [];
  for (const [key, gone] of removed) {
    const come = added.get(key);
    if (!gone || !come) continue;
    moved.add(gone).add(come);
    result.push({ category: 'moved', before: gone.before, after: come.after });
  }
  return [...matches.filter((m) => !moved.has(m)), ...result];
}

/**
 * Matches the used (not free) regions of two snapshots: each piece of the address space that
 * changed, in address order of where it is after (or was, if removed).
 */
export function matchRegions(
  beforeRegions: readonly Region[],
  afterRegions: readonly Region[],
): RegionMatch[] {
  const used = (rs: readonly Region[]): Span[] =>
    rs
      .filter((r) => r.state !== 'free')
      .map(spanOf)
      .sort((p, q) => (p.start < q.start ? -1 : p.start > q.start ? 1 : 0));
  const before = used(beforeRegions);
  const after = used(afterRegions);
  const all = [...before, ...after];
  const matches = groups(all.length, overlaps(before, after)).map((members): RegionMatch => {
    const b = members.filter((i) => i < before.length).map((i) => all[i]!.region);
    const a = members.filter((i) => i >= before.length).map((i) => all[i]!.region);
    if (b.length === 0) return { category: 'added', before: b, after: a };
    if (a.length === 0) return { category: 'removed', before: b, after: a };
    return { category: categorize(b, a), before: b, after: a };
  });
  const keyed = pairMoves(matches).map((m) => ({
    m,
    key: parseAddress((m.after[0] ?? m.before[0]!).base),
  }));
  return keyed.sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0)).map(({ m }) => m);
}
