import { type Command, Option } from 'commander';
import { resolve } from 'node:path';
import { VmscopeError } from '../shared/errors';
import type { SourceId } from '../shared/model';
import type { CliContext } from './context';
import { pidOption, sourceOption } from './options';

/** Where read, strings and search look: a live process, or the bytes a dump or core file captured. */
export interface ContentsTarget {
  pid: number;
  source?: SourceId;
  /** The dump's index among the service's opened files. */
  file?: number;
}

export interface ContentsTargetOptions {
  pid?: number;
  source?: SourceId;
  dump?: string;
}

/** --pid N [--source S], or --dump FILE (docs/dumps.md), as `snapshot` takes them. */
export function addContentsTargetOptions(command: Command): Command {
  return command
    .addOption(pidOption().makeOptionMandatory(false))
    .addOption(
      new Option(
        '--dump <file>',
        'a Windows minidump or Linux core file instead of a live process (its captured bytes)',
      ),
    )
    .addOption(sourceOption().conflicts('dump'));
}

/** The target the options name: a dump's pid is its own (a --pid given with it must match). */
export async function contentsTarget(
  ctx: CliContext,
  opts: ContentsTargetOptions,
): Promise<ContentsTarget> {
  if (opts.dump === undefined) {
    if (opts.pid === undefined)
      throw new VmscopeError('invalid-input', 'Give --pid N (a live process) or --dump FILE.');
    return { pid: opts.pid, source: opts.source };
  }
  const file = ctx.openFiles.push(resolve(opts.dump)) - 1;
  const pid = opts.pid ?? (await ctx.client.call('files.snapshot', { index: file })).process.pid;
  return { pid, file };
}
