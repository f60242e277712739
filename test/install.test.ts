/**
 * README's way to put `vmscope` on the PATH (`npm link` after `npm ci`), into a throwaway npm
 * prefix: the linked command runs the built CLI from anywhere.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertBuilt } from './support/cli';

const prefix = mkdtempSync(join(tmpdir(), 'vmscope-prefix-'));
afterAll(() => rmSync(prefix, { recursive: true, force: true }));

describe('an installed vmscope command', () => {
  it('npm link puts a working vmscope on the PATH', () => {
    assertBuilt();
    // The folder is already built (npm ci ran the prepare script): linking need not build again.
    execFileSync('npm', ['link', '--ignore-scripts', '--no-audit', '--no-fund'], {
      env: { ...process.env, npm_config_prefix: prefix },
      stdio: 'ignore',
    });
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env['PATH']}` };
    const version = spawnSync('vmscope', ['--version'], { env, cwd: tmpdir(), encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
    );
    const ps = spawnSync('vmscope', ['ps', '--json'], { env, cwd: tmpdir(), encoding: 'utf8' });
    expect(ps.status).toBe(0);
    expect((JSON.parse(ps.stdout) as { pid: number }[]).some((p) => p.pid === process.pid)).toBe(
      true,
    );
  });
});
