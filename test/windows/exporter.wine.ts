/**
 * The exporter on the Windows source, for real under Wine: the bundled CLI serves a second Wine
 * process's counters and regions (VirtualQueryEx, GetProcessMemoryInfo) as Prometheus metrics.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { until } from '../exporter/exporterProcess';
import { BUNDLED_CLI, startIdleProcess } from './testProcess';

let target: ChildProcess;
let exporter: ChildProcess;
let url = '';

/** GET through node:http: under Wine, fetch's connect fails (UNKNOWN), plain sockets work. */
function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function valueOf(body: string, prefix: string): number | null {
  const line = body.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

before(async () => {
  target = await startIdleProcess();
  // Under Wine a Windows program's stdout to a pipe fails (EBADF): the address goes to a file.
  const outFile = fileURLToPath(new URL('./exporter.out', import.meta.url));
  const fd = openSync(outFile, 'w');
  exporter = spawn(
    process.execPath,
    [
      BUNDLED_CLI,
      'exporter',
      '--source',
      'windows',
      '--listen',
      '127.0.0.1:0',
      '--pid',
      String(target.pid),
      '--interval',
      '300',
      '--regions',
    ],
    { stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  url = await until(
    'the exporter to start',
    async () => /serving at (http:\S+)/.exec(readFileSync(outFile, 'utf8'))?.[1] ?? null,
    60_000,
  );
});

after(() => {
  exporter?.kill();
  target?.kill();
});

describe('vmscope exporter --source windows', () => {
  test("serves another process's counters and region totals", async () => {
    const pid = String(target.pid);
    const body = await until(
      'the target with its regions',
      async () => {
        const text = await scrape(url);
        return text.includes(`vmscope_process_region_bytes{pid="${pid}"`) ? text : null;
      },
      60_000,
    );
    assert.match(body, /^vmscope_exporter_build_info\{version="[^"]+",source="windows"\} 1$/m);
    const ws = valueOf(body, `vmscope_process_working_set_bytes{pid="${pid}",`);
    assert.ok(ws !== null && ws > 1 << 20, `working set ${ws}`);
    const images = valueOf(
      body,
      `vmscope_process_region_bytes{pid="${pid}",name="node.exe",kind="image",state="committed"}`,
    );
    assert.ok(images !== null && images > 1 << 20, `image bytes ${images}`);
    // Wine reports both fault counts as 0 (docs/windows-source.md); the series exist all the same.
    assert.equal(
      valueOf(body, `vmscope_process_page_faults_total{pid="${pid}",name="node.exe",type="soft"}`),
      0,
    );
    assert.equal(valueOf(body, 'vmscope_exporter_processes_timed_out '), 0);
  });
});
