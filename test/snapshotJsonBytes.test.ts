/**
 * The JSON document is public (docs/snapshot-format.md): written from columns
 * (src/shared/snapshotJsonWriter.ts), its bytes must be exactly those JSON.stringify wrote of the
 * built snapshot before, on the golden files and on real snapshots of live processes and of the
 * simulator.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createLinuxSource } from '../src/core/sources/linux/linuxSource';
import { createSimulatedSource } from '../src/core/sources/simulated/simulatedSource';
import type { Region, Snapshot } from '../src/shared/model';
import { extrasTextOf, wantExtrasText } from '../src/shared/extrasText';
import { decodeSnapshot, encodeSnapshot } from '../src/shared/snapshotCodec';
import {
  columnsFromRegions,
  regionColumnsOf,
  snapshotFromColumns,
  snapshotWithoutRegions,
} from '../src/shared/snapshotColumns';
import { parseSnapshotJson } from '../src/shared/snapshotJson';
import {
  snapshotJsonChunks,
  snapshotToJson,
  snapshotToJsonBytes,
} from '../src/shared/snapshotJsonWriter';
import { region } from './support/regionFixture';
import { SNAPSHOT_META } from './support/snapshotFixture';
import { firstLine, spawnChild, stopAllChildren } from './support/children';
import { compileHelper } from './helpers/compile';
import { startRegionsHelper } from './linux/regionsHelper';

afterAll(stopAllChildren);

/** What the writer wrote before it read columns: JSON.stringify of the built, ordered snapshot. */
function stringified(s: Snapshot): string {
  const ordered = {
    format: s.format,
    version: s.version,
    takenAt: s.takenAt,
    source: s.source,
    host: s.host,
    system: s.system,
    process: s.process,
    counters: s.counters,
    regions: s.regions,
    ...(s.details === undefined ? {} : { details: s.details }),
    ...(s.durationMs === undefined ? {} : { durationMs: s.durationMs }),
    ...(s.truncated === undefined ? {} : { truncated: s.truncated }),
  };
  return `${JSON.stringify(ordered)}\n`;
}

/** The same snapshot on columns, as the Linux source and the codec give it. */
const onColumns = (s: Snapshot): Snapshot =>
  snapshotFromColumns(snapshotWithoutRegions(s), columnsFromRegions(s.regions));

/** Checks the writer against JSON.stringify on columns, through the codec and on objects. */
function expectSameBytes(s: Snapshot): string {
  const columnar = regionColumnsOf(s) ? s : onColumns(s);
  const written = snapshotToJson(columnar);
  // Written without building a region; the reference then builds them.
  expect(Object.getOwnPropertyDescriptor(columnar, 'regions')?.get).toBeDefined();
  const expected = stringified(columnar);
  expect(written).toBe(expected);
  expect(snapshotToJson(decodeSnapshot(encodeSnapshot(s)))).toBe(expected);
  const objects = { ...snapshotWithoutRegions(s), regions: s.regions };
  expect(snapshotToJson(objects)).toBe(stringified(objects));
  return written;
}

