/**
 * Every case of the ported table (test/fidelity/cases) runs as a sandbox script through the public
 * runner on the simulator, and every asserted step answers as Windows does.
 */
import { describe, expect, it } from 'vitest';
import { parseSandboxScript } from '../../src/shared/sandboxScript';
import { runSimulated } from '../../src/core/sandbox/simulatedEngine';
import { FIDELITY_TABLE } from './cases';
import { failures, scriptOf } from './table';

describe('the ported conformance table on the simulator', () => {
  it('has at least 300 asserted steps, each citing its source', () => {
    const asserted = FIDELITY_TABLE.flatMap((c) => c.rows.filter((r) => r.expect));
    expect(asserted.length).toBeGreaterThanOrEqual(300);
    for (const row of asserted)
      expect(row.source).toMatch(
        /^(wine dlls\/|reactos modules\/rostests\/)\S+ \w+|^microsoft docs \w+/,
      );
  });

  it('cites file:line@commit for each assertion, but in the cases still waiting for their lines', () => {
    // Their cited Wine versions (heap.c at 0a95b94f) or ReactOS's files were not at hand to count lines.
    const waiting = FIDELITY_TABLE.filter(
      (c) => c.name.startsWith('ReactOS') || c.rows.some((r) => r.source.includes('heap.c')),
    );
    expect(waiting.map((c) => c.name)).toEqual([
      'ReactOS NtFreeVirtualMemory',
      'ReactOS NtAllocateVirtualMemory CheckAlignment',
      'ReactOS NtAllocateVirtualMemory CheckAdjacentVADs',
      'ReactOS NtProtectVirtualMemory',
      'kernel32 test_HeapCreate: a growable heap',
      'kernel32 test_heap_sizes: first reservations',
    ]);
    const cited = FIDELITY_TABLE.filter((c) => !waiting.includes(c));
    for (const row of cited.flatMap((c) => c.rows).filter((r) => r.expect))
      expect(row.source).toMatch(/^wine dlls\/\S+\.c:\d+@[0-9a-f]{8} \w+|^microsoft docs \w+/);
  });

  it.each(FIDELITY_TABLE.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const parsed = parseSandboxScript(scriptOf(c));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(failures(c, runSimulated(parsed.script))).toEqual([]);
  });
});
