import { Option, type Command } from 'commander';
import type { StreamMessage } from '../../shared/api';
import { VmscopeError } from '../../shared/errors';
import { describeTrend, detectLeak } from '../../shared/leak';
import type { Sample, SourceId } from '../../shared/model';
import { type SeriesRow, nextRow } from '../../shared/series';
import { seriesCsvHeader, seriesCsvLine } from '../../shared/seriesCsv';
import type { CliContext } from '../context';
import { intArg, pidOption, sourceOption } from '../options';

interface WatchOptions {
  pid: number;
  source?: SourceId;
  interval: number;
  duration?: number;
  format: 'csv' | 'json';
}

type End =
  | { why: 'duration' | 'interrupted' }
  | { why: 'stream'; message: Extract<StreamMessage, { kind: 'end' }> };

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
    .action((opts: WatchOptions) => watch(ctx, opts));
}

async function watch(ctx: CliContext, opts: WatchOptions): Promise<void> {
  const samples: Sample[] = [];
  let previous: { sample: Sample; row: SeriesRow } | null = null;
  let finish: (end: End) => void = () => {};
  const ended = new Promise<End>((resolve) => (finish = resolve));

  const onSample = (sample: Sample): void => {
    // The header waits for the first sample, so a pid that is gone prints only the reason.
    if (opts.format === 'csv' && samples.length === 0) ctx.out(seriesCsvHeader());
    const row = nextRow(sample, previous);
    previous = { sample, row };
    samples.push(sample);
    ctx.out(opts.format === 'csv' ? seriesCsvLine(sample, row) : JSON.stringify(sample));
  };
  const subscription = await ctx.client.subscribe(
    'counters.watch',
    { pid: opts.pid, source: opts.source, intervalMs: opts.interval },
    (message) => {
      if (message.kind === 'data') message.data.forEach(onSample);
      else finish({ why: 'stream', message });
    },
  );
  const interrupt = (): void => finish({ why: 'interrupted' });
  process.once('SIGINT', interrupt);
  const timer = opts.duration
    ? setTimeout(() => finish({ why: 'duration' }), opts.duration * 1000)
    : undefined;
  const end = await ended;
  clearTimeout(timer);
  process.off('SIGINT', interrupt);
  await subscription.close();

  if (end.why === 'stream') {
    const { message } = end;
    if (message.reason === 'error' || samples.length === 0) {
      const error = message.error ?? {
        code: 'internal' as const,
        message: 'The watch ended unexpectedly.',
      };
      throw new VmscopeError(error.code as VmscopeError['code'], error.message);
    }
    if (message.reason === 'exited')
      process.stderr.write(
        `vmscope: process ${opts.pid} exited; the watch ends after ${samples.length} samples.\n`,
      );
  }
  const trend = detectLeak(samples.map((s) => ({ time: s.time, value: s.counters.privateUsage })));
  if (opts.format === 'json') ctx.out(JSON.stringify({ trend }));
  else
    process.stderr.write(
      `vmscope: trend: ${describeTrend(trend, (t) => new Date(t).toISOString())}\n`,
    );
}
