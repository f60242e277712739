import { Option, type Command } from 'commander';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import { VmscopeError } from '../../shared/errors';
import { wantExtrasText } from '../../shared/extrasText';
import type { SourceId } from '../../shared/model';
import type { CliContext } from '../context';
import { pidOption, sourceOption } from '../options';

interface SnapshotOptions {
  pid?: number;
  dump?: string;
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
    .addOption(pidOption().makeOptionMandatory(false).conflicts('dump'))
    .option(
      '--dump <file>',
      'a Windows minidump or Linux core file instead of a live process (docs/dumps.md)',
    )
    .addOption(sourceOption().conflicts('dump'))
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
      if (opts.pid === undefined && opts.dump === undefined)
        throw new VmscopeError('invalid-input', 'Give --pid N (a live process) or --dump FILE.');
      // The snapshot is taken in this thread: the Linux source may write region.linux as JSON
      // text while it waits for the kernel (extrasText.ts).
      if (opts.format === 'json') wantExtrasText(true);
      const snapshot =
        opts.dump !== undefined
          ? (await import('../../core/dumps/openDump')).snapshotFromDumpPath(opts.dump, {
              includeFree: opts.free,
            })
          : await ctx.client.call('process.snapshot', {
              pid: opts.pid!,
              source: opts.source,
              includeFree: opts.free,
            });
      const pid = snapshot.process.pid;
      if (snapshot.details) process.stderr.write(`vmscope: process ${pid}: ${snapshot.details}\n`);
      if (snapshot.truncated) {
        const { at, reason } = snapshot.truncated;
        process.stderr.write(
          `vmscope: warning: process ${pid}: truncated, no regions from ${at} up: ${reason}\n`,
        );
      }
      for (const missing of snapshot.origin?.missing ?? [])
        process.stderr.write(`vmscope: note: ${opts.dump}: ${missing}\n`);
      // Both documents end with a line break (CSV's is CRLF). JSON goes out a megabyte at a time
      // from one reused buffer, each chunk taken by stdout or the file before the next is written.
      const document: Iterable<Uint8Array> =
        opts.format === 'csv'
          ? [(await import('../../shared/snapshotCsv')).snapshotCsv(snapshot)]
          : (await import('../../shared/snapshotJsonWriter')).snapshotJsonChunks(snapshot, {
              reuse: true,
            });
      if (opts.out === undefined || opts.out === '-') {
        for (const chunk of document) await ctx.write(chunk);
        return;
      }
      const { regionCount } = await import('../../shared/snapshotColumns');
      await writeFileAtomic(opts.out, document);
      process.stderr.write(
        `vmscope: wrote ${regionCount(snapshot)} regions of process ${pid} to ${opts.out}\n`,
      );
    });
}
