/**
 * Every bench's name, for `npm run bench [name-filter]` to choose among them before any is loaded
 * (bench/index.ts): a bench's module, with what it imports (Playwright, Vite), is loaded only to
 * run it, so one bench's heap never holds another's. With every module loaded the runner's heap
 * was 71 MB, and each in-process snapshot of the linux bench paid V8's concurrent marking of it
 * on the other core (about 35 ms of CPU a snapshot, beside the read-ahead thread).
 */
export const BENCH_NAMES = {
  cliStart: 'vmscope command start',
  linuxSnapshot: 'linux snapshot (60,000 mappings)',
  sampler: 'sampler',
  chart: 'chart drawing',
  simulator: 'simulator',
  inspector: 'inspector in Chromium (120,000 regions)',
  sandbox: 'sandbox sessions (simulated engine, through the service API)',
  exporter: 'exporter',
  memory: 'memory (service, host, renderer)',
  scale: 'scale (simulated, 1,000,000 vs 100,000 regions)',
  contents: 'memory contents',
  hexView: 'memory contents: hex view',
  dumps: 'core file (2 GiB, 60,000 mappings)',
} as const;
