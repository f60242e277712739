import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/shared/model';
import { MAX_EXPORTED_PROCESSES, selectProcesses } from '../../src/cli/exporter/selection';
import { parseListenAddress } from '../../src/cli/exporter/listenAddress';
import { wantsOpenMetrics } from '../../src/cli/exporter/exporterServer';

const proc = (
  pid: number,
  name: string,
  workingSetSize: number,
  extra: Partial<ProcessInfo> = {},
): ProcessInfo => ({
  pid,
  parentPid: 1,
  name,
  path: null,
  user: 'root',
  workingSetSize,
  privateBytes: null,
  startTime: null,
  commandLine: `${name} --serve`,
  kernelThread: false,
  ...extra,
});

const list = [
  proc(10, 'postgres', 300),
  proc(11, 'python3', 100, { commandLine: 'python3 /opt/uxhelper.py' }),
  proc(12, 'nginx', 200),
  proc(2, 'kthreadd', 0, { kernelThread: true, commandLine: null }),
];

describe('selectProcesses', () => {
  it('takes the largest working sets first, up to --top, and counts the rest as dropped', () => {
    const { selected, dropped } = selectProcesses(list, { match: [], pids: [], top: 2 });
    expect(selected.map((p) => p.pid)).toEqual([10, 12]);
    expect(dropped).toBe(1);
  });

  it('matches a regex on the name or the command line, never kernel threads', () => {
    const byCmd = selectProcesses(list, { match: [/uxhelper/], pids: [], top: 10 });
    expect(byCmd.selected.map((p) => p.pid)).toEqual([11]);
    const byName = selectProcesses(list, { match: [/^k/, /nginx/], pids: [], top: 10 });
    expect(byName.selected.map((p) => p.pid)).toEqual([12]);
  });

  it('reports explicit pids alone when no regex is given, and adds matches to them otherwise', () => {
    expect(
      selectProcesses(list, { match: [], pids: [11, 999], top: 10 }).selected.map((p) => p.pid),
    ).toEqual([11]);
    expect(
      selectProcesses(list, { match: [/nginx/], pids: [11], top: 10 }).selected.map((p) => p.pid),
    ).toEqual([11, 12]);
  });

  it('never selects more than the hard cap, whatever --top says', () => {
    const many = Array.from({ length: MAX_EXPORTED_PROCESSES + 50 }, (_, i) =>
      proc(100 + i, 'worker', i),
    );
    const { selected, dropped } = selectProcesses(many, {
      match: [/worker/],
      pids: [100],
      top: MAX_EXPORTED_PROCESSES + 50,
    });
    expect(selected).toHaveLength(MAX_EXPORTED_PROCESSES);
    expect(selected[0]!.pid).toBe(100);
    expect(dropped).toBe(50);
  });
});

describe('parseListenAddress', () => {
  it('reads host:port, [ipv6]:port and :port', () => {
    expect(parseListenAddress('127.0.0.1:9256')).toEqual({ host: '127.0.0.1', port: 9256 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress(':9256')).toEqual({ host: '0.0.0.0', port: 9256 });
  });

  it('refuses what is not an address and a port', () => {
    for (const bad of ['9256', 'localhost', '127.0.0.1:70000', '[::1]', 'a:b:c:1'])
      expect(() => parseListenAddress(bad)).toThrow(/HOST:PORT/);
  });
});

describe('wantsOpenMetrics', () => {
  it("follows the scraper's Accept header", () => {
    expect(
      wantsOpenMetrics(
        'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
    ).toBe(true);
    expect(wantsOpenMetrics('text/plain;version=0.0.4')).toBe(false);
    expect(wantsOpenMetrics('application/openmetrics-text;q=0,text/plain')).toBe(false);
    expect(wantsOpenMetrics(undefined)).toBe(false);
  });
});
