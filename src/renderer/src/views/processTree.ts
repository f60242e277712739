import type { ProcessInfo } from '../../../shared/model';

/** A process list row in tree order: its depth under its parent. */
export interface TreeRow {
  process: ProcessInfo;
  depth: number;
}

/**
 * The processes as a tree by parent, siblings in `order` (the list's sort), as System Informer
 * shows them. With `keep` (a filter), a process is shown when it or a descendant is kept, so a
 * match is seen under its parents. A process whose parent is not listed is a root.
 */
export function processTree(
  processes: readonly ProcessInfo[],
  order: (a: ProcessInfo, b: ProcessInfo) => number,
  keep: ((p: ProcessInfo) => boolean) | null,
): TreeRow[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number | null, ProcessInfo[]>();
  for (const p of processes) {
    const parent =
      p.parentPid !== null && p.parentPid !== p.pid && byPid.has(p.parentPid) ? p.parentPid : null;
    const list = children.get(parent);
    if (list) list.push(p);
    else children.set(parent, [p]);
  }
  for (const list of children.values()) list.sort(order);
  const out: TreeRow[] = [];
  // Depth first, without recursion (a deep chain of parents cannot overflow the stack).
  const visit = (root: ProcessInfo): void => {
    const stack: TreeRow[] = [{ process: root, depth: 0 }];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const row = stack.pop()!;
      if (seen.has(row.process.pid)) continue;
      seen.add(row.process.pid);
      out.push(row);
      const kids = children.get(row.process.pid) ?? [];
      for (let i = kids.length - 1; i >= 0; i--)
        stack.push({ process: kids[i]!, depth: row.depth + 1 });
    }
  };
  for (const root of children.get(null) ?? []) visit(root);
  if (!keep) return out;
  // Keep the matches and their ancestors: walk up from each match.
  const shown = new Set<number>();
  for (const p of processes) {
    if (!keep(p)) continue;
    for (
      let q: ProcessInfo | undefined = p;
      q && !shown.has(q.pid);
      q = q.parentPid === null ? undefined : byPid.get(q.parentPid)
    )
      shown.add(q.pid);
  }
  return out.filter((row) => shown.has(row.process.pid));
}
