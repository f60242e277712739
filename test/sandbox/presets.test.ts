/** The playground's presets teach what they say: each runs on the simulated engine with the outcome its lesson names. */
import { describe, expect, it } from 'vitest';
import { runSimulated } from '../../src/core/sandbox/simulatedEngine';
import { parseSandboxScript } from '../../src/shared/sandboxScript';
import { PRESETS } from '../../src/renderer/src/views/sandbox/presets';

function run(name: string) {
  const preset = PRESETS.find((p) => p.name === name)!;
  const parsed = parseSandboxScript(preset.script);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return runSimulated(parsed.script).steps;
}

const outcome = (s: {
  exception: { name: string } | null;
  lastError: { name: string } | null;
  ok: boolean;
}) => s.exception?.name ?? s.lastError?.name ?? (s.ok ? 'ok' : 'failed');

describe('sandbox presets', () => {
  it('every preset is a valid script', () => {
    for (const p of PRESETS) expect(parseSandboxScript(p.script).ok, p.name).toBe(true);
  });

  it('dynamic array: a fault before each commit, success after', () => {
    expect(run('Dynamic array').map(outcome)).toEqual([
      'ok',
      'EXCEPTION_ACCESS_VIOLATION',
      'ok',
      'ok',
      'EXCEPTION_ACCESS_VIOLATION',
      'ok',
      'ok',
    ]);
  });

  it('reserve vs commit: commit charge after commit, working set only after touching', () => {
    const info = run('Reserve vs commit')
      .filter((s) => s.op === 'GetProcessMemoryInfo')
      .map((s) => s.info as { privateUsage: number; workingSetSize: number });
    // Counted from what process start left (images, stack, heap, PEB, TEB).
    const [start] = info;
    expect(
      info.map((i) => [
        i.privateUsage - start!.privateUsage,
        i.workingSetSize - start!.workingSetSize,
      ]),
    ).toEqual([
      [0, 0],
      [256 * 1024, 0],
      [256 * 1024, 64 * 1024],
    ]);
  });

  it('decommit vs release, guard pages and DEP', () => {
    expect(run('Decommit vs release').map(outcome)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'EXCEPTION_ACCESS_VIOLATION',
      'ERROR_INVALID_ADDRESS',
      'ok',
      'ok',
    ]);
    expect(run('Guard pages').map(outcome)).toEqual([
      'ok',
      'ok',
      'STATUS_GUARD_PAGE_VIOLATION',
      'ok',
    ]);
    const dep = run('DEP');
    expect(dep.map(outcome)).toEqual(['ok', 'ok', 'EXCEPTION_ACCESS_VIOLATION', 'ok', 'ok']);
    expect(dep[2]!.exception!.access).toBe('execute');
  });

  it('working-set trimming: hard faults for pages written out, soft faults for pages on standby or modified', () => {
    const steps = run('Working-set trimming');
    const faults = (i: number) =>
      (steps[i]!.info as { faults: { soft: number; hard: number } }).faults;
    expect(faults(3).hard).toBeGreaterThan(0);
    expect(faults(6).soft).toBeGreaterThan(0);
    expect(faults(6).hard).toBe(0);
  });

  it('copy-on-write: the written page of the copy view turns private; its commit was charged at mapping', () => {
    const steps = run('Copy-on-write');
    expect(steps.map((s) => s.ok)).toEqual(Array(steps.length).fill(true));
    const protect = (i: number) => (steps[i]!.info as { Protect: string }).Protect;
    expect([protect(6), protect(8), protect(9)]).toEqual([
      'PAGE_WRITECOPY',
      'PAGE_READWRITE',
      'PAGE_WRITECOPY',
    ]);
    const commit = (i: number) => (steps[i]!.info as { privateUsage: number }).privateUsage;
    expect(commit(5) - commit(0)).toBe(64 * 1024);
    expect(commit(10)).toBe(commit(5));
  });
});
