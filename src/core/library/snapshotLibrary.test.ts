import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/model';
import { snapshotToJson } from '../../shared/snapshotJson';
import { region } from '../../../test/support/regionFixture';
import { SNAPSHOT_META } from '../../../test/support/snapshotFixture';
import { libraryFolder } from './libraryFolder';
import { SnapshotLibrary } from './snapshotLibrary';

const snapshot = (regions = 2): Snapshot => ({
  ...SNAPSHOT_META,
  process: { ...SNAPSHOT_META.process, name: 'leaky' },
  regions: Array.from({ length: regions }, (_, i) => region(0x10000 * (i + 1), 4096)),
});

const tempLibrary = (limits?: { entries: number; bytes: number }): SnapshotLibrary =>
  new SnapshotLibrary(join(mkdtempSync(join(tmpdir(), 'vmscope-library-')), 'snapshots'), limits);

describe('the snapshot library', () => {
  it('keeps a snapshot across instances: listed with process, time and size, opened whole', async () => {
    const library = tempLibrary();
    const saved = await library.save(snapshot(3));
    expect(saved).toMatchObject({
      name: 'leaky (7) 2026-11-22 02:00:00 UTC',
      takenAt: SNAPSHOT_META.takenAt,
      source: 'linux',
      process: { pid: 7, name: 'leaky' },
      regions: 3,
    });
    expect(saved.bytes).toBe(Buffer.byteLength(snapshotToJson(snapshot(3))));

    const again = new SnapshotLibrary(library.folder);
    const listing = await again.list();
    expect(listing.entries).toEqual([saved]);
    expect(listing.damaged).toEqual([]);
    expect(await again.open(saved.id)).toEqual(snapshot(3));
  });

  it('lists an empty library when its folder does not exist yet', async () => {
    expect((await tempLibrary().list()).entries).toEqual([]);
  });

  it('writes through temporary files and leaves none behind', async () => {
    const library = tempLibrary();
    const { id } = await library.save(snapshot());
    expect(readdirSync(library.folder).sort()).toEqual([`${id}.json`, `${id}.meta.json`]);
    expect(readFileSync(join(library.folder, `${id}.json`), 'utf8')).toBe(
      snapshotToJson(snapshot()),
    );
  });

  it('renames and deletes', async () => {
    const library = tempLibrary();
    const { id } = await library.save(snapshot(), 'before');
    const renamed = await library.rename(id, '  after the leak  ');
    expect(renamed.name).toBe('after the leak');
    expect((await library.list()).entries.map((e) => e.name)).toEqual(['after the leak']);
    await library.delete(id);
    expect(await library.list()).toMatchObject({ entries: [], damaged: [] });
    expect(readdirSync(library.folder)).toEqual([]);
    await expect(library.delete(id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(library.rename(id, 'x')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses ids that could name a path outside the folder', async () => {
    const library = tempLibrary();
    await library.save(snapshot());
    const outside = join(library.folder, '..', 'secret.meta.json');
    writeFileSync(outside, '{}');
    for (const id of [
      '../secret',
      '..%2fsecret',
      '/etc/passwd',
      '0123456789abcdef/../x',
      '0123456789ABCDEF',
      '',
    ]) {
      await expect(library.open(id)).rejects.toMatchObject({ code: 'invalid-input' });
      await expect(library.delete(id)).rejects.toMatchObject({ code: 'invalid-input' });
      await expect(library.rename(id, 'x')).rejects.toMatchObject({ code: 'invalid-input' });
    }
    expect(readFileSync(outside, 'utf8')).toBe('{}');
  });

  it('refuses names that are empty, too long or hold control characters', async () => {
    const library = tempLibrary();
    for (const name of ['   ', 'a'.repeat(201), 'two\nlines']) {
      await expect(library.save(snapshot(), name)).rejects.toMatchObject({ code: 'invalid-input' });
    }
    expect((await library.list()).entries).toEqual([]);
  });

  it('reports a damaged file with its reason and still lists the rest', async () => {
    const library = tempLibrary();
    const good = await library.save(snapshot(), 'good');
    const bad = await library.save(snapshot(), 'bad meta');
    const truncated = await library.save(snapshot(), 'truncated snapshot');
    const orphan = await library.save(snapshot(), 'orphan');
    writeFileSync(join(library.folder, `${bad.id}.meta.json`), '{"name": "x"');
    const text = readFileSync(join(library.folder, `${truncated.id}.json`), 'utf8');
    writeFileSync(join(library.folder, `${truncated.id}.json`), text.slice(0, 100));
    writeFileSync(join(library.folder, `${orphan.id}.meta.json`), '');
    await library.delete(orphan.id).catch(() => undefined);
    writeFileSync(join(library.folder, `${orphan.id}.json`), text);
    writeFileSync(join(library.folder, 'notes.txt'), 'not ours');

    const listing = await library.list();
    expect(listing.entries.map((e) => e.name).sort()).toEqual(['good', 'truncated snapshot']);
    expect(listing.damaged).toEqual(
      expect.arrayContaining([
        { file: `${bad.id}.meta.json`, reason: `${bad.id}.meta.json is not JSON.` },
        {
          file: `${orphan.id}.json`,
          reason: `its metadata file ${orphan.id}.meta.json is missing`,
        },
      ]),
    );
    expect(listing.damaged).toHaveLength(2);
    // The snapshot itself is checked when opened: the error says what is wrong and where.
    await expect(library.open(truncated.id)).rejects.toMatchObject({
      code: 'malformed-file',
      message: expect.stringContaining(`${truncated.id}.json`),
    });
    expect(await library.open(good.id)).toEqual(snapshot());
  });

  it('reports metadata of the wrong shape by its field', async () => {
    const library = tempLibrary();
    const { id } = await library.save(snapshot());
    const meta = JSON.parse(
      readFileSync(join(library.folder, `${id}.meta.json`), 'utf8'),
    ) as object;
    writeFileSync(join(library.folder, `${id}.meta.json`), JSON.stringify({ ...meta, evil: true }));
    const { damaged } = await library.list();
    expect(damaged).toHaveLength(1);
    expect(damaged[0]!.reason).toMatch(new RegExp(`^${id}\\.meta\\.json: .*evil`));
  });

  it('caps the number of snapshots and their total size', async () => {
    const one = Buffer.byteLength(snapshotToJson(snapshot()));
    const byCount = tempLibrary({ entries: 2, bytes: 1e9 });
    await byCount.save(snapshot());
    await byCount.save(snapshot());
    await expect(byCount.save(snapshot())).rejects.toMatchObject({
      code: 'limit-exceeded',
      message: expect.stringContaining('2 snapshots'),
    });
    await byCount.delete((await byCount.list()).entries[0]!.id);
    await byCount.save(snapshot());

    const bySize = tempLibrary({ entries: 100, bytes: one * 2 + 10 });
    await bySize.save(snapshot());
    await bySize.save(snapshot());
    await expect(bySize.save(snapshot())).rejects.toMatchObject({ code: 'limit-exceeded' });
    expect((await bySize.list()).entries).toHaveLength(2);
    expect(readdirSync(bySize.folder)).toHaveLength(4);
  });

  it('makes room for an automatic save by deleting the oldest automatic entries only', async () => {
    // Different region counts: automatic saves of the same snapshot are kept once.
    const library = tempLibrary({ entries: 3, bytes: 1e9 });
    const oldest = await library.save(snapshot(1), 'auto, oldest', true);
    const newer = await library.save(snapshot(2), 'auto, newer', true);
    const byHand = await library.save(snapshot(3), 'by hand');
    expect([oldest.automatic, byHand.automatic]).toEqual([true, false]);
    // Saves in one millisecond tie on savedAt: age the first one so "oldest" is unambiguous.
    const metaFile = join(library.folder, `${oldest.id}.meta.json`);
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(metaFile, JSON.stringify({ ...meta, savedAt: '2020-01-01T00:00:00.000Z' }));

    const fresh = await library.save(snapshot(4), 'auto, fresh', true);
    const ids = (await library.list()).entries.map((e) => e.id).sort();
    expect(ids).toEqual([newer.id, byHand.id, fresh.id].sort());

    // A save by hand never evicts: the library is full.
    await expect(library.save(snapshot(5), 'by hand, too many')).rejects.toMatchObject({
      code: 'limit-exceeded',
    });
    // Entries kept or renamed by hand are no longer evictable; with none automatic left, an
    // automatic save is refused too.
    expect((await library.keep(newer.id)).automatic).toBe(false);
    expect((await library.rename(fresh.id, 'named')).automatic).toBe(false);
    await expect(library.save(snapshot(6), 'auto, no room', true)).rejects.toMatchObject({
      code: 'limit-exceeded',
    });
    expect((await library.list()).entries.every((e) => !e.automatic)).toBe(true);
  });

  it('keeps the same snapshot saved automatically twice once', async () => {
    const library = tempLibrary();
    const first = await library.save(snapshot(), undefined, true);
    expect(await library.save(snapshot(), undefined, true)).toEqual(first);
    expect((await library.list()).entries).toHaveLength(1);
    // By hand, a second copy is what the user asked for.
    await library.save(snapshot(), 'a copy');
    expect((await library.list()).entries).toHaveLength(2);
  });

  it('reads metadata written before automatic saving existed as saved by hand', async () => {
    const library = tempLibrary();
    const { id } = await library.save(snapshot(), 'old');
    const metaFile = join(library.folder, `${id}.meta.json`);
    const { automatic: _automatic, ...old } = JSON.parse(readFileSync(metaFile, 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(metaFile, JSON.stringify(old));
    expect((await library.list()).entries[0]).toMatchObject({ id, automatic: false });
  });
});

describe('the library folder', () => {
  it('follows VMSCOPE_DATA_DIR, then the platform convention', () => {
    expect(
      libraryFolder({ VMSCOPE_DATA_DIR: '/t/d', XDG_DATA_HOME: '/x' }, 'linux', '/home/u'),
    ).toBe('/t/d/snapshots');
    expect(libraryFolder({ XDG_DATA_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/vmscope/snapshots');
    expect(libraryFolder({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe(
      '/home/u/.local/share/vmscope/snapshots',
    );
    expect(libraryFolder({}, 'linux', '/home/u')).toBe('/home/u/.local/share/vmscope/snapshots');
    expect(libraryFolder({ APPDATA: '/w/Roaming' }, 'win32', '/home/u')).toBe(
      '/w/Roaming/vmscope/snapshots',
    );
  });
});
