import { Option, type Command } from 'commander';
import type { CliContext } from '../context';

export function registerDiff(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .description(
      'compare two snapshot files: regions that grew, shrank, moved, changed protection, were added or removed, and deltas per kind',
    )
    .argument('<before>', 'the earlier vmscope-snapshot JSON file')
    .argument('<after>', 'the later vmscope-snapshot JSON file')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .action(async (beforePath: string, afterPath: string, opts: { format: 'text' | 'json' }) => {
      const [{ readSnapshotFile }, { diffSnapshots }, { diffToText }] = await Promise.all([
        import('../../core/io/readSnapshotFile'),
        import('../../shared/snapshotDiff'),
        import('../diffText'),
      ]);
      const [before, after] = await Promise.all([
        readSnapshotFile(beforePath),
        readSnapshotFile(afterPath),
      ]);
      const diff = diffSnapshots(before, after);
      ctx.out(opts.format === 'json' ? JSON.stringify(diff, null, 2) : diffToText(diff));
    });
}
