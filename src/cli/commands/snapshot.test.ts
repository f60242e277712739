import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../shared/model';
import type { CliContext } from '../context';
import { registerSnapshot } from './snapshot';

const truncated = {
  at: '0x7ff600000000',
  reason: 'VirtualQueryEx failed 3 times at 0x7ff600000000: Windows error 5.',
};

/** `vmscope snapshot` on a client that answers with `snapshot`; its stdout and stderr text. */
async function run(
  snapshot: Snapshot,
  format: 'json' | 'csv',
): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  const client = { call: async () => snapshot } as unknown as CliContext['client'];
  const decoder = new TextDecoder();
  const ctx = {
    client,
    openFiles: [],
    selfFile: '',
    webRoot: '',
    out: (t: string) => (out += `${t}\n`),
    write: async (data: Uint8Array) => void (out += decoder.decode(data, { stream: true })),
  } as CliContext;
  const program = new Command('vmscope').exitOverride().configureOutput({ writeErr: () => {} });
  registerSnapshot(program, ctx);
  await program.parseAsync(['node', 'vmscope', 'snapshot', '--pid', '42', '--format', format]);
  return { out, err };
}

const snapshot = (over: Partial<Snapshot> = {}): Snapshot =>
  ({
    format: 'vmscope-snapshot',
    version: 2,
    takenAt: '2026-11-22T02:00:00.000Z',
    source: 'windows',
    host: { hostname: 'h', platform: 'win32', arch: 'x64' },
    system: {
      pageSize: 4096,
      allocationGranularity: 65536,
      minAddress: '0x10000',
      maxAddress: '0x7ffffffeffff',
    },
    process: { pid: 42, name: 'x.exe', path: null, commandLine: null },
    counters: {},
    regions: [],
    ...over,
  }) as Snapshot;

afterEach(() => vi.restoreAllMocks());

describe('vmscope snapshot of a truncated walk', () => {
  it('warns on stderr and keeps the field in JSON', async () => {
    const { out, err } = await run(snapshot({ truncated }), 'json');
    expect(err).toBe(
      `vmscope: warning: process 42: truncated, no regions from 0x7ff600000000 up: ${truncated.reason}\n`,
    );
    expect(JSON.parse(out).truncated).toEqual(truncated);
  });

  it('ends the CSV with the # truncated line', async () => {
    const { out } = await run(snapshot({ truncated }), 'csv');
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out.split('\r\n').at(-2)).toBe(`# truncated at 0x7ff600000000: ${truncated.reason}`);
  });

  it('says nothing for a complete walk', async () => {
    const { out, err } = await run(snapshot(), 'json');
    expect(err).toBe('');
    expect(JSON.parse(out)).not.toHaveProperty('truncated');
  });
});
