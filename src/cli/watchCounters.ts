import type { StreamMessage } from '../shared/api';
import { VmscopeError } from '../shared/errors';
import { describeTrend, detectLeak } from '../shared/leak';
import type { Sample, SourceId } from '../shared/model';
import { type SeriesRow, nextRow } from '../shared/series';
import { seriesCsvHeader, seriesCsvLine } from '../shared/seriesCsv';
import type { CliContext } from './context';

export interface WatchOptions {
  pid: number;
  source?: SourceId;
  interval: number;
  duration?: number;
  format: 'csv' | 'json';
}

type End =
  | { why: 'duration' | 'interrupted' }
  | { why: 'stream'; message: Extract<StreamMessage, { kind: 'end' }> };

/** `vmscope watch`: prints each sample as it comes, then the trend of private bytes. */
export async function watchCounters(ctx: CliContext, opts: WatchOptions): Promise<void> {
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
