import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAddress, parseAddress } from '../../src/shared/address';
import { CLI, runCli } from '../support/cli';
import { stopAllChildren, stopChild } from '../support/children';
import {
  ASCII_MARKER,
  PATTERN_HEX,
  WIDE_MARKER,
  type ContentsProcess,
  startContentsHelper,
} from './contentsHelper';

let helper: ContentsProcess;
let rw: bigint;
let page: number;

beforeAll(async () => {
  helper = await startContentsHelper();
  rw = parseAddress(helper.report.rw);
  page = helper.report.pageSize;
});
afterAll(stopAllChildren);

const at = (offset: number): string => formatAddress(rw + BigInt(offset));

describe.runIf(process.platform === 'linux')('vmscope read, search and strings', () => {
  it('read prints xxd-like lines with the marker, and raw bytes to a file', async () => {
    const pid = String(helper.pid);
    const hex = await runCli(['read', '--pid', pid, '--address', at(0x100), '--size', '32']);
    expect(hex.code).toBe(0);
    const lines = hex.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `${(rw + 0x100n).toString(16).padStart(16, '0')}: 564d 5343 4f50 452d 4d41 524b 4552 2d41  VMSCOPE-MARKER-A`,
    );
    const out = join(tmpdir(), `vmscope-read-${process.pid}.bin`);
    const raw = await runCli([
      'read',
      '--pid',
      pid,
      '--address',
      at(2 * page + 0x10),
      '--size',
      '0x10',
      '--format',
      'raw',
      '--out',
      out,
    ]);
    expect(raw.code).toBe(0);
    expect(readFileSync(out).toString('hex')).toBe(PATTERN_HEX.replaceAll(' ', ''));
  });

  it('read shows an unmapped page as ?? and names the hole on stderr', async () => {
    const gap = parseAddress(helper.report.gap);
    const run = await runCli([
      'read',
      '--pid',
      String(helper.pid),
      '--address',
      formatAddress(gap + BigInt(page) - 16n),
      '--size',
      '32',
    ]);
    expect(run.code).toBe(0);
    const [readable, hole] = run.stdout.trimEnd().split('\n');
    expect(readable).toContain('5a5a 5a5a');
    expect(hole).toMatch(/: \?\?\?\? \?\?\?\?/);
    expect(run.stderr).toContain(`${formatAddress(gap + BigInt(page))}+0x10 not read: free`);
  });

  it('search finds the pattern, the UTF-16 and the ASCII marker in the helper region', async () => {
    const pid = String(helper.pid);
    const hex = await runCli(['search', '--pid', pid, '--hex', PATTERN_HEX]);
    expect(hex.code).toBe(0);
    expect(hex.stdout.split('\n')).toContain(`${at(2 * page + 0x10)}\t${helper.report.rw}\thex`);
    const wide = await runCli(['search', '--pid', pid, '--utf16', WIDE_MARKER]);
    expect(wide.stdout.split('\n')).toContain(`${at(page + 0x40)}\t${helper.report.rw}\tutf16`);
    const text = await runCli(['search', '--pid', pid, '--text', ASCII_MARKER, '--format', 'json']);
    const matches = text.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(matches).toContainEqual({
      address: at(0x100),
      regionBase: helper.report.rw,
      kind: 'text',
    });
  });

  it('strings lists the ASCII and UTF-16LE markers with their addresses', async () => {
    const run = await runCli(['strings', '--pid', String(helper.pid), '--min', '10']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(`${at(0x100)}\tascii\t${ASCII_MARKER}`);
    expect(lines).toContain(`${at(page + 0x40)}\tutf16le\t${WIDE_MARKER}`);
    const ascii = await runCli([
      'strings',
      '--pid',
      String(helper.pid),
      '--min',
      '10',
      '--encoding',
      'ascii',
      '--format',
      'json',
    ]);
    const found = ascii.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect((found as { encoding: string }[]).every((s) => s.encoding === 'ascii')).toBe(true);
    expect(found).toContainEqual({
      address: at(0x100),
      regionBase: helper.report.rw,
      encoding: 'ascii',
      text: ASCII_MARKER,
    });
  });

  it('exits 2 for usage errors, and 1 with one line for an exited process', async () => {
    const pid = String(helper.pid);
    expect((await runCli(['search', '--pid', pid])).code).toBe(2);
    expect((await runCli(['search', '--pid', pid, '--hex', 'zz'])).code).toBe(2);
    expect((await runCli(['read', '--pid', pid, '--address', 'nowhere', '--size', '4'])).code).toBe(
      2,
    );
    const gone = await startContentsHelper();
    await stopChild(gone.child);
    const run = await runCli(['strings', '--pid', String(gone.pid)]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/has exited/);
  });

  it.runIf(process.getuid?.() === 0)(
    'exits 1 with one line saying why for access-denied',
    async () => {
      const asNobody = ['--reuid', '65534', '--regid', '65534', '--clear-groups'];
      const run = await promisify(execFile)(
        'setpriv',
        [
          ...asNobody,
          process.execPath,
          CLI,
          'read',
          '--pid',
          String(helper.pid),
          '--address',
          helper.report.rw,
          '--size',
          '16',
        ],
        { env: { ...process.env, HOME: '/tmp' } },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        /Not allowed to read the memory of process \d+: it belongs to root/,
      );
    },
  );
});
