/**
 * The CSV format is public (docs/snapshot-format.md): its bytes must not change when the code that
 * writes it does. The golden files were written by the CSV writer before the region field catalog
 * (src/shared/regionFields.ts) replaced its hand-written column list; snapshot format version 2
 * appended one cell to each line (allocationRule), the rest of every line unchanged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshotCsv, snapshotCsv, snapshotToCsv } from '../src/shared/snapshotCsv';
import { parseSnapshotJson } from '../src/shared/snapshotJson';
import { region } from './support/regionFixture';

const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/csv/${name}`, import.meta.url), 'utf8');

describe('snapshot CSV bytes', () => {
  it.each(['linux', 'simulated'])('are those of the golden file for a real %s snapshot', (name) => {
    const snapshot = parseSnapshotJson(fixture(`${name}.json`));
    expect(new TextDecoder().decode(snapshotCsv(snapshot))).toBe(fixture(`${name}.csv`));
    expect(snapshotToCsv(snapshot.regions)).toBe(fixture(`${name}.csv`));
  });

  it('of version 1, without allocationRule, still read, and the rule reads back', () => {
    const rows = parseSnapshotCsv(fixture('linux.csv'));
    expect(rows.filter((r) => r.allocationRule === 'unrecorded').length).toBeGreaterThan(10);
    const v1 = fixture('linux.csv').replace(/,[A-Za-z-]*\r\n/g, '\r\n');
    expect(v1.split('\r\n')[0]).toMatch(/,path$/);
    const old = parseSnapshotCsv(v1);
    expect(old).toEqual(rows.map(({ allocationRule: _, ...r }) => r));
  });

  it('quote, leave empty and write 64-bit addresses as before', () => {
    const regions = [
      region(0x10000, 65536, {
        path: 'C:\\a, "quoted" file.dll',
        type: 'image',
        kind: 'image',
        workingSet: { total: 8192, private: 4096, shareable: 4096, shared: 4096, locked: 0 },
      }),
      region(0x20000, 4096, {
        state: 'reserved',
        protect: null,
        committed: 0,
        path: ' leading space',
      }),
      region(0x21000, 61440, {
        state: 'free',
        type: null,
        kind: 'free',
        allocationBase: null,
        protect: 'PAGE_NOACCESS',
        committed: 0,
        details: 'ignored',
      }),
      region(0xffffffffff600000n, 4096, {
        path: 'line\nbreak',
        kind: 'other',
        workingSet: { total: 4096, private: 0, shareable: 4096, shared: 0, locked: 4096 },
      }),
    ];
    expect(snapshotToCsv(regions)).toBe(
      'base,size,allocationBase,state,protect,type,kind,committed,wsTotal,wsPrivate,wsShareable,wsShared,wsLocked,path,allocationRule\r\n' +
        '0x10000,65536,0x10000,committed,PAGE_READWRITE,image,image,65536,8192,4096,4096,4096,0,"C:\\a, ""quoted"" file.dll",\r\n' +
        '0x20000,4096,0x20000,reserved,,private,privateData,0,0,0,0,0,0," leading space",\r\n' +
        '0x21000,61440,,free,PAGE_NOACCESS,,free,0,0,0,0,0,0,,\r\n' +
        '0xffffffffff600000,4096,0xffffffffff600000,committed,PAGE_READWRITE,private,other,4096,4096,0,4096,0,4096,"line\nbreak",\r\n',
    );
  });
});
