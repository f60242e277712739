import { Option, type Command } from 'commander';
import type { CliContext } from '../context';
import { intArg, pidOption, sourceOption } from '../options';
import type { WatchOptions } from '../watchCounters';

export function registerWatch(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description("sample a process's memory counters, then say whether its private bytes leak")
    .addOption(pidOption())
    .addOption(sourceOption())
    .addOption(
      new Option('--interval <ms>', 'milliseconds between samples (100 to 10000)')
        .argParser(intArg(100, 10_000))
        .default(1000),
    )
    .addOption(
      new Option(
        '--duration <s>',
        'stop after this many seconds (default: until the process exits or Ctrl-C)',
      ).argParser(intArg(1, 7 * 24 * 3600)),
    )
    .addOption(
      new Option('--format <format>', 'csv (trend on stderr) or json (one object per line)')
        .choices(['csv', 'json'])
        .default('csv'),
    )
    // papaparse and the trend code load only when a watch runs.
    .action(async (opts: WatchOptions) =>
      (await import('../watchCounters')).watchCounters(ctx, opts),
    );
}
