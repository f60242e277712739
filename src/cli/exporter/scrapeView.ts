/**
 * Everything one scrape reports, computed once per scrape from the exporter's state. The metric
 * definitions (metrics.ts) only read it, so both exposition formats show the same values.
 */
import type { Counters } from '../../shared/model';
import type { LeakTrend } from '../../shared/leak';
import type { ProcessTracker } from './processTracker';
import type { RegionPoller, RegionTotal } from './regionTotals';

export interface ProcessView {
  labels: { pid: string; name: string };
  counters: Counters;
  startTimeSeconds: number | null;
  trend: LeakTrend | null;
  regions: RegionTotal[] | undefined;
}

export interface ScrapeView {
  processes: ProcessView[];
  timedOut: number;
  dropped: number;
  regionFailures: number | null;
  collectSeconds: number;
}

export interface ExporterState {
  tracker: ProcessTracker;
  regions: RegionPoller | null;
  /** Processes left out of the selection by --top or the hard cap. */
  dropped(): number;
}

export function buildScrapeView(state: ExporterState): ScrapeView {
  const started = performance.now();
  const { live, timedOut } = state.tracker.current();
  const processes = live.map((p): ProcessView => ({
    labels: { pid: String(p.info.pid), name: p.info.name },
    counters: p.latest!.counters,
    startTimeSeconds: p.info.startTime ? Date.parse(p.info.startTime) / 1000 : null,
    trend: state.tracker.trend(p),
    regions: state.regions?.totalsOf(p.info.pid),
  }));
  return {
    processes,
    timedOut,
    dropped: state.dropped(),
    regionFailures: state.regions ? state.regions.failures : null,
    collectSeconds: (performance.now() - started) / 1000,
  };
}
