import { Option, type Command } from 'commander';
import { ENGINE_KINDS, type EngineKind } from '../../shared/engineKinds';
import type { CliContext } from '../context';

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
      const { loadSandboxScript, runSandboxScript } = await import('../../core/sandbox/runScript');
      const loaded = await loadSandboxScript(file);
      const result = await runSandboxScript(ctx.client, loaded, opts.engine);
      ctx.out(
        opts.format === 'text'
          ? (await import('../sandboxTranscript')).renderSandboxRun(
              loaded.json as { steps: Record<string, unknown>[] },
              result,
            )
          : JSON.stringify(result, null, 2),
      );
    });
  // The live engine's child process (src/core/sandbox/live/child.ts), started by the service.
  sandbox
    .command('child', { hidden: true })
    .action(async () => (await import('../../core/sandbox/live/child')).runLiveChild());
}
