import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { executableFiles } from '../../src/core/sources/linux/mappingKinds';
import { readAhead } from '../../src/core/sources/linux/readAhead';
import { regionsFromSmaps } from '../../src/core/sources/linux/regionsFromSmaps';
import { SmapsReader } from '../../src/core/sources/linux/smapsReader';
import { FIELD_COUNT, SmapsScanner } from '../../src/core/sources/linux/smapsScanner';
import type { Snapshot } from '../../src/shared/model';
import { decodeSnapshot, encodeSnapshot } from '../../src/shared/snapshotCodec';
import { regionColumnsOf } from '../../src/shared/snapshotColumns';
import { snapshotCsv, snapshotToCsv } from '../../src/shared/snapshotCsv';
import { snapshotToJson } from '../../src/shared/snapshotJson';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';
import { type RegionsProcess, startRegionsHelper } from './regionsHelper';

afterAll(stopAllChildren);

/** smaps field names as region.linux names them (docs/linux-source.md). */
const KEYS: Record<string, string> = {
  Size: 'size',
  KernelPageSize: 'kernelPageSize',
  MMUPageSize: 'mmuPageSize',
  Rss: 'rss',
  Pss: 'pss',
  Pss_Dirty: 'pssDirty',
  Pss_Anon: 'pssAnon',
  Pss_File: 'pssFile',
  Pss_Shmem: 'pssShmem',
  Shared_Clean: 'sharedClean',
  Shared_Dirty: 'sharedDirty',
  Private_Clean: 'privateClean',
  Private_Dirty: 'privateDirty',
  Referenced: 'referenced',
  Anonymous: 'anonymous',
  KSM: 'ksm',
  LazyFree: 'lazyFree',
  AnonHugePages: 'anonHugePages',
  ShmemPmdMapped: 'shmemPmdMapped',
  FilePmdMapped: 'filePmdMapped',
  Shared_Hugetlb: 'sharedHugetlb',
  Private_Hugetlb: 'privateHugetlb',
  Swap: 'swap',
  SwapPss: 'swapPss',
  Locked: 'locked',
  THPeligible: 'thpEligible',
  ProtectionKey: 'protectionKey',
};

/** The eager region.linux of every mapping, by a plain line-by-line reading of the same text. */
function naiveLinux(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let current: Record<string, unknown> | null = null;
  for (const line of text.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ (\S{4}) ([0-9a-f]+) (\S+) (\d+)/.exec(line);
    if (header) {
      current = {
        perms: header[1],
        vmFlags: [],
        offset: Number.parseInt(header[2]!, 16),
        device: header[3],
        inode: Number(header[4]),
      };
      out.push(current);
      continue;
    }
    const field = /^(\w+):\s+(.*)$/.exec(line);
    if (!field || !current) continue;
    if (field[1] === 'VmFlags') current['vmFlags'] = field[2]!.trim().split(/\s+/).filter(Boolean);
    else if (KEYS[field[1]!])
      current[KEYS[field[1]!]!] =
        Number.parseInt(field[2]!, 10) * (field[2]!.endsWith('kB') ? 1024 : 1);
  }
  return out;
}

describe.runIf(process.platform === 'linux')('the columnar snapshot of a real process', () => {
  let helper: RegionsProcess;
  let snapshot: Snapshot;

  beforeAll(async () => {
    helper = await startRegionsHelper();
    snapshot = await createLinuxSource().snapshot(helper.pid, { includeFree: true });
  });

  it('encodes, writes CSV and JSON from its columns exactly as from its Region objects', () => {
    expect(regionColumnsOf(snapshot)).toBeDefined();
    const fromColumns = decodeSnapshot(encodeSnapshot(snapshot));
    const csv = new TextDecoder().decode(snapshotCsv(snapshot));
    const json = snapshotToJson(snapshot);
    // The object path: a copy that has only the objects.
    const objects: Snapshot = {
      ...snapshot,
      regions: snapshot.regions.map((r) => ({ ...r, linux: r.linux && { ...r.linux } })),
    };
    expect(regionColumnsOf(objects)).toBeUndefined();
    expect(fromColumns).toEqual(decodeSnapshot(encodeSnapshot(objects)));
    expect(fromColumns).toEqual(JSON.parse(json));
    expect(csv).toBe(snapshotToCsv(objects.regions));
    expect(json).toBe(snapshotToJson(objects));
  });

  it("builds each region's lazy region.linux equal to the fields smaps printed, read naively", () => {
    const text = readFileSync(`/proc/${helper.pid}/smaps`);
    const scanner = new SmapsScanner();
    scanner.feed(text);
    const regions = regionsFromSmaps(scanner, {
      images: executableFiles(scanner),
      stackPointers: new Map(),
      pid: helper.pid,
      includeFree: false,
      userEnd: 2 ** 47,
    });
    const expected = naiveLinux(text.toString('utf8'));
    expect(regions).toHaveLength(expected.length);
    expect(regions.map((r) => ({ ...r.linux }))).toEqual(expected);
  });
});

describe.runIf(process.platform === 'linux')('the read-ahead thread', () => {
  it(
    'gives the scanner what a synchronous read gives it, chunk boundaries and all',
    { timeout: 60_000 },
    async () => {
      const child = spawnChild(compileHelper('manymaps'), ['20000']);
      expect(await firstLine(child)).toBe('ready 20000');
      const pid = child.pid!;
      const ahead = readAhead();
      while (!ahead.ready) await new Promise((resolve) => setTimeout(resolve, 10));
      const scan = (maxChunks?: number): SmapsScanner => {
        const reader = SmapsReader.open(pid);
        const scanner = new SmapsScanner();
        try {
          // A finite count reads on this thread; the whole file goes through the read-ahead
          // thread, given here whatever the machine's load (idleCore.ts decides that otherwise).
          expect(reader.scan(scanner, maxChunks, { ahead: maxChunks ? null : ahead })).toBe(true);
        } finally {
          reader.close();
        }
        return scanner;
      };
      const synchronous = scan(1e9);
      const threaded = scan();
      expect(threaded.count).toBeGreaterThanOrEqual(20000);
      expect(threaded.mappings).toEqual(synchronous.mappings);
      // The helper's own anonymous pages do not change between the reads (shared libraries' Pss may).
      for (let i = 0; i < threaded.count; i++) {
        if (threaded.inode[i] !== 0) continue;
        const row = (s: SmapsScanner) => [
          ...s.fields.subarray(i * FIELD_COUNT, (i + 1) * FIELD_COUNT),
        ];
        expect(row(threaded)).toEqual(row(synchronous));
      }
      // And a second file right after: the thread starts each file clean.
      expect(scan().mappings).toEqual(synchronous.mappings);
    },
  );
});
