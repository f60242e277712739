import type { Command } from 'commander';
import { formatBytes } from '../../shared/format';
import type { CliContext } from '../context';
import { sourceOption } from '../options';
import { renderTable } from '../table';

export function registerPs(program: Command, ctx: CliContext): void {
  program
    .command('ps')
    .description('list processes with their working set and private bytes')
    .addOption(sourceOption())
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { source?: 'linux' | 'windows' | 'simulated'; json?: boolean }) => {
      const list = await ctx.client.call('processes.list', { source: opts.source });
      list.sort((a, b) => (b.workingSetSize ?? -1) - (a.workingSetSize ?? -1) || a.pid - b.pid);
      if (opts.json) return ctx.out(JSON.stringify(list, null, 2));
      ctx.out(
        renderTable(
          ['PID', 'PPID', 'USER', 'WORKING SET', 'PRIVATE', 'NAME'],
          list.map((p) => [
            String(p.pid),
            String(p.parentPid ?? ''),
            p.user ?? '',
            p.kernelThread ? '-' : formatBytes(p.workingSetSize),
            p.kernelThread ? '-' : formatBytes(p.privateBytes),
            p.kernelThread ? `[${p.name}]` : p.name,
          ]),
          [true, true, false, true, true, false],
        ),
      );
    });
}
