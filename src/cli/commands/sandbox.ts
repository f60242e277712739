import { Option, type Command } from 'commander';
import { runLiveChild } from '../../core/sandbox/live/child';
import { loadSandboxScript, runSandboxScript } from '../../core/sandbox/runScript';
import { ENGINE_KINDS, type EngineKind } from '../../shared/sandboxScript';
import { formatBytes } from '../../shared/format';
import type { SandboxRunOutput } from '../../shared/sandboxSession';
import { formatStep } from '../../shared/win32Call';
import type { CliContext } from '../context';

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

export function registerSandbox(program: Command, ctx: CliContext): void {
  const sandbox = program
    .command('sandbox')
    .description('run Windows memory-management experiments (docs/sandbox-script.md)');
  sandbox
    .command('run')
    .description(
      'run a sandbox script and print each step, the final regions and allocations as JSON (versioned)',
    )
    .argument('<file>', 'the script (JSON)')
    .addOption(
      new Option(
        '--engine <engine>',
        'where the steps run (default: the script\'s "engine", else simulated)',
      ).choices([...ENGINE_KINDS]),
    )
    .addOption(
      new Option('--format <format>', 'json (versioned), or text: one Win32 call per line')
        .choices(['json', 'text'])
        .default('json'),
    )
    .action(async (file: string, opts: { engine?: EngineKind; format: 'json' | 'text' }) => {
      const loaded = await loadSandboxScript(file);
      const result = await runSandboxScript(ctx.client, loaded, opts.engine);
      ctx.out(
        opts.format === 'text'
          ? renderSandboxRun(loaded.json as { steps: Record<string, unknown>[] }, result)
          : JSON.stringify(result, null, 2),
      );
    });
  // The live engine's child process (src/core/sandbox/live/child.ts), started by the service.
  sandbox.command('child', { hidden: true }).action(() => runLiveChild());
}
