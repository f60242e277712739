import { type Command, Option } from 'commander';
import type { StringEncoding } from '../../shared/memoryScan';
import type { CliContext } from '../context';
import {
  type ContentsTargetOptions,
  addContentsTargetOptions,
  contentsTarget,
} from '../contentsTarget';
import { intArg } from '../options';
import { noteOwnProcess, runScan } from '../scanStream';

interface StringsOptions extends ContentsTargetOptions {
  min: number;
  encoding: 'ascii' | 'utf16' | 'all';
  format: 'text' | 'json';
}

const ENCODINGS: Record<StringsOptions['encoding'], StringEncoding[]> = {
  ascii: ['ascii'],
  utf16: ['utf16le'],
  all: ['ascii', 'utf16le'],
};

export function registerStrings(program: Command, ctx: CliContext): void {
  addContentsTargetOptions(
    program
      .command('strings')
      .description(
        "print the printable strings in a process's (or a dump's) committed memory, like strings -a",
      ),
  )
    .addOption(
      new Option('--min <chars>', 'shortest string (2 to 1024)')
        .argParser(intArg(2, 1024))
        .default(4),
    )
    .addOption(
      new Option('--encoding <encoding>', 'ascii, utf16 (UTF-16LE) or all')
        .choices(['ascii', 'utf16', 'all'])
        .default('all'),
    )
    .addOption(
      new Option(
        '--format <format>',
        'text (ADDRESS<TAB>ENCODING<TAB>STRING) or json (one object per line)',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (opts: StringsOptions) => {
      const target = await contentsTarget(ctx, opts);
      let own = false;
      let truncated = false;
      await runScan(
        ctx,
        'process.strings',
        { ...target, min: opts.min, encodings: ENCODINGS[opts.encoding] },
        (event) => {
          own ||= event.ownProcess === true;
          truncated ||= event.finished?.truncated === true;
          if (event.strings.length === 0) return;
          ctx.out(
            event.strings
              .map((s) =>
                opts.format === 'json'
                  ? JSON.stringify(s)
                  : `${s.address}\t${s.encoding}\t${s.text.replace(/[\t\n\r]/g, ' ')}`,
              )
              .join('\n'),
          );
        },
      );
      if (own) noteOwnProcess(target.pid);
      if (truncated) process.stderr.write('vmscope: stopped at the most strings one scan gives.\n');
    });
}
