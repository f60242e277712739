import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../src/core/io/readSnapshotFile';
import { createService } from '../src/core/service';
import { seededRandom as prng } from '../src/core/sources/simulated/random';
import { VmscopeError } from '../src/shared/errors';
import type { Snapshot } from '../src/shared/model';
import { parseSnapshotJson, snapshotToJson } from '../src/shared/snapshotJson';
import { validateSnapshot } from '../src/shared/snapshotValidate';

type Json = Record<string, unknown>;
const HOSTILE: unknown[] = [
  null,
  -1,
  1e300,
  2 ** 53 + 1,
  '0xZZ',
  '0X10',
  '',
  'x'.repeat(10_000),
  [],
  {},
  true,
  0.5,
  '0x' + 'f'.repeat(40),
];

/** One structural mutation of a parsed snapshot: a field removed, retyped, or made hostile; regions reordered or duplicated. */
function mutate(doc: Json, rand: () => number): Json {
  const copy = structuredClone(doc);
  const regions = copy['regions'] as Json[];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  switch (Math.floor(rand() * 6)) {
    case 0: {
      const r = pick(regions);
      delete r[pick(Object.keys(r))];
      break;
    }
    case 1: {
      const r = pick(regions);
      r[pick(Object.keys(r))] = pick(HOSTILE);
      break;
    }
    case 2: {
      const i = Math.floor(rand() * (regions.length - 1));
      [regions[i], regions[i + 1]] = [regions[i + 1]!, regions[i]!];
      break;
    }
    case 3:
      regions.splice(Math.floor(rand() * regions.length), 0, structuredClone(pick(regions)));
      break;
    case 4:
      copy[pick(Object.keys(copy))] = pick(HOSTILE);
      break;
    case 5: {
      const r = pick(regions);
      (r['workingSet'] as Json)[pick(['total', 'private', 'shareable', 'shared', 'locked'])] =
        pick(HOSTILE);
      break;
    }
  }
  return copy;
}

/** A file's document as JSON writes it back (`-0` becomes `0`), to compare what was read with what was meant. */
const normalised = (text: string): unknown => JSON.parse(JSON.stringify(JSON.parse(text)));

/**
 * Either a sound snapshot or a malformed-file error that names what is wrong; never anything
 * else. Accepted means the file's document is kept exactly (nothing dropped, coerced or made up)
 * and holds what a snapshot must: regions in address order that do not overlap, byte counts
 * that fit inside them. Checked here on their own terms, not through the validator under test.
 */
function importOutcome(text: string): 'accepted' | 'rejected' {
  let snapshot: Snapshot;
  try {
    snapshot = validateSnapshot(parseSnapshotJson(text));
  } catch (err) {
    expect(err).toBeInstanceOf(VmscopeError);
    expect((err as VmscopeError).code).toBe('malformed-file');
    expect((err as VmscopeError).message.length).toBeGreaterThan(20);
    return 'rejected';
  }
  expect(JSON.parse(snapshotToJson(snapshot))).toEqual(normalised(text));
  let end = 0n;
  for (const r of snapshot.regions) {
    expect(
      BigInt(r.base) >= end,
      `${r.base} starts before the region before it ends (0x${end.toString(16)})`,
    ).toBe(true);
    end = BigInt(r.base) + BigInt(r.size);
    expect(r.size).toBeGreaterThan(0);
    expect(r.committed).toBeLessThanOrEqual(r.size);
    expect(r.workingSet.total).toBeLessThanOrEqual(r.size);
    expect(
      Math.max(
        r.workingSet.private,
        r.workingSet.shareable,
        r.workingSet.shared,
        r.workingSet.locked,
      ),
    ).toBeLessThanOrEqual(r.workingSet.total);
  }
  expect(end <= 1n << 64n).toBe(true);
  return 'accepted';
}

describe('importing snapshots: fuzzed and hostile files', async () => {
  const real = (await createService().methods['process.snapshot']({
    pid: process.pid,
  })) as Snapshot;
  const text = snapshotToJson(real);
  const doc = JSON.parse(text) as Json;

  it('accepts the real snapshot as it is', () => {
    // Validated directly first, so a refusal fails with the validator's own message.
    expect(() => validateSnapshot(parseSnapshotJson(text))).not.toThrow();
    expect(importOutcome(text)).toBe('accepted');
  });

  it('meets 400 structural mutations with a sound snapshot or a clear error', () => {
    const rand = prng(20261122);
    const outcomes = { accepted: 0, rejected: 0 };
    for (let i = 0; i < 400; i++) outcomes[importOutcome(JSON.stringify(mutate(doc, rand)))] += 1;
    // Most mutations break something; a few (a string field changed to another string) are still sound.
    expect(outcomes.rejected).toBeGreaterThan(300);
    expect(outcomes.accepted + outcomes.rejected).toBe(400);
  });

  it('meets 200 byte-level corruptions and truncations with a clear error or a sound snapshot', () => {
    const rand = prng(7);
    const outcomes = { accepted: 0, rejected: 0 };
    for (let i = 0; i < 200; i++) {
      const at = Math.floor(rand() * text.length);
      const broken =
        i % 2 === 0
          ? text.slice(0, at)
          : `${text.slice(0, at)}${String.fromCharCode(Math.floor(rand() * 128))}${text.slice(at + 1)}`;
      outcomes[importOutcome(broken)] += 1;
    }
    // Most cuts and changed bytes break the JSON; one inside a string or a digit may not.
    expect(outcomes.rejected).toBeGreaterThan(150);
  });

  it('names the place that is wrong', () => {
    const swapped = structuredClone(doc);
    const regions = swapped['regions'] as Json[];
    [regions[3], regions[4]] = [regions[4]!, regions[3]!];
    expect(() => validateSnapshot(parseSnapshotJson(JSON.stringify(swapped)))).toThrow(
      /regions\[4\].*not in address order/,
    );
    const badHex = structuredClone(doc);
    (badHex['regions'] as Json[])[2]!['base'] = '0xNOPE';
    expect(() => parseSnapshotJson(JSON.stringify(badHex))).toThrow(/regions\.2\.base/);
  });

  it('refuses a 2 GB file before reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-huge-'));
    const huge = join(dir, 'huge.json');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 2 * 1024 ** 3); // sparse: costs no disk
    closeSync(fd);
    const before = process.memoryUsage().rss;
    await expect(readSnapshotFile(huge)).rejects.toMatchObject({
      code: 'limit-exceeded',
      message: expect.stringMatching(/2048\.0 MiB; vmscope opens snapshot files up to 256\.0 MiB/),
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    writeFileSync(huge, '');
  });
});
