/**
 * The exporter as a user runs it: the built command, real processes, real /proc, and Debian's
 * promtool checking the exposition.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { lineReader, spawnChild, stopAllChildren, stopChild } from '../support/children';
import { scrape, seriesValue, startExporter, until } from './exporterProcess';

const ALLOCATOR = resolve('test/sampler/allocator.mjs');

afterAll(stopAllChildren);

/** A child that allocates and touches `mb` MiB once, then holds it (allocator.mjs). */
async function holdingChild(mb: number) {
  const child = spawnChild(process.execPath, [ALLOCATOR, String(mb), '10', '1', '600000']);
  const next = lineReader(child);
  expect(await next()).toBe('ready');
  expect(await next()).toMatch(/^done/);
  return child;
}

describe('vmscope exporter', () => {
  it('reports a process it was asked for, in both formats, and promtool accepts the text', async () => {
    const helper = await holdingChild(64);
    const pid = String(helper.pid);
    const { url } = await startExporter(['--pid', pid, '--interval', '200']);
    const text = await until('the helper in a scrape', async () => {
      const s = await scrape(url);
      return seriesValue(s.body, 'vmscope_process_working_set_bytes', { pid }) === null ? null : s;
    });
    expect(text.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(seriesValue(text.body, 'vmscope_process_working_set_bytes', { pid })).toBeGreaterThan(
      64 * 2 ** 20,
    );
    expect(seriesValue(text.body, 'vmscope_process_private_bytes', { pid })).toBeGreaterThan(
      64 * 2 ** 20,
    );
    expect(
      seriesValue(text.body, 'vmscope_process_page_faults_total', { pid, type: 'soft' }),
    ).toBeGreaterThan(16_384);
    expect(seriesValue(text.body, 'vmscope_exporter_processes_reported', {})).toBe(1);
    expect(seriesValue(text.body, 'vmscope_exporter_processes_timed_out', {})).toBe(0);
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: text.body,
      encoding: 'utf8',
    });
    expect(check.stderr + check.stdout).toBe('');
    expect(check.status).toBe(0);

    const open = await scrape(url, 'application/openmetrics-text; version=1.0.0');
    expect(open.type).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(open.body.endsWith('# EOF\n')).toBe(true);
    expect(open.body).toMatch(/^# TYPE vmscope_process_page_faults counter$/m);
    expect(
      seriesValue(open.body, 'vmscope_process_page_faults_total', { pid, type: 'soft' }),
    ).toBeGreaterThan(16_384);
  });

  it('reports region bytes by kind and state with --regions, matching a snapshot of the process', async () => {
    const helper = await holdingChild(32);
    const pid = String(helper.pid);
    const { url } = await startExporter(['--pid', pid, '--interval', '300', '--regions']);
    const body = await until('region totals', async () => {
      const { body } = await scrape(url);
      return seriesValue(body, 'vmscope_process_region_bytes', {
        pid,
        kind: 'image',
        state: 'committed',
      }) === null
        ? null
        : body;
    });
    const snapshot = await runCli(['snapshot', '--pid', pid, '--no-free']);
    const regions = JSON.parse(snapshot.stdout).regions as {
      kind: string;
      state: string;
      size: number;
    }[];
    const imageBytes = regions
      .filter((r) => r.kind === 'image' && r.state === 'committed')
      .reduce((n, r) => n + r.size, 0);
    // Images do not change while the helper holds still.
    expect(
      seriesValue(body, 'vmscope_process_region_bytes', { pid, kind: 'image', state: 'committed' }),
    ).toBe(imageBytes);
    expect(
      seriesValue(body, 'vmscope_process_regions', { pid, kind: 'image', state: 'committed' }),
    ).toBe(regions.filter((r) => r.kind === 'image' && r.state === 'committed').length);
  });

  it('drops a process that exits between scrapes and keeps serving', async () => {
    const helper = await holdingChild(8);
    const pid = String(helper.pid);
    const { url } = await startExporter(['--pid', pid, '--interval', '200']);
    await until('the helper in a scrape', async () =>
      seriesValue((await scrape(url)).body, 'vmscope_process_working_set_bytes', { pid }),
    );
    await stopChild(helper);
    const body = await until('the helper gone', async () => {
      const { body } = await scrape(url);
      return seriesValue(body, 'vmscope_process_working_set_bytes', { pid }) === null ? body : null;
    });
    expect(body).toMatch(/^vmscope_exporter_build_info\{version="[^"]+",source="linux"\} 1$/m);
  });

  it('serves the simulated machine, with its leaking service', async () => {
    const { url } = await startExporter(['--source', 'simulated', '--interval', '200']);
    const body = await until('simulated processes', async () => {
      const { body } = await scrape(url);
      return /^vmscope_process_working_set_bytes\{pid="\d+",name="[^"]+"\} \d+/m.test(body)
        ? body
        : null;
    });
    expect(body).toMatch(/source="simulated"/);
  });

  it('answers only GET and HEAD of / and /metrics', async () => {
    const { url } = await startExporter(['--pid', String(process.pid), '--interval', '1000']);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetch(url.replace('/metrics', '/nothing'))).status).toBe(404);
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
  });

  it('refuses a bad regex or address with one line and exit 2', async () => {
    const regex = await runCli(['exporter', '--match', '(unclosed']);
    expect(regex.code).toBe(2);
    expect(regex.stderr.trim().split('\n')).toHaveLength(1);
    expect(regex.stderr).toMatch(/not a valid regular expression/);
    const listen = await runCli(['exporter', '--listen', 'localhost']);
    expect(listen.code).toBe(2);
    expect(listen.stderr).toMatch(/HOST:PORT/);
  });

  it('exits 1 with one line when the port is in use', async () => {
    const busy = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const { port } = busy.address() as { port: number };
    try {
      const run = await runCli(
        ['exporter', '--listen', `127.0.0.1:${port}`, '--pid', String(process.pid)],
        { timeoutMs: 15_000 },
      );
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(
        `vmscope: cannot listen on 127.0.0.1:${port}: the port is in use.`,
      );
    } finally {
      busy.close();
    }
  });

  it('stops within 2 s of Ctrl-C', async () => {
    const { child, url } = await startExporter(['--pid', String(process.pid), '--interval', '200']);
    await scrape(url);
    const exited = once(child, 'exit');
    const sent = Date.now();
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(code).toBe(0);
  });
});
