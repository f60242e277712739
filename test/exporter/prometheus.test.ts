/**
 * A real Prometheus (Debian's package) scrapes the exporter every second on loopback; the
 * assertions are PromQL queries against its HTTP API, as a user's dashboards would make them.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineReader, spawnChild, stopAllChildren } from '../support/children';
import { startExporter, until } from './exporterProcess';

const RULES = resolve('docs/exporter-rules.yml');
const ALLOCATOR = resolve('test/sampler/allocator.mjs');
const MiB = 2 ** 20;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** RssAnon + VmSwap of a process, read straight from /proc: the exporter's private bytes, independently. */
function privateBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return (kib('RssAnon') + kib('VmSwap')) * 1024;
}

let dir = '';
let prometheus: ChildProcess | null = null;
let api = '';
let helper: ChildProcess;
let exporterTarget = '';

async function query(
  expr: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`query ${expr} failed: ${JSON.stringify(body)}`);
  return body.data.result;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vmscope-prometheus-'));
  // The helper waits for SIGUSR2, then leaks 1 MiB every 100 ms (touching every page) for 16 s.
  helper = spawnChild(process.execPath, [ALLOCATOR, '1', '100', '160', '600000', 'on-signal']);
  const next = lineReader(helper);
  expect(await next()).toBe('ready');
  const { url } = await startExporter(['--pid', String(helper.pid), '--interval', '200']);
  exporterTarget = new URL(url).host;
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: ['${RULES}']`,
      'scrape_configs:',
      "  - job_name: 'vmscope'",
      `    static_configs: [{ targets: ['${exporterTarget}'] }]`,
    ].join('\n'),
  );
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  prometheus.stderr!.on('data', (c) => (log += String(c)));
  await until(`Prometheus to be ready (${log})`, async () => (await fetch(`${api}/-/ready`)).ok);
}, 60_000);

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = once(prometheus, 'exit');
    prometheus.kill('SIGTERM');
    await exited;
  }
  await stopAllChildren();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Prometheus scraping vmscope exporter', () => {
  it('has the series of a process with known memory, and its rules load', async () => {
    const pid = String(helper.pid);
    const [ws] = await until('the working-set series', async () => {
      const r = await query(`vmscope_process_working_set_bytes{pid="${pid}"}`);
      return r.length > 0 ? r : null;
    });
    expect(ws!.metric).toMatchObject({
      job: 'vmscope',
      instance: exporterTarget,
      pid,
      name: 'node',
    });
    // Within 10% of what /proc says right now (the helper holds still until signalled).
    const rss =
      Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
    expect(Math.abs(Number(ws!.value[1]) - rss) / rss).toBeLessThan(0.1);
    const rules = (await (await fetch(`${api}/api/v1/rules`)).json()) as {
      data: { groups: { name: string; rules: { health: string }[] }[] };
    };
    const group = rules.data.groups.find((g) => g.name === 'vmscope-memory');
    expect(group?.rules.map((r) => r.health)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('sees page faults move and a leak slope close to the real rate while the helper leaks', async () => {
    const pid = helper.pid!;
    const before = await query(`vmscope_process_page_faults_total{pid="${pid}",type="soft"}`);
    expect(before).toHaveLength(1);
    const atRest = privateBytes(pid);
    helper.kill('SIGUSR2');
    // The real rate, from /proc, over the middle of the leak.
    await until('the leak to start', async () => privateBytes(pid) > atRest + 8 * MiB);
    const t0 = Date.now();
    const p0 = privateBytes(pid);
    await until('8 s of leaking', async () => Date.now() - t0 > 8000);
    const realPerSecond = ((privateBytes(pid) - p0) * 1000) / (Date.now() - t0);
    expect(realPerSecond).toBeGreaterThan(2 * MiB);

    const faults = await until('a fault rate above zero', async () => {
      const r = await query(
        `rate(vmscope_process_page_faults_total{pid="${pid}",type="soft"}[5s])`,
      );
      return r.length > 0 && Number(r[0]!.value[1]) > 100 ? Number(r[0]!.value[1]) : null;
    });
    expect(faults).toBeGreaterThan(100);

    const slope = await until('a leak slope', async () => {
      const r = await query(`vmscope_process_leak_slope_bytes_per_second{pid="${pid}"}`);
      return r.length > 0 && Number(r[0]!.value[1]) > 0 ? Number(r[0]!.value[1]) : null;
    });
    expect(slope / realPerSecond).toBeGreaterThan(0.7);
    expect(slope / realPerSecond).toBeLessThan(1.3);
  });
});

describe('promtool', () => {
  it('checks the documented rules and their unit tests', () => {
    const check = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(check.stdout).toMatch(/SUCCESS: 4 rules found/);
    expect(check.status).toBe(0);
    const unit = spawnSync(
      'promtool',
      ['test', 'rules', resolve('test/exporter/exporter-rules.test.yml')],
      { encoding: 'utf8' },
    );
    expect(unit.stdout + unit.stderr).toMatch(/SUCCESS/);
    expect(unit.status).toBe(0);
  });
});
