import { describe, expect, it } from 'vitest';
import type { MachineView } from '../../src/shared/machineView';
import type { ProcessInfo, Snapshot } from '../../src/shared/model';
import { runCli } from '../support/cli';

describe('vmscope on the simulated source', () => {
  it('ps --source simulated lists the simulated processes with their sizes', async () => {
    const run = await runCli(['ps', '--source', 'simulated', '--json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as ProcessInfo[];
    const leaky = list.find((p) => p.name === 'leakysvc.exe')!;
    expect(leaky.path).toBe('C:\\Program Files\\Contoso\\Leaky Service\\leakysvc.exe');
    expect(leaky.privateBytes).toBeGreaterThan(8 * 1024 * 1024);
  });

  it('snapshot --source simulated shows images, heaps, stacks and mapped files', async () => {
    const run = await runCli(['snapshot', '--pid', '4088', '--source', 'simulated']);
    expect(run.code).toBe(0);
    const snapshot = JSON.parse(run.stdout) as Snapshot;
    const kinds = new Set(snapshot.regions.map((r) => r.kind));
    for (const kind of ['image', 'heap', 'stack', 'mappedFile', 'free'])
      expect(kinds).toContain(kind);
  });

  it('machine prints the lists, the uses and the processes; --json gives the view', async () => {
    const text = await runCli(['machine']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^simulated machine: 2\.00 GiB RAM/);
    expect(text.stdout).toMatch(/^USE\s+ACTIVE\s+STANDBY\s+MODIFIED$/m);
    expect(text.stdout).toMatch(/^\s*2316\s+leakysvc\.exe\s/m);
    expect(text.stdout).toMatch(/^non-paged pool\s+\d/m);
    expect(text.stdout).toMatch(/^paged pool\s+\d/m);
    const json = await runCli(['machine', '--json']);
    const view = JSON.parse(json.stdout) as MachineView;
    expect(Object.values(view.byList).reduce((n, v) => n + v, 0)).toBe(view.physicalMemory);
    expect(view.pools.nonPaged).toBeGreaterThan(2 * 1024 * 1024);
    expect(view.pools.paged).toBeGreaterThan(4 * 1024 * 1024);
  });
});
