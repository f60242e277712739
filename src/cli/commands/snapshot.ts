import { Option, type Command } from 'commander';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import type { SourceId } from '../../shared/model';
import type { CliContext } from '../context';
import { pidOption, sourceOption } from '../options';

interface SnapshotOptions {
  pid: number;
  source?: SourceId;
  format: 'json' | 'csv';
  out?: string;
  free: boolean;
}

export function registerSnapshot(program: Command, ctx: CliContext): void {
  program
    .command('snapshot')
    .description(
      "every region of a process's address space, as JSON or CSV (formats: docs/snapshot-format.md)",
    )
    .addOption(pidOption())
    .addOption(sourceOption())
    .addOption(
      new Option('--format <format>', 'json (the whole snapshot) or csv (one row per region)')
        .choices(['json', 'csv'])
        .default('json'),
    )
    .option(
      '--out <file>',
      'write to this regular file (atomically: a temporary file, then rename); - or no --out: stdout',
    )
    .option('--no-free', 'leave out the free gaps between allocations')
    .action(async (opts: SnapshotOptions) => {
      const snapshot = await ctx.client.call('process.snapshot', {
        pid: opts.pid,
        source: opts.source,
        includeFree: opts.free,
      });
      if (snapshot.details)
        process.stderr.write(`vmscope: process ${opts.pid}: ${snapshot.details}\n`);
      if (snapshot.truncated) {
        const { at, reason } = snapshot.truncated;
        process.stderr.write(
          `vmscope: warning: process ${opts.pid}: truncated, no regions from ${at} up: ${reason}\n`,
        );
      }
      const [{ snapshotCsv }, { snapshotJsonChunks, snapshotToJsonBytes }] = await Promise.all([
        import('../../shared/snapshotCsv'),
        import('../../shared/snapshotJsonWriter'),
      ]);
      // Both documents end with a line break (CRLF for CSV). JSON goes out as it is written.
      if (opts.out === undefined || opts.out === '-') {
        const chunks =
          opts.format === 'csv' ? [snapshotCsv(snapshot)] : snapshotJsonChunks(snapshot);
        for (const chunk of chunks) await ctx.write(chunk);
        return;
      }
      const data = opts.format === 'csv' ? snapshotCsv(snapshot) : snapshotToJsonBytes(snapshot);
      const { regionCount } = await import('../../shared/snapshotColumns');
      await writeFileAtomic(opts.out, data);
      process.stderr.write(
        `vmscope: wrote ${regionCount(snapshot)} regions of process ${opts.pid} to ${opts.out}\n`,
      );
    });
}
