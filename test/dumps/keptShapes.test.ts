/**
 * coreSnapshot.ts keeps one idle scanner, string table and column set (KEPT_SHAPES) so that V8
 * keeps a core open's compiled code across full GCs: that works only while the kept objects have
 * the hidden classes an open's own objects have. Checked in a child Node with V8's natives syntax
 * (%HaveSameMap), on objects built as an open builds them: a field added to one of these classes
 * outside its constructor would part them, and the bench's figure would fall back silently.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const script = `
import { KEPT_SHAPES } from './src/core/dumps/coreSnapshot.ts';
import { SmapsScanner } from './src/core/sources/linux/smapsScanner.ts';
import { StringTable, allocateRegionColumns } from './src/shared/snapshotColumns.ts';

const [keptScanner, keptTable, keptColumns] = KEPT_SHAPES;
const scanner = new SmapsScanner(2);
scanner.addColumns({
  count: 2,
  start: Float64Array.of(0x7f0000000000, 0x7f0000001000),
  end: Float64Array.of(0x7f0000001000, 0x7f0000003000),
  perms: Uint8Array.of(5, 3),
  offset: Float64Array.of(0, 0),
  device: '00:00',
  inode: Float64Array.of(1, 0),
  path: Int32Array.of(0, -1),
  names: ['/usr/lib/libc.so.6'],
});
const table = new StringTable();
table.intern('/usr/lib/libc.so.6');
const columns = allocateRegionColumns(5, table.strings, []);
console.log(JSON.stringify({
  scanner: %HaveSameMap(keptScanner, scanner),
  table: %HaveSameMap(keptTable, table),
  columns: %HaveSameMap(keptColumns, columns),
}));
`;

describe('the shapes a core open keeps', () => {
  it('are the hidden classes of the scanner, string table and columns an open builds', () => {
    const run = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ scanner: true, table: true, columns: true });
  });
});