const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/csv/${name}.json`, import.meta.url), 'utf8');

describe('snapshot JSON bytes', () => {
  it.each(['linux', 'simulated'])('are those of the golden %s file', (name) => {
    const text = fixture(name);
    expect(expectSameBytes(parseSnapshotJson(text))).toBe(text);
  });

  it.each(['linux', 'simulated'])(
    'of a version 1 %s file read back are the version 2 golden file',
    (name) => {
      const v1 = fixture(`${name}.v1`);
      expect((JSON.parse(v1) as { version: number }).version).toBe(1);
      // On columns, as the CLI and the codec write it: the key order is the writer's own.
      expect(snapshotToJson(onColumns(parseSnapshotJson(v1)))).toBe(fixture(name));
    },
  );

  it('are those JSON.stringify writes for a live process, with threads, files and shared memory', async () => {
    const helper = await startRegionsHelper();
    const source = createLinuxSource();
    for (const pid of [helper.pid, process.pid]) {
      const snapshot = await source.snapshot(pid);
      expect(regionColumnsOf(snapshot)).toBeDefined();
      const text = expectSameBytes(snapshot);
      const regions = (JSON.parse(text) as Snapshot).regions;
      // The helper's threads' stacks are regions with a threadId and extras.
      if (pid === helper.pid)
        expect(regions.some((r) => r.threadId !== undefined && r.linux)).toBe(true);
      expect(regions.filter((r) => r.linux?.vmFlags.length).length).toBeGreaterThan(10);
    }
  });

  it('are those JSON.stringify writes where region.linux was written as text during the read', async () => {
    const helper = await startRegionsHelper();
    // Enough mappings for many chunks, so most are written while the read-ahead thread reads.
    const many = spawnChild(compileHelper('manymaps'), ['3000']);
    expect(await firstLine(many)).toBe('ready 3000');
    const source = createLinuxSource();
    wantExtrasText(true);
    try {
      for (const pid of [helper.pid, many.pid!, process.pid]) {
        // Twice: the first snapshot of this thread may read before its read-ahead thread starts.
        for (let i = 0; i < 2; i++) {
          const snapshot = await source.snapshot(pid);
          expect(extrasTextOf(regionColumnsOf(snapshot)!)).toBeDefined();
          expectSameBytes(snapshot);
        }
      }
    } finally {
      wantExtrasText(false);
    }
  });

  it('are those JSON.stringify writes for the simulator, with and without free regions', async () => {
    const source = createSimulatedSource();
    const [first] = await source.listProcesses();
    for (const includeFree of [true, false])
      expectSameBytes(await source.snapshot(first!.pid, { includeFree }));
  });

  it('escape strings, write 64-bit addresses, odd extras and the trailing fields as JSON does', () => {
    const regions: Region[] = [
      region(0x10000, 65536, {
        path: 'C:\\a "quoted"\nfile\u0001 \u2028 é',
        details: '[heap]',
        windows: { memType: null, note: { nested: [1, 'two'] } },
      }),
      region(0xffffffffff600000n, 4096, {
        allocationBase: null,
        state: 'free',
        type: null,
        kind: 'free',
        protect: null,
        threadId: 77,
        linux: {
          perms: '--xp',
          vmFlags: [],
          offset: 0,
          device: '00:00',
          inode: 0,
          pss: 2048.5,
          swap: 0,
          anonymous: 0,
          referenced: 0,
        },
      }),
      region(0x20000, 4096, {
        linux: {
          perms: 'rw-p',
          vmFlags: ['rd', 'wr'],
          offset: 12,
          device: 'fd:01',
          inode: 9,
          pss: 4096,
          swap: 0,
          anonymous: 4096,
          referenced: 4096,
          protectionKey: 3,
        },
      }),
    ];
    const base = { ...SNAPSHOT_META, regions };
    expectSameBytes(base);
    expectSameBytes({ ...base, regions: [] });
    expectSameBytes({
      ...base,
      details: 'partial "read"',
      durationMs: 12.25,
      truncated: { at: '0x20000', reason: 'the process exited' },
    });
    expectSameBytes({ ...base, durationMs: 3 });
  });

  it('come in chunks that join to the document, megabytes apart', async () => {
    const live = await createLinuxSource().snapshot(process.pid);
    // Enough regions for several chunks.
    const regions = Array.from({ length: 12 }, () => live.regions).flat();
    const snapshot = onColumns({ ...snapshotWithoutRegions(live), regions });
    const chunks = [...snapshotJsonChunks(snapshot)];
    expect(chunks.length).toBeGreaterThan(2);
    const decoder = new TextDecoder();
    const joined = chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('');
    expect(joined).toBe(stringified(onColumns(snapshot)));
    // Compared as buffers: toEqual walks megabytes element by element.
    expect(Buffer.from(snapshotToJsonBytes(snapshot)).equals(Buffer.from(joined))).toBe(true);
    // Chunks in one reused buffer, each taken before the next is written (as the CLI sends them).
    const reused: Buffer[] = [];
    const views = new Set<ArrayBufferLike>();
    for (const chunk of snapshotJsonChunks(snapshot, { reuse: true })) {
      views.add(chunk.buffer);
      reused.push(Buffer.from(chunk));
    }
    expect(reused.length).toBe(chunks.length);
    expect(views.size).toBe(1);
    expect(Buffer.concat(reused).equals(Buffer.from(joined))).toBe(true);
  });
});
