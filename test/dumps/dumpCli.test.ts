import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSnapshotJson } from '../../src/shared/snapshotJson';
import { runCli } from '../support/cli';
import { buildCore, buildMinidump } from '../support/dumpBuilders';

const dir = mkdtempSync(join(tmpdir(), 'vmscope-dump-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CORE_TEXT = 'the core captured this line';
const MINIDUMP_TEXT = 'the minidump captured this line';

// Named without an extension on purpose: dumps are known by their first bytes.
const core = join(dir, 'crash-a');
writeFileSync(
  core,
  buildCore({
    pid: 321,
    command: 'crasher',
    segments: [
      { address: 0x400000n, size: 0x1000n, flags: 5, bytes: Buffer.from('\x7fELF') },
      { address: 0x7ffd0000n, size: 0x21000n, flags: 6 },
      // Anonymous data the core captured, with text to find.
      { address: 0x7f0000000000n, size: 0x1000n, flags: 6, bytes: Buffer.from(CORE_TEXT) },
    ],
    files: [{ start: 0x400000n, end: 0x401000n, pageOffset: 0n, path: '/usr/bin/crasher' }],
    auxv: [
      [3, 0x400040n],
      [31, 0x7ffd1000n],
    ],
  }),
);
const minidump = join(dir, 'crash-b');
writeFileSync(
  minidump,
  buildMinidump({
    pid: 654,
    modules: [{ base: 0x400000n, size: 0x4000, path: 'C:\\app\\crasher.exe' }],
    memory: [
      { address: 0x10000n, bytes: Buffer.alloc(0x1000, 1) },
      { address: 0x20000n, bytes: Buffer.from(`${MINIDUMP_TEXT}\0`) },
    ],
  }),
);

describe('vmscope snapshot --dump', () => {
  it('turns a core file into a snapshot JSON file, atomically at --out', async () => {
    const out = join(dir, 'core.json');
    const run = await runCli(['snapshot', '--dump', core, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/wrote \d+ regions of process 321/);
    expect(run.stderr).toMatch(/note: .*working set/);
    const snapshot = parseSnapshotJson(readFileSync(out, 'utf8'));
    expect(snapshot.origin).toMatchObject({ kind: 'core', file: core });
    expect(snapshot.process).toMatchObject({ pid: 321, name: 'crasher', path: '/usr/bin/crasher' });
    expect(snapshot.counters.workingSetSize).toBeNull();
    expect(snapshot.regions.find((r) => r.base === '0x7ffd0000')?.kind).toBe('stack');
  });

  it('writes a minidump as CSV to stdout, saying on stderr what the dump lacks', async () => {
    const run = await runCli(['snapshot', '--dump', minidump, '--format', 'csv', '--no-free']);
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split('\r\n');
    expect(rows[0]).toMatch(/^base,size,allocationBase,state/);
    expect(rows.some((r) => r.startsWith('0x400000,16384,0x400000,committed,,image,image'))).toBe(
      true,
    );
    expect(run.stderr).toMatch(/note: .*MemoryInfoListStream/);
  });

  it('refuses a file that is neither, and a call with neither --pid nor --dump', async () => {
    const junk = join(dir, 'junk');
    writeFileSync(junk, 'not a dump at all');
    const bad = await runCli(['snapshot', '--dump', junk]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/neither a Windows minidump .* nor a Linux ELF core/);
    const none = await runCli(['snapshot']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--pid N .* or --dump FILE/);
    const both = await runCli(['snapshot', '--pid', '1', '--dump', junk]);
    expect(both.code).not.toBe(0);
  });
});

describe('vmscope read, strings and search --dump', () => {
  it('reads the bytes a core captured, naming the not-captured rest as holes', async () => {
    const run = await runCli([
      'read',
      '--dump',
      core,
      '--address',
      '0x7f0000000000',
      '--size',
      '48',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('00007f0000000000: 7468 6520 636f 7265');
    expect(run.stdout).toContain('the core captur');
    const hole = await runCli(['read', '--dump', core, '--address', '0x7ffd0000', '--size', '16']);
    expect(hole.code).toBe(0);
    expect(hole.stdout).toContain('????');
    expect(hole.stderr).toContain('vmscope: 0x7ffd0000+0x10 not read: not-captured');
  });

  it('finds a known string in a core and a minidump, at its address', async () => {
    const strings = await runCli(['strings', '--dump', core, '--encoding', 'ascii']);
    expect(strings.code).toBe(0);
    expect(strings.stdout).toContain(`0x7f0000000000\tascii\t${CORE_TEXT}`);
    const found = await runCli(['search', '--dump', minidump, '--text', 'captured this']);
    expect(found.code).toBe(0);
    expect(found.stdout.trim().split('\n')).toEqual(['0x2000d\t0x20000\ttext']);
  });

  it('refuses a pid the dump does not hold, and a call with neither --pid nor --dump', async () => {
    const wrong = await runCli([
      'read',
      '--dump',
      core,
      '--pid',
      '999',
      '--address',
      '0x1000',
      '--size',
      '1',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/holds process 321, not 999/);
    const none = await runCli(['strings']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--pid N .* or --dump FILE/);
  });
});
