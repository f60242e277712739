import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import type { Snapshot } from '../../src/shared/model';
import {
  SNAPSHOT_CSV_COLUMNS,
  csvRegion,
  parseSnapshotCsv,
  snapshotToCsv,
} from '../../src/shared/snapshotCsv';
import { parseSnapshotJson, snapshotToJson } from '../../src/shared/snapshotJson';
import { spawnChild, stopAllChildren, stopChild } from '../support/children';
import { type RegionsProcess, startRegionsHelper } from './regionsHelper';

afterAll(stopAllChildren);

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = join(root, 'src/cli/main.ts');

/** The CLI from source (no build needed): exit code, stdout, stderr. */
async function vmscope(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [cli, ...args], {
      cwd: root,
      maxBuffer: 256 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each CLI run starts tsx on the sources: seconds apiece on a busy machine.
describe.runIf(process.platform === 'linux')('snapshot JSON and CSV', { timeout: 120_000 }, () => {
  let helper: RegionsProcess;
  let snapshot: Snapshot;
  let dir: string;

  beforeAll(async () => {
    helper = await startRegionsHelper();
    snapshot = await createLinuxSource().snapshot(helper.pid);
    dir = await mkdtemp(join(tmpdir(), 'vmscope-snapshot-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('JSON parses back to the same snapshot, regions and all', () => {
    const text = snapshotToJson(snapshot);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'format',
      'version',
      'takenAt',
      'source',
      'host',
      'system',
      'process',
      'counters',
      'regions',
      'durationMs',
    ]);
    expect(parseSnapshotJson(text)).toEqual(JSON.parse(JSON.stringify(snapshot)));
  });

  it('CSV parses back to the same regions, a path with a comma and a quote included', () => {
    const regions = snapshot.regions.map((r, i) =>
      i === 1 ? { ...r, path: '/tmp/a "quoted", name' } : r,
    );
    const text = snapshotToCsv(regions);
    expect(text.split('\r\n')[0]).toBe(SNAPSHOT_CSV_COLUMNS.join(','));
    expect(text).toContain('"/tmp/a ""quoted"", name"');
    expect(parseSnapshotCsv(text)).toEqual(regions.map(csvRegion));
  });

  it('rejects damaged documents as malformed-file, saying where', () => {
    expect(() => parseSnapshotJson('{"format":"vmscope-snapshot"')).toThrow(
      expect.objectContaining({ code: 'malformed-file' }),
    );
    const broken = JSON.parse(snapshotToJson(snapshot)) as Snapshot;
    broken.regions[0]!.base = '12345';
    expect(() => parseSnapshotJson(JSON.stringify(broken))).toThrow(/regions\.0\.base/);
    const csv = snapshotToCsv(snapshot.regions).replace(/\r\n0x[0-9a-f]+,/, '\r\n0x1,-5');
    expect(() => parseSnapshotCsv(csv)).toThrow(
      expect.objectContaining({ code: 'malformed-file' }),
    );
  });

  it('vmscope snapshot --format csv --out writes the file atomically and it parses back', async () => {
    const out = join(dir, 'regions.csv');
    const result = await vmscope(
      'snapshot',
      '--pid',
      String(helper.pid),
      '--format',
      'csv',
      '--out',
      out,
      '--no-free',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const regions = parseSnapshotCsv(await readFile(out, 'utf8'));
    expect(regions.some((r) => r.state === 'free')).toBe(false);
    expect(regions.find((r) => r.base === helper.report.shared)).toMatchObject({
      kind: 'shareable',
      type: 'mapped',
    });
    expect(await readdir(dir)).toEqual(['regions.csv']);
  });

  it('vmscope snapshot prints JSON on stdout by default', async () => {
    const result = await vmscope('snapshot', '--pid', String(helper.pid));
    expect(result.code).toBe(0);
    const parsed = parseSnapshotJson(result.stdout);
    expect(parsed.process.pid).toBe(helper.pid);
    expect(parsed.regions.find((r) => r.base === helper.report.reserve)).toMatchObject({
      state: 'reserved',
    });
  });

  it('vmscope snapshot exits 2 with a one-line reason for bad values, 1 for a process that is gone', async () => {
    const badFormat = await vmscope('snapshot', '--pid', '1', '--format', 'xml');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr.trim().split('\n')).toHaveLength(1);
    expect(badFormat.stderr).toMatch(/json, csv/);
    const badPid = await vmscope('snapshot', '--pid', '0');
    expect(badPid.code).toBe(2);
    const gone = spawnChild('sleep', ['300']);
    await stopChild(gone);
    const exited = await vmscope('snapshot', '--pid', String(gone.pid));
    expect(exited.code).toBe(1);
    expect(exited.stderr).toMatch(/^vmscope: No process \d+/);
  });

  it('vmscope snapshot --help lists every option', async () => {
    const help = await vmscope('snapshot', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--pid', '--source', '--format', '--out', '--no-free'])
      expect(help.stdout).toContain(flag);
  });
});
