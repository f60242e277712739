/**
 * What the last step changed, for the highlights: the pages whose cell differs (by runs, so a
 * 1 TiB allocation costs its runs), and the counters and machine lists before and after.
 */
import type { SandboxAllocation } from '../../../../shared/sandboxSession';
import { samePageCell } from '../../../../shared/sandboxSession';
import { runsOf } from './gridRows';

/** Page ranges [from, to) of an allocation that changed; a new allocation changed entirely. */
export type ChangedPages = Map<string, [number, number][]>;

export function changedPages(
  before: readonly SandboxAllocation[],
  after: readonly SandboxAllocation[],
): ChangedPages {
  const old = new Map(before.map((a) => [a.base, a]));
  const changed: ChangedPages = new Map();
  for (const allocation of after) {
    const runs = runsOf(allocation);
    const pages = runs.reduce((n, r) => n + r.count, 0);
    const previous = old.get(allocation.base);
    if (!previous) {
      changed.set(allocation.base, [[0, pages]]);
      continue;
    }
    const prior = runsOf(previous);
    const ranges: [number, number][] = [];
    let i = 0;
    let j = 0;
    let pos = 0;
    while (i < runs.length && j < prior.length) {
      const a = runs[i]!;
      const b = prior[j]!;
      const end = Math.min(a.start + a.count, b.start + b.count);
      if (!samePageCell(a.page, b.page)) {
        const last = ranges[ranges.length - 1];
        if (last && last[1] === pos) last[1] = end;
        else ranges.push([pos, end]);
      }
      pos = end;
      if (a.start + a.count === end) i++;
      if (b.start + b.count === end) j++;
    }
    if (pos < pages) ranges.push([pos, pages]);
    if (ranges.length > 0) changed.set(allocation.base, ranges);
  }
  return changed;
}

export const overlaps = (
  ranges: readonly [number, number][] | undefined,
  from: number,
  to: number,
): boolean => !!ranges?.some(([a, b]) => a < to && b > from);
