/**
 * The ported table on the live Linux engine: every asserted row answers as Windows does, except
 * the rows LINUX_DIFFERENCES lists (and docs/sandbox.md documents); and no row, however bad its
 * arguments, loses the child except a real access fault.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveChild } from '../../src/core/sandbox/live/liveChild';
import { DEFAULT_CAPS } from '../../src/core/sandbox/live/protocol';
import { parseSandboxScript } from '../../src/shared/sandboxScript';
import { FIDELITY_TABLE } from './cases';
import { LINUX_DIFFERENCES, linuxDifferenceTable } from './linuxDifferences';
import { mismatches, scriptOf } from './table';

const engines: LiveChild[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));

/** Cases that name the simulated process's own addresses or files run on no live engine (as under Wine). */
const LIVE_CASES = FIDELITY_TABLE.filter((c) => !c.simulatorOnly);

describe.runIf(process.platform === 'linux')('the ported table on the live Linux engine', () => {
  it.each(LIVE_CASES.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const parsed = parseSandboxScript(scriptOf(c));
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const engine = new LiveChild(DEFAULT_CAPS);
      engines.push(engine);
      const differing: number[] = [];
      const lostChild: string[] = [];
      let before: Record<string, string> = {};
      for (const [i, step] of parsed.script.steps.entries()) {
        const run = await engine.run(step);
        // Only a real access may end the child (a restart), and then with a real exception.
        if (run.restarted && !['Read', 'Write', 'Execute'].includes(step.op))
          lostChild.push(`${i} ${step.op}: ${run.calls.join(' | ')}`);
        const bound = run.restarted ? before : (run.bound ?? {});
        before = run.bound ?? {};
        const expectation = c.rows[i]!.expect;
        if (!expectation) continue;
        if (
          mismatches(
            expectation,
            run.result,
            new Map(Object.entries(bound).map(([k, v]) => [k, BigInt(v)])),
          ).length > 0
        )
          differing.push(i);
      }
      expect(lostChild).toEqual([]);
      expect(differing).toEqual(LINUX_DIFFERENCES.find((d) => d.case === c.name)?.steps ?? []);
    },
    120_000,
  );

  it('docs/sandbox.md documents exactly these differences', () => {
    expect(readFileSync(new URL('../../docs/sandbox.md', import.meta.url), 'utf8')).toContain(
      linuxDifferenceTable(),
    );
  });
});
