/**
 * Which processes the exporter reports: a bounded set, so a scrape's cardinality is bounded too.
 * Explicit pids always come first; then every user process (or those a --match regex names), the
 * largest working sets first, up to --top; never more than MAX_EXPORTED_PROCESSES in all.
 */
import type { ProcessInfo } from '../../shared/model';

export const MAX_EXPORTED_PROCESSES = 1000;
export const DEFAULT_TOP = 100;

export interface SelectionRules {
  /** Regexes tried on the process name and its command line; empty means every process. */
  match: readonly RegExp[];
  /** Always reported while they exist (still counted against the hard cap). */
  pids: readonly number[];
  /** How many matched processes, by working set, besides the explicit pids. */
  top: number;
}

export interface Selection {
  selected: ProcessInfo[];
  /** Processes that matched but were left out by --top or the hard cap. */
  dropped: number;
}

export function matchesRules(info: ProcessInfo, match: readonly RegExp[]): boolean {
  if (match.length === 0) return true;
  return match.some(
    (re) => re.test(info.name) || (info.commandLine !== null && re.test(info.commandLine)),
  );
}

export function selectProcesses(
  processes: readonly ProcessInfo[],
  rules: SelectionRules,
): Selection {
  const wanted = new Set(rules.pids);
  const explicit = processes.filter((p) => wanted.has(p.pid)).slice(0, MAX_EXPORTED_PROCESSES);
  // Pids alone (no --match) name the whole selection; otherwise matches are added to them.
  const onlyPids = rules.match.length === 0 && rules.pids.length > 0;
  const candidates = onlyPids
    ? []
    : processes
        .filter((p) => !p.kernelThread && !wanted.has(p.pid) && matchesRules(p, rules.match))
        .sort((a, b) => (b.workingSetSize ?? -1) - (a.workingSetSize ?? -1) || a.pid - b.pid);
  const chosen = candidates.slice(
    0,
    Math.max(0, Math.min(rules.top, MAX_EXPORTED_PROCESSES - explicit.length)),
  );
  return { selected: [...explicit, ...chosen], dropped: candidates.length - chosen.length };
}
