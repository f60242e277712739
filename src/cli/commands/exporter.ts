import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliContext } from '../context';
import { DEFAULT_LISTEN, type ListenAddress, parseListenAddress } from '../exporter/listenAddress';
import type { ExporterOptions } from '../exporter/runExporter';
import { DEFAULT_TOP, MAX_EXPORTED_PROCESSES } from '../exporter/selection';
import { intArg, sourceOption } from '../options';

const collect =
  <T>(parse: (value: string) => T) =>
  (value: string, previous: T[] = []): T[] => [...previous, parse(value)];

function regexArg(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (err) {
    throw new InvalidArgumentError(`not a valid regular expression: ${(err as Error).message}.`);
  }
}

function listenArg(value: string): ListenAddress {
  try {
    return parseListenAddress(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function registerExporter(program: Command, ctx: CliContext): void {
  program
    .command('exporter')
    .description(
      'serve process memory metrics to Prometheus (GET /metrics, OpenMetrics or text 0.0.4)',
    )
    .addOption(
      new Option(
        '--listen <host:port>',
        'address to serve on; anything but loopback exposes your processes',
      )
        .argParser(listenArg)
        .default(parseListenAddress(DEFAULT_LISTEN), DEFAULT_LISTEN),
    )
    .addOption(
      new Option(
        '--match <regex>',
        'report processes whose name or command line matches (repeatable)',
      ).argParser(collect(regexArg)),
    )
    .addOption(
      new Option('--pid <pid>', 'report this process (repeatable)').argParser(
        collect(intArg(1, 2 ** 31 - 1)),
      ),
    )
    .addOption(
      new Option(
        '--top <n>',
        `report at most this many matching processes, largest working set first (hard cap ${MAX_EXPORTED_PROCESSES})`,
      )
        .argParser(intArg(1, MAX_EXPORTED_PROCESSES))
        .default(DEFAULT_TOP),
    )
    .addOption(
      new Option('--interval <ms>', 'milliseconds between samples of each process (100 to 60000)')
        .argParser(intArg(100, 60_000))
        .default(5000),
    )
    .option(
      '--regions',
      'also report bytes by region kind and state (costs a snapshot per process per interval)',
      false,
    )
    .addOption(sourceOption())
    // The exporter's modules (the worker host, the HTTP server) load only when it runs.
    .action(async (opts: ExporterOptions) =>
      (await import('../exporter/runExporter')).runExporter(ctx, {
        ...opts,
        match: opts.match ?? [],
        pid: opts.pid ?? [],
      }),
    );
}
