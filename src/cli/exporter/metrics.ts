/**
 * The metrics, named by Prometheus' rules (base units, `_bytes`, `_total`) after node-exporter and
 * process-exporter, in a prom-client registry per exposition format. Each metric reads the current
 * scrape's view; docs/exporter.md lists them.
 */
import type * as PromClientModule from 'prom-client';
import type { Registry, RegistryContentType } from 'prom-client';
import { VMSCOPE_VERSION } from '../../shared/version';
import type { ProcessView, ScrapeView } from './scrapeView';

/** prom-client, loaded only when the exporter runs (vite.node.config.ts keeps it out of every other command's start). */
export type PromClient = typeof PromClientModule;

type ProcessValue = (p: ProcessView) => number | null | undefined;

/** Holds the view of the scrape being rendered. */
export interface ViewHolder {
  current: ScrapeView | null;
  /** The source exported (a build_info label). */
  source: string;
}

const PROCESS_GAUGES: [name: string, help: string, value: ProcessValue][] = [
  [
    'vmscope_process_working_set_bytes',
    'Working set (resident memory: VmRSS on Linux).',
    (p) => p.counters.workingSetSize,
  ],
  [
    'vmscope_process_peak_working_set_bytes',
    'Peak working set (VmHWM on Linux).',
    (p) => p.counters.peakWorkingSetSize,
  ],
  [
    'vmscope_process_private_bytes',
    'Private bytes (private commit on Windows; RssAnon + VmSwap on Linux).',
    (p) => p.counters.privateUsage,
  ],
  [
    'vmscope_process_private_working_set_bytes',
    'Private working set (RssAnon on Linux).',
    (p) => p.counters.privateWorkingSetSize,
  ],
  [
    'vmscope_process_virtual_bytes',
    'Virtual size (VmSize on Linux).',
    (p) => p.counters.virtualSize,
  ],
  [
    'vmscope_process_pagefile_bytes',
    'Pagefile usage (commit charge on Windows; VmSwap on Linux).',
    (p) => p.counters.pagefileUsage,
  ],
  [
    'vmscope_process_start_time_seconds',
    'Start time of the process since the Unix epoch.',
    (p) => p.startTimeSeconds,
  ],
  [
    'vmscope_process_leak_slope_bytes_per_second',
    'Theil-Sen slope of private bytes over the last 10 minutes (absent until 10 samples over 10 s).',
    (p) => (p.trend?.bytesPerMinute == null ? null : p.trend.bytesPerMinute / 60),
  ],
  [
    'vmscope_process_leak_suspected',
    "1 when private bytes grow steadily and significantly (the Watch view's leak verdict), else 0.",
    (p) =>
      p.trend === null || p.trend.verdict === 'insufficient-data'
        ? null
        : p.trend.verdict === 'leak'
          ? 1
          : 0,
  ],
];

function processGauge(
  { Gauge }: PromClient,
  registry: Registry<RegistryContentType>,
  holder: ViewHolder,
  [name, help, value]: (typeof PROCESS_GAUGES)[number],
): void {
  new Gauge({
    name,
    help,
    labelNames: ['pid', 'name'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of holder.current?.processes ?? []) {
        const v = value(p);
        if (v !== null && v !== undefined && Number.isFinite(v)) this.set(p.labels, v);
      }
    },
  });
}

function scalarGauge(
  { Gauge }: PromClient,
  registry: Registry<RegistryContentType>,
  holder: ViewHolder,
  name: string,
  help: string,
  value: (view: ScrapeView) => number | null,
): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      const v = holder.current ? value(holder.current) : null;
      if (v !== null) this.set(v);
    },
  });
}

/** One registry in the given format, its metrics reading `holder.current`. */
export function createRegistry(
  prom: PromClient,
  contentType: RegistryContentType,
  holder: ViewHolder,
): Registry<RegistryContentType> {
  const { Counter, Gauge } = prom;
  const registry = new prom.Registry<RegistryContentType>();
  registry.setContentType(contentType);
  for (const gauge of PROCESS_GAUGES) processGauge(prom, registry, holder, gauge);
  new Counter({
    name: 'vmscope_process_page_faults_total',
    help: 'Page faults by type: soft (minor) and hard (major), where the source tells them apart.',
    labelNames: ['pid', 'name', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of holder.current?.processes ?? []) {
        const { softFaultCount, hardFaultCount } = p.counters;
        if (softFaultCount !== null) this.inc({ ...p.labels, type: 'soft' }, softFaultCount);
        if (hardFaultCount !== null) this.inc({ ...p.labels, type: 'hard' }, hardFaultCount);
      }
    },
  });
  for (const [name, help, pick] of [
    [
      'vmscope_process_region_bytes',
      'Bytes of the address space by VMMap kind and state (--regions only).',
      (t) => t.bytes,
    ],
    [
      'vmscope_process_regions',
      'Regions of the address space by VMMap kind and state (--regions only).',
      (t) => t.regions,
    ],
  ] as const satisfies readonly (readonly [
    string,
    string,
    (t: { bytes: number; regions: number }) => number,
  ])[]) {
    new Gauge({
      name,
      help,
      labelNames: ['pid', 'name', 'kind', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of holder.current?.processes ?? []) {
          for (const total of p.regions ?? [])
            this.set({ ...p.labels, kind: total.kind, state: total.state }, pick(total));
        }
      },
    });
  }
  scalarGauge(
    prom,
    registry,
    holder,
    'vmscope_exporter_scrape_duration_seconds',
    'Time this scrape took to collect its values.',
    (v) => v.collectSeconds,
  );
  scalarGauge(
    prom,
    registry,
    holder,
    'vmscope_exporter_processes_reported',
    'Selected processes reported in this scrape.',
    (v) => v.processes.length,
  );
  scalarGauge(
    prom,
    registry,
    holder,
    'vmscope_exporter_processes_timed_out',
    'Selected processes left out of this scrape because no sample arrived within their deadline.',
    (v) => v.timedOut,
  );
  scalarGauge(
    prom,
    registry,
    holder,
    'vmscope_exporter_processes_dropped',
    'Matching processes left out by --top or the hard cap.',
    (v) => v.dropped,
  );
  new Counter({
    name: 'vmscope_exporter_region_snapshot_failures_total',
    help: 'Snapshots for --regions that failed or missed their deadline.',
    registers: [registry],
    collect() {
      this.reset();
      const failures = holder.current?.regionFailures;
      if (failures !== null && failures !== undefined) this.inc(failures);
    },
  });
  new Gauge({
    name: 'vmscope_exporter_build_info',
    help: 'The vmscope version and the memory source exported, as labels; always 1.',
    labelNames: ['version', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      this.set({ version: VMSCOPE_VERSION, source: holder.source }, 1);
    },
  });
  return registry;
}
