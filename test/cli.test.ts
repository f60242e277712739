import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../src/shared/model';
import { runCli } from './support/cli';

describe('the vmscope command', () => {
  it('vmscope ps --json lists real processes, this one among them', async () => {
    const run = await runCli(['ps', '--json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as ProcessInfo[];
    const me = list.find((p) => p.pid === process.pid);
    expect(me?.name).toMatch(/node/);
    expect(list.length).toBeGreaterThan(2);
  });

  it('vmscope ps prints a table with a header', async () => {
    const run = await runCli(['ps']);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header).toMatch(/^\s*PID\s+PPID\s+USER\s+WORKING SET\s+PRIVATE\s+NAME$/);
    expect(rows.some((r) => r.trimStart().startsWith(`${process.pid} `))).toBe(true);
  });

  it('--help describes every command', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['ps', 'serve'])
      expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const ps = await runCli(['ps', '--help']);
    expect(ps.code).toBe(0);
    expect(ps.stdout).toContain('--json');
  });

  it('an unknown flag exits 2 with a one-line reason', async () => {
    const run = await runCli(['ps', '--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')[0]).toMatch(/unknown option '--frobnicate'/);
    expect(run.stdout).toBe('');
  });

  it('a bad value exits 2 with a one-line reason', async () => {
    const source = await runCli(['ps', '--source', 'macos']);
    expect(source.code).toBe(2);
    expect(source.stderr).toMatch(/Allowed choices are linux, windows, simulated/);
    const port = await runCli(['serve', '--port', '99999']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/expected 0 to 65535/);
  });

  it('an unknown command exits 2', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command/);
  });
});
