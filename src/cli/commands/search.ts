import type { Command } from 'commander';
import { VmscopeError } from '../../shared/errors';
import { MAX_SEARCH_MATCHES, type SearchKind, patternBytes } from '../../shared/memoryScan';
import type { CliContext } from '../context';
import { Option } from 'commander';
import {
  type ContentsTargetOptions,
  addContentsTargetOptions,
  contentsTarget,
} from '../contentsTarget';
import { noteOwnProcess, runScan } from '../scanStream';

interface SearchOptions extends ContentsTargetOptions {
  text?: string;
  utf16?: string;
  hex?: string;
  format: 'text' | 'json';
}

/** The one pattern given, or a usage error (exit 2). */
function patternOf(opts: SearchOptions): { kind: SearchKind; pattern: string } {
  const given = (['text', 'utf16', 'hex'] as const).filter((k) => opts[k] !== undefined);
  if (given.length !== 1)
    throw new VmscopeError('invalid-input', 'Give exactly one of --text, --utf16 or --hex.');
  const kind = given[0]!;
  const pattern = opts[kind]!;
  const bytes = patternBytes(kind, pattern);
  if (!bytes.ok) throw new VmscopeError('invalid-input', bytes.message);
  return { kind, pattern };
}

export function registerSearch(program: Command, ctx: CliContext): void {
  addContentsTargetOptions(
    program
      .command('search')
      .description("find text, UTF-16 text or bytes in a process's (or a dump's) committed memory"),
  )
    .option('--text <string>', 'UTF-8 text')
    .option('--utf16 <string>', 'UTF-16LE text (as Windows strings are kept)')
    .option('--hex <bytes>', 'bytes in hex, such as "de ad be ef"')
    .addOption(
      new Option(
        '--format <format>',
        'text (ADDRESS<TAB>REGIONBASE<TAB>KIND) or json (one object per line)',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (opts: SearchOptions) => {
      const { kind, pattern } = patternOf(opts);
      const target = await contentsTarget(ctx, opts);
      let own = false;
      let truncated = false;
      await runScan(ctx, 'process.search', { ...target, kind, pattern }, (event) => {
        own ||= event.ownProcess === true;
        truncated ||= event.finished?.truncated === true;
        if (event.matches.length === 0) return;
        ctx.out(
          event.matches
            .map((m) =>
              opts.format === 'json'
                ? JSON.stringify(m)
                : `${m.address}\t${m.regionBase}\t${m.kind}`,
            )
            .join('\n'),
        );
      });
      if (own) noteOwnProcess(target.pid);
      if (truncated)
        process.stderr.write(`vmscope: stopped after ${MAX_SEARCH_MATCHES} matches.\n`);
    });
}
