import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupAllocations } from '../src/shared/allocations';
import { parseSnapshotJson, snapshotToJson } from '../src/shared/snapshotJson';

const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/csv/${name}.json`, import.meta.url), 'utf8');

describe('snapshot JSON versions', () => {
  it('reads a version 1 Linux file as version 2, its grouped allocations marked unrecorded', () => {
    const text = fixture('linux.v1');
    expect(JSON.parse(text).version).toBe(1);
    const s = parseSnapshotJson(text);
    expect(s.version).toBe(2);
    const allocations = groupAllocations(s.regions);
    const grouped = allocations.filter((a) => a.count > 1);
    expect(grouped.length).toBeGreaterThan(3);
    for (const a of allocations) {
      const rules = s.regions.slice(a.first, a.first + a.count).map((r) => r.allocationRule);
      expect(rules).toEqual(rules.map(() => (a.count > 1 ? 'unrecorded' : undefined)));
    }
  });

  it('leaves a version 1 file of a source that records allocations as it was', () => {
    const s = parseSnapshotJson(fixture('simulated.v1'));
    expect(s.version).toBe(2);
    expect(s.regions.some((r) => r.allocationRule !== undefined)).toBe(false);
  });

  it('writes version 2 and reads its rules back; an unknown rule is refused, saying where', () => {
    const s = parseSnapshotJson(fixture('linux'));
    s.regions[1]!.allocationRule = 'guard';
    const text = snapshotToJson(s);
    expect(JSON.parse(text).version).toBe(2);
    expect(parseSnapshotJson(text)).toEqual(s);
    const bad = text.replace('"allocationRule":"guard"', '"allocationRule":"hunch"');
    expect(() => parseSnapshotJson(bad)).toThrow(/regions\.1\.allocationRule/);
    expect(() => parseSnapshotJson(text.replace('"version":2', '"version":3'))).toThrow(
      /vmscope-snapshot v1\/v2 document: version/,
    );
  });
});
