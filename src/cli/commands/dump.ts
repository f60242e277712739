import { type Command, Option } from 'commander';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pidOption } from '../options';

interface DumpOptions {
  pid: number;
  out: string;
  format?: 'core' | 'minidump';
}

export function registerDump(program: Command): void {
  program
    .command('dump')
    .description(
      'write a dump of a running process: a core file on Linux (gcore), a minidump on Windows (docs/dumps.md)',
    )
    .addOption(pidOption())
    .addOption(
      new Option('--out <file>', 'the file to write (whole or not at all)').makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--format <format>',
        "core (Linux) or minidump (Windows); default: this system's",
      ).choices(['core', 'minidump']),
    )
    .action(async (opts: DumpOptions) => {
      const { writeDump } = await import('../../core/dumps/writeDump');
      const out = resolve(opts.out);
      const format = await writeDump(opts.pid, out, opts.format);
      process.stderr.write(
        `vmscope: wrote a ${format === 'core' ? 'core file' : 'minidump'} of process ${opts.pid} to ${opts.out} (${statSync(out).size} bytes)\n`,
      );
    });
}
