import { describe, expect, it } from 'vitest';
import { dispatchCall } from '../../src/core/dispatch';
import { createService } from '../../src/core/service';
import { SourceRegistry } from '../../src/core/sources/registry';
import type { MachineClock, MachineView } from '../../src/shared/machineView';
import type { ProcessInfo, Snapshot } from '../../src/shared/model';

describe('simulated source through the contract', () => {
  const service = createService(new SourceRegistry());

  it('is available on every platform', async () => {
    const r = await dispatchCall(service, 'system.info', {});
    expect(r.ok && (r.value as { sources: string[] }).sources).toContain('simulated');
  });

  it('lists processes with Windows paths, users and sizes, snapshots them and reads counters', async () => {
    const list = await dispatchCall(service, 'processes.list', { source: 'simulated' });
    expect(list.ok).toBe(true);
    const processes = (list as { value: ProcessInfo[] }).value;
    expect(processes.length).toBeGreaterThanOrEqual(4);
    for (const p of processes) {
      expect(p.path).toMatch(/^C:\\Program Files\\/);
      expect(p.user).toBeTruthy();
      expect(p.startTime).toMatch(/^\d{4}-/);
    }
    const pid = processes[0]!.pid;
    const snap = await dispatchCall(service, 'process.snapshot', { source: 'simulated', pid });
    expect(snap.ok).toBe(true);
    const snapshot = (snap as { value: Snapshot }).value;
    expect(snapshot.source).toBe('simulated');
    expect(snapshot.system.allocationGranularity).toBe(65536);
    expect(snapshot.regions.some((r) => r.state === 'free')).toBe(true);
    const counters = await dispatchCall(service, 'process.counters', { source: 'simulated', pid });
    expect(counters.ok).toBe(true);
  });

  it('answers process-exited for an unknown pid', async () => {
    const r = await dispatchCall(service, 'process.counters', { source: 'simulated', pid: 99991 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('process-exited');
  });

  it('machine.view: every frame on one list, uses and processes of the simulated machine', async () => {
    const r = await dispatchCall(service, 'machine.view', {});
    expect(r.ok).toBe(true);
    const view = (r as { value: MachineView }).value;
    expect(Object.values(view.byList).reduce((n, v) => n + v, 0)).toBe(view.physicalMemory);
    expect(view.byUse.mappedFile.active).toBeGreaterThan(0);
    expect(view.byUse.shareable.active).toBeGreaterThan(0);
    expect(view.processes.map((p) => p.name)).toContain('leakysvc.exe');
    expect((await dispatchCall(service, 'machine.view', { pid: 1 })).ok).toBe(false);
  });

  it('machine.clock pauses, steps and resumes the simulated clock', async () => {
    const clock = async (input: object): Promise<MachineClock> => {
      const r = await dispatchCall(service, 'machine.clock', input);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as MachineClock;
    };
    const paused = await clock({ action: 'pause' });
    expect(paused.paused).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await clock({ action: 'read' })).timeMs).toBe(paused.timeMs);
    expect((await clock({ action: 'step', ms: 5000 })).timeMs).toBe(paused.timeMs + 5000);
    expect((await clock({ action: 'resume' })).paused).toBe(false);
    expect((await dispatchCall(service, 'machine.clock', { action: 'rewind' })).ok).toBe(false);
  });
});
