import { afterAll, describe, expect, it } from 'vitest';
import { listLinuxProcesses, readProcessInfo } from '../src/core/sources/linux/processList';
import { readLinuxCounters } from '../src/core/sources/linux/linuxSource';
import { spawnChild, stopAllChildren, stopChild } from './support/children';

afterAll(stopAllChildren);

describe.runIf(process.platform === 'linux')('the Linux process list, from real /proc', () => {
  it('finds a child it spawned by pid and name, then loses it when it exits', async () => {
    const child = spawnChild('sleep', ['300']);
    const pid = child.pid!;
    const before = await listLinuxProcesses();
    const found = before.find((p) => p.pid === pid);
    expect(found).toBeDefined();
    expect(found).toMatchObject({ name: 'sleep', parentPid: process.pid, kernelThread: false });
    expect(found?.path).toMatch(/\/sleep$/);
    expect(found?.commandLine).toBe('sleep 300');
    expect(found?.workingSetSize).toBeGreaterThan(0);
    expect(Date.parse(found?.startTime ?? '')).toBeGreaterThan(Date.now() - 60_000);

    await stopChild(child);
    const after = await listLinuxProcesses();
    expect(after.some((p) => p.pid === pid)).toBe(false);
    await expect(readProcessInfo(pid)).rejects.toMatchObject({ code: 'process-exited' });
  });

  it('lists this test process with its own working set', async () => {
    const me = (await listLinuxProcesses()).find((p) => p.pid === process.pid);
    expect(me?.workingSetSize).toBeGreaterThan(10 * 1024 * 1024);
    expect(me?.privateBytes).toBeGreaterThan(0);
    expect(me?.user).toBeTruthy();
  });

  it('shows kernel threads as such, without memory figures', async () => {
    const list = await listLinuxProcesses();
    const kthreadd = list.find((p) => p.pid === 2 && p.name === 'kthreadd');
    // Containers often hide pid 2; where it exists it must be marked.
    if (kthreadd) expect(kthreadd).toMatchObject({ kernelThread: true, workingSetSize: null });
    expect(list.filter((p) => !p.kernelThread).length).toBeGreaterThan(1);
  });

  it('reads counters that agree with the process list', async () => {
    const counters = await readLinuxCounters(process.pid);
    expect(counters.workingSetSize).toBeGreaterThan(0);
    expect(counters.pageFaultCount).toBe(
      (counters.softFaultCount ?? 0) + (counters.hardFaultCount ?? 0),
    );
    expect(counters.virtualSize).toBeGreaterThanOrEqual(counters.workingSetSize);
    expect(counters.linux?.rssAnon).toBe(counters.privateWorkingSetSize);
  });
});
