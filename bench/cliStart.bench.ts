/**
 * What starting the installed command costs: `vmscope --version` vs `node -e 0`, run
 * interleaved (goal: at most 2x). The command loads only commander and the commands'
 * declarations at start (src/cli/main.ts); this figure says whether that stays so. Also
 * informational: `vmscope --help`, which builds every command's options.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Bench, type BenchFigure, fromStats, interleaved, referenceOf } from './harness';
import { BENCH_NAMES } from './names';

const CLI = 'bin/vmscope.mjs';
const BUILT_CLI = 'out/node/cli.js';
const RUNS = 21;

/** Runs node with args, output thrown away; fails loudly if it fails. */
function node(args: string[]): void {
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
}

export const cliStartBench: Bench = {
  name: BENCH_NAMES.cliStart,
  skipReason: () => (existsSync(BUILT_CLI) ? null : `${BUILT_CLI} is missing (run npm run build)`),
  async run(): Promise<BenchFigure[]> {
    const stats = await interleaved(
      {
        node: () => node(['-e', '0']),
        version: () => node([CLI, '--version']),
        help: () => node([CLI, '--help']),
      },
      { runs: RUNS, warmup: 2 },
    );
    const reference = referenceOf('node -e 0', stats.node, 'ms');
    return [
      fromStats('vmscope --version', stats.version, 'ms', {
        reference,
        ratio: stats.version.median / stats.node.median,
        goal: { of: 'ratio', op: '<=', limit: 2 },
      }),
      fromStats('vmscope --help', stats.help, 'ms', {
        reference,
        ratio: stats.help.median / stats.node.median,
      }),
    ];
  },
};
