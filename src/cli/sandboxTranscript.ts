import { formatBytes } from '../shared/format';
import type { SandboxRunOutput } from '../shared/sandboxSession';
import { formatStep } from '../shared/win32Call';

/** A run as a program transcript: each step as its Win32 call and outcome, then the counters. */
export function renderSandboxRun(
  script: { steps: Record<string, unknown>[] },
  run: SandboxRunOutput,
): string {
  const width = String(run.steps.length).length;
  const lines = run.steps.map((result, i) => {
    const number = `${String(i + 1).padStart(width)}. `;
    const calls = result.calls.map((c) => `${' '.repeat(number.length)}  ${c}`);
    return [`${number}${formatStep(script.steps[i] ?? { op: result.op }, result)}`, ...calls].join(
      '\n',
    );
  });
  const c = run.counters;
  lines.push(
    '',
    `${run.engine} engine: working set ${formatBytes(c.workingSetSize)}, private ${formatBytes(c.privateUsage)}, ` +
      `${run.allocations.length} allocation(s), ${c.pageFaultCount} page fault(s)`,
  );
  return lines.join('\n');
}
