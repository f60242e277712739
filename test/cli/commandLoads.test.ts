/**
 * A command loads only the modules it runs (issue 17: `vmscope snapshot --format json` at least 2x
 * faster than `pmap -X`; compiling the service's unused parts was a tenth of it). The built CLI
 * runs under module hooks that log each file it loads; each chunk's source map names the
 * sources in it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../support/cli';

const LOAD_LOG = resolve('test/support/loadLog.mjs');
const dir = mkdtempSync(join(tmpdir(), 'vmscope-loads-'));

/** The source files (relative to the repository) in the chunks that `vmscope …args` loads. */
function sourcesLoadedBy(args: string[]): { sources: string[]; stdout: string } {
  const log = join(dir, `${args[0]}-${Math.random().toString(36).slice(2)}.log`);
  const run = spawnSync(process.execPath, ['--import', LOAD_LOG, CLI, ...args], {
    env: { ...process.env, VMSCOPE_LOAD_LOG: log },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.endsWith('.js') && url.includes('/out/node/'))
    .map((url) => fileURLToPath(url));
  const sources = files.flatMap((file) => {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    return map.sources.map((s) => resolve(file, '..', s).slice(resolve('.').length + 1));
  });
  return { sources, stdout: run.stdout };
}

/** The service's parts that reading a live Linux process has no use for. */
const UNUSED_BY_SNAPSHOT = [
  'src/core/sandbox/',
  'src/core/sim/',
  'src/core/sources/simulated/',
  'src/core/sources/windows/',
  'src/core/dumps/',
  'src/core/library/',
  'src/core/contents/',
  'src/core/sampler/',
  // The contract needs the machine settings' schema, not every sandbox step's.
  'src/shared/sandboxScript.ts',
];

describe.skipIf(process.platform !== 'linux')('what a command loads', () => {
  let target: ReturnType<typeof spawn>;
  beforeAll(() => {
    assertBuilt();
    target = spawn('sleep', ['60'], { stdio: 'ignore' });
  });
  afterAll(() => {
    target.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('snapshot of a live process loads the Linux source, not the sandbox, simulator or library', () => {
    const { sources, stdout } = sourcesLoadedBy([
      'snapshot',
      '--pid',
      String(target.pid),
      '--format',
      'json',
    ]);
    expect(JSON.parse(stdout).process.pid).toBe(target.pid);
    expect(sources).toContain('src/core/sources/linux/smapsReader.ts');
    expect(sources).toContain('src/core/service.ts');
    expect(sources.filter((s) => UNUSED_BY_SNAPSHOT.some((part) => s.startsWith(part)))).toEqual(
      [],
    );
  });

  it('a command that needs the simulator loads it (the log sees what loads)', () => {
    const { sources } = sourcesLoadedBy(['ps', '--source', 'simulated']);
    expect(sources.some((s) => s.startsWith('src/core/sim/'))).toBe(true);
    expect(sources.filter((s) => s.startsWith('src/core/sandbox/'))).toEqual([]);
  });
});
