import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerServiceHost } from '../src/core/worker/workerServiceHost';
import { laneOf } from '../src/core/service/lanes';
import type { Result } from '../src/shared/errors';
import type { LibraryEntry, LibraryListing } from '../src/shared/library';
import { decodeSnapshot, isEncodedSnapshot } from '../src/shared/snapshotCodec';
import { snapshotToJson } from '../src/shared/snapshotJson';
import { BUILT_CLI, assertBuilt } from './support/cli';

const folder = join(mkdtempSync(join(tmpdir(), 'vmscope-data-')), 'snapshots');
assertBuilt();
const host = createWorkerServiceHost(BUILT_CLI, { libraryFolder: folder });
const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
afterAll(async () => {
  sleeper.kill();
  await host.close();
});

async function value<T>(promise: Promise<Result<unknown>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

describe('the snapshot library through the API (worker service)', () => {
  it('takes, lists, opens, renames and deletes a real process snapshot', async () => {
    const pid = sleeper.pid!;
    const taken = await value<LibraryEntry>(host.call('library.take', { pid }));
    expect(taken).toMatchObject({ process: { pid, name: 'sleep' }, source: 'linux' });
    expect(taken.regions).toBeGreaterThan(5);

    const listing = await value<LibraryListing>(host.call('library.list', {}));
    expect(listing.folder).toBe(folder);
    expect(listing.entries).toEqual([taken]);

    // The heavy lane returns snapshots as columns, like process.snapshot.
    const opened = await value<unknown>(host.call('library.open', { id: taken.id }));
    expect(isEncodedSnapshot(opened)).toBe(true);
    const snapshot = decodeSnapshot(opened as never);
    expect(snapshot.process.pid).toBe(pid);
    expect(snapshot.regions).toHaveLength(taken.regions);

    // A snapshot the UI holds is saved from its document text.
    const saved = await value<LibraryEntry>(
      host.call('library.save', { text: snapshotToJson(snapshot), name: 'copy' }),
    );
    expect(saved).toMatchObject({ name: 'copy', regions: taken.regions, bytes: taken.bytes });

    expect(
      await value<LibraryEntry>(
        host.call('library.rename', { id: taken.id, name: 'sleep, first' }),
      ),
    ).toMatchObject({ name: 'sleep, first' });
    expect(await value(host.call('library.delete', { id: saved.id }))).toBeNull();
    const after = await value<LibraryListing>(host.call('library.list', {}));
    expect(after.entries.map((e) => e.name)).toEqual(['sleep, first']);
  });

  it('refuses traversal, bad names and foreign documents with error values', async () => {
    for (const id of ['../../etc/passwd', '0123456789abcdeg', 'x'.repeat(10_000)]) {
      expect(await host.call('library.open', { id })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
      expect(await host.call('library.delete', { id })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
    }
    expect(
      await host.call('library.rename', { id: '0123456789abcdef', name: 'a\u0000b' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(
      await host.call('library.rename', { id: '0123456789abcdef', name: 'fine' }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await host.call('library.save', { text: '{"format":"something else"}' })).toMatchObject({
      ok: false,
      error: { code: 'malformed-file' },
    });
    expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('lists a damaged file with its reason and keeps serving', async () => {
    writeFileSync(join(folder, 'ffffffffffffffff.meta.json'), 'garbage');
    const listing = await value<LibraryListing>(host.call('library.list', {}));
    expect(listing.damaged).toContainEqual({
      file: 'ffffffffffffffff.meta.json',
      reason: 'ffffffffffffffff.meta.json is not JSON.',
    });
    expect(listing.entries.length).toBeGreaterThan(0);
    expect(await host.call('library.open', { id: 'ffffffffffffffff' })).toMatchObject({
      ok: false,
      error: { code: 'malformed-file' },
    });
  });

  it('runs the calls that move whole snapshots on the heavy lane', () => {
    expect(['library.open', 'library.save', 'library.take'].map(laneOf)).toEqual([
      'heavy',
      'heavy',
      'heavy',
    ]);
    expect(
      ['library.list', 'library.rename', 'library.keep', 'library.delete'].map(laneOf),
    ).toEqual(['light', 'light', 'light', 'light']);
  });
});
