import { Option, type Command } from 'commander';
import { runLiveChild } from '../../core/sandbox/live/child';
import { loadSandboxScript, runSandboxScript } from '../../core/sandbox/runScript';
import { SANDBOX_ENGINES, type SandboxEngine } from '../../shared/sandboxScript';
import type { CliContext } from '../context';

export function registerSandbox(program: Command, ctx: CliContext): void {
  const sandbox = program.command('sandbox').description('run Windows memory-management experiments (docs/sandbox-script.md)');
  sandbox
    .command('run')
    .description('run a sandbox script and print each step and the final regions as JSON')
    .argument('<file>', 'the script (JSON)')
    .addOption(new Option('--engine <engine>', 'where the steps run (default: the script\'s "engine", else simulated)').choices([...SANDBOX_ENGINES]))
    .action(async (file: string, opts: { engine?: SandboxEngine }) => {
      const script = await loadSandboxScript(file);
      const result = await runSandboxScript(script, opts.engine);
      ctx.out(JSON.stringify(result, null, 2));
    });
  // The live engine's child process (src/core/sandbox/live/child.ts), started by the service.
  sandbox.command('child', { hidden: true }).action(() => runLiveChild());
}
