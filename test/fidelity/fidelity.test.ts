/**
 * Every case of the ported table (test/fidelity/cases) runs as a sandbox script through the public
 * runner on the simulator, and every asserted step answers as Windows does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSandboxScript } from '../../src/shared/sandboxScript';
import { runSimulated } from '../../src/core/sandbox/simulatedEngine';
import { FIDELITY_TABLE } from './cases';
import { failures, scriptOf } from './table';
import { wineMarkTable } from './wineMarks';

/** `wine dlls/….c:LINE@COMMIT function` or `reactos modules/rostests/….c:LINE@COMMIT function`. */
const CITATION = /^(wine dlls|reactos modules\/rostests)\/\S+\.c:\d+@[0-9a-f]{8} \w+/;

describe('the ported conformance table on the simulator', () => {
  it('has at least 300 asserted steps, each citing file:line@commit of its assertion', () => {
    const asserted = FIDELITY_TABLE.flatMap((c) => c.rows.filter((r) => r.expect));
    expect(asserted.length).toBeGreaterThanOrEqual(300);
    const uncited = asserted.map((r) => r.source).filter((source) => !CITATION.test(source));
    expect(uncited).toEqual([]);
  });

  it("docs/sandbox.md lists exactly the rows marked as Wine's differences", () => {
    expect(readFileSync(new URL('../../docs/sandbox.md', import.meta.url), 'utf8')).toContain(
      wineMarkTable(),
    );
  });

  it.each(FIDELITY_TABLE.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const parsed = parseSandboxScript(scriptOf(c));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(failures(c, runSimulated(parsed.script))).toEqual([]);
  });
});
