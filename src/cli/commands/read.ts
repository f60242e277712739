import { type Command, InvalidArgumentError, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { formatAddress, parseUserAddress } from '../../shared/address';
import { hexDumpLines } from '../../shared/hexDump';
import type { MemoryHole } from '../../shared/memoryContents';
import { MAX_READ_BYTES } from '../../shared/memoryScan';
import type { CliContext } from '../context';
import {
  type ContentsTargetOptions,
  addContentsTargetOptions,
  contentsTarget,
} from '../contentsTarget';
import { intArg } from '../options';
import { noteOwnProcess } from '../scanStream';

/** The most one `vmscope read` prints (it reads MAX_READ_BYTES a call). */
const MAX_CLI_READ = 2 ** 40;

interface ReadOptions extends ContentsTargetOptions {
  address: bigint;
  size: number;
  format: 'hex' | 'raw';
  out?: string;
}

/** A byte count in decimal or 0x hex, in [1, MAX_CLI_READ]. */
function sizeArg(value: string): number {
  const size = /^0x[0-9a-f]+$/i.test(value) ? Number(value) : NaN;
  return Number.isNaN(size)
    ? intArg(1, MAX_CLI_READ)(value)
    : intArg(1, MAX_CLI_READ)(String(size));
}

function addressArg(value: string): bigint {
  const address = parseUserAddress(value);
  if (address === null)
    throw new InvalidArgumentError(`expected a hex address such as 0x7ffd1000, got "${value}".`);
  return address;
}

export function registerRead(program: Command, ctx: CliContext): void {
  addContentsTargetOptions(
    program
      .command('read')
      .description("print a range of a process's (or a dump's) memory, like xxd (read-only)"),
  )
    .addOption(
      new Option('--address <hex>', 'first byte, in hex')
        .argParser(addressArg)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--size <bytes>', 'how many bytes (decimal or 0x hex)')
        .argParser(sizeArg)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--format <format>', 'hex (address, 16 bytes, ASCII) or raw bytes')
        .choices(['hex', 'raw'])
        .default('hex'),
    )
    .option('--out <file>', 'write to this file instead of standard output')
    .action((opts: ReadOptions) => read(ctx, opts));
}

async function read(ctx: CliContext, opts: ReadOptions): Promise<void> {
  const target = await contentsTarget(ctx, opts);
  const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
  const holes: (MemoryHole & { address: bigint })[] = [];
  let own = false;
  try {
    for (let done = 0; done < opts.size; done += MAX_READ_BYTES) {
      const address = opts.address + BigInt(done);
      const size = Math.min(MAX_READ_BYTES, opts.size - done);
      const chunk = await ctx.client.call('region.read', {
        ...target,
        address: formatAddress(address),
        size,
      });
      own ||= chunk.ownProcess === true;
      for (const h of chunk.holes) holes.push({ ...h, address: address + BigInt(h.offset) });
      const text =
        opts.format === 'hex'
          ? `${hexDumpLines(address, chunk.bytes, chunk.holes).join('\n')}\n`
          : chunk.bytes;
      if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
    }
  } finally {
    if (opts.out) await new Promise((resolve) => out.end(resolve));
  }
  if (own) noteOwnProcess(target.pid);
  // Raw output has zeros under the holes: say where they are, so they are not taken for data.
  for (const h of holes)
    process.stderr.write(
      `vmscope: ${formatAddress(h.address)}+0x${h.size.toString(16)} not read: ${h.reason}\n`,
    );
}
