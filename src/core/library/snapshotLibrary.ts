import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VmscopeError } from '../../shared/errors';
import {
  LIBRARY_ID_PATTERN,
  MAX_LIBRARY_BYTES,
  MAX_LIBRARY_ENTRIES,
  MAX_LIBRARY_NAME,
  type LibraryDamage,
  type LibraryEntry,
  type LibraryListing,
  isLibraryName,
} from '../../shared/library';
import type { Snapshot } from '../../shared/model';
import { formatBytes } from '../../shared/format';
import { regionColumnsOf } from '../../shared/snapshotColumns';
import { snapshotToJson } from '../../shared/snapshotJson';
import { writeFileAtomic } from '../io/atomicWrite';
import { readBoundedFile } from '../io/readBoundedFile';
import { readSnapshotFile } from '../io/readSnapshotFile';

/** A metadata file is a few hundred bytes; anything much larger is not one. */
const MAX_META_BYTES = 64 * 1024;
const META_SUFFIX = '.meta.json';

/** What `<id>.meta.json` holds: the listing's fields, so listing never reads a snapshot. */
const metaSchema = z.strictObject({
  name: z.string().min(1).max(MAX_LIBRARY_NAME),
  takenAt: z.string().max(100),
  savedAt: z.string().max(100),
  source: z.string().max(100),
  process: z.strictObject({ pid: z.number().int().nonnegative(), name: z.string().max(4096) }),
  regions: z.number().int().nonnegative(),
  // Absent in files written before automatic saving existed: those were all saved by hand.
  automatic: z.boolean().optional(),
});
type Meta = z.infer<typeof metaSchema>;

export interface LibraryLimits {
  entries: number;
  bytes: number;
}

/**
 * Snapshots kept on disk, one pair of files per entry: `<id>.json` (the snapshot document,
 * docs/snapshot-format.md) and `<id>.meta.json` (name and listing fields). The metadata is written
 * last, so an entry exists only once its snapshot is whole; both writes are atomic. Nothing here
 * keeps state between calls: every worker (and every face) sees the folder as it is.
 */
export class SnapshotLibrary {
  constructor(
    readonly folder: string,
    private readonly limits: LibraryLimits = {
      entries: MAX_LIBRARY_ENTRIES,
      bytes: MAX_LIBRARY_BYTES,
    },
  ) {}

  async list(): Promise<LibraryListing> {
    const names = await readdir(this.folder).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw new VmscopeError(
        'access-denied',
        `Cannot read the snapshot library ${this.folder}: ${err.code ?? err.message}.`,
      );
    });
    const present = new Set(names);
    const entries: LibraryEntry[] = [];
    const damaged: LibraryDamage[] = [];
    for (const file of names) {
      const id = file.slice(0, 16);
      if (!LIBRARY_ID_PATTERN.test(id)) continue;
      if (file === `${id}.json` && !present.has(`${id}${META_SUFFIX}`)) {
        damaged.push({ file, reason: `its metadata file ${id}${META_SUFFIX} is missing` });
      } else if (file === `${id}${META_SUFFIX}`) {
        try {
          entries.push(await this.entry(id));
        } catch (err) {
          damaged.push({ file, reason: (err as Error).message });
        }
      }
    }
    entries.sort((a, b) => b.savedAt.localeCompare(a.savedAt) || a.id.localeCompare(b.id));
    return { entries, damaged, folder: this.folder, limits: { ...this.limits } };
  }

  /**
   * Keeps a snapshot. A snapshot saved by hand is refused when the library is full; an automatic
   * one makes room by deleting the oldest automatic entries first, and is refused only when the
   * entries saved by hand alone leave no room.
   */
  async save(
    snapshot: Snapshot,
    name?: string,
    automatic = false,
    /** The snapshot's JSON, when the caller has written it already (keepTaken.ts). */
    document: string | Uint8Array = snapshotToJson(snapshot),
  ): Promise<LibraryEntry> {
    const text = document;
    const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    const { entries } = await this.list();
    if (automatic) {
      // The same snapshot opened again (a file, `serve --open` at each start) is kept once.
      const same = entries.find((e) => isSameSnapshot(e, snapshot));
      if (same) return same;
    }
    const kept = automatic ? await this.makeRoom(entries, bytes) : entries;
    if (kept.length >= this.limits.entries) {
      throw new VmscopeError(
        'limit-exceeded',
        `The snapshot library holds ${kept.length} snapshots, its limit; delete some to save more.`,
      );
    }
    const used = kept.reduce((sum, e) => sum + e.bytes, 0);
    if (used + bytes > this.limits.bytes) {
      throw new VmscopeError(
        'limit-exceeded',
        `This snapshot (${formatBytes(bytes)}) would take the library past ${formatBytes(this.limits.bytes)} (${formatBytes(used)} used); delete some snapshots to save more.`,
      );
    }
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const id = randomBytes(8).toString('hex');
    const meta: Meta = {
      name: checkName(name ?? defaultName(snapshot)),
      takenAt: snapshot.takenAt,
      savedAt: new Date().toISOString(),
      source: snapshot.source,
      process: { pid: snapshot.process.pid, name: snapshot.process.name },
      regions: regionCountOf(snapshot),
      automatic,
    };
    await writeFileAtomic(this.snapshotPath(id), text);
    try {
      await writeFileAtomic(this.metaPath(id), `${JSON.stringify(meta)}\n`);
    } catch (err) {
      await rm(this.snapshotPath(id), { force: true });
      throw err;
    }
    return { id, ...meta, automatic, bytes };
  }

  /** Turns an automatic entry into one kept by hand: it is never deleted to make room. */
  async keep(id: string): Promise<LibraryEntry> {
    const entry = await this.entry(checkId(id));
    if (!entry.automatic) return entry;
    await this.writeMeta(entry, { automatic: false });
    return { ...entry, automatic: false };
  }

  /**
   * Deletes the oldest automatic entries until one more snapshot of `bytes` fits, as far as they
   * can make it fit; returns the entries left.
   */
  private async makeRoom(entries: LibraryEntry[], bytes: number): Promise<LibraryEntry[]> {
    const left = [...entries];
    let used = left.reduce((sum, e) => sum + e.bytes, 0);
    // Oldest first; `list()` sorts newest first.
    const automatic = left.filter((e) => e.automatic).reverse();
    for (const victim of automatic) {
      if (left.length < this.limits.entries && used + bytes <= this.limits.bytes) break;
      await this.delete(victim.id);
      left.splice(left.indexOf(victim), 1);
      used -= victim.bytes;
    }
    return left;
  }

  /** The snapshot, read through the bounded reader: a damaged file is a `malformed-file` error. */
  async open(id: string): Promise<Snapshot> {
    await this.entry(checkId(id));
    return readSnapshotFile(this.snapshotPath(id));
  }

  async rename(id: string, name: string): Promise<LibraryEntry> {
    const entry = await this.entry(checkId(id));
    const renamed = checkName(name);
    // Naming an entry is keeping it: an automatic entry renamed by hand is no longer evictable.
    await this.writeMeta(entry, { name: renamed, automatic: false });
    return { ...entry, name: renamed, automatic: false };
  }

  private async writeMeta(entry: LibraryEntry, change: Partial<Meta>): Promise<void> {
    const { id, bytes: _bytes, ...meta } = entry;
    const next: Meta = { ...meta, ...change };
    await writeFileAtomic(this.metaPath(id), `${JSON.stringify(next)}\n`);
  }

  /** Removes the entry: its metadata first, so a stop half-way leaves no listed entry without a snapshot. */
  async delete(id: string): Promise<void> {
    checkId(id);
    const [meta, snapshot] = [this.metaPath(id), this.snapshotPath(id)];
    const exists =
      (await stat(meta).then(
        () => true,
        () => false,
      )) ||
      (await stat(snapshot).then(
        () => true,
        () => false,
      ));
    if (!exists) throw new VmscopeError('not-found', `No snapshot ${id} in the library.`);
    await rm(meta, { force: true });
    await rm(snapshot, { force: true });
  }

  private async entry(id: string): Promise<LibraryEntry> {
    let text: string;
    try {
      text = await readBoundedFile(this.metaPath(id), MAX_META_BYTES);
    } catch (err) {
      if (err instanceof VmscopeError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new VmscopeError(
        'not-found',
        code === 'ENOENT'
          ? `No snapshot ${id} in the library.`
          : `Cannot read ${id}${META_SUFFIX}: ${code ?? (err as Error).message}.`,
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new VmscopeError('malformed-file', `${id}${META_SUFFIX} is not JSON.`);
    }
    const meta = metaSchema.safeParse(value);
    if (!meta.success) {
      const issue = meta.error.issues[0]!;
      throw new VmscopeError(
        'malformed-file',
        `${id}${META_SUFFIX}: ${issue.path.join('.') || '(top)'}: ${issue.message}.`,
      );
    }
    const file = await stat(this.snapshotPath(id)).catch(() => null);
    if (!file?.isFile())
      throw new VmscopeError('malformed-file', `its snapshot file ${id}.json is missing.`);
    return { id, ...meta.data, automatic: meta.data.automatic ?? false, bytes: file.size };
  }

  private snapshotPath(id: string): string {
    return join(this.folder, `${id}.json`);
  }

  private metaPath(id: string): string {
    return join(this.folder, `${id}${META_SUFFIX}`);
  }
}

function checkId(id: string): string {
  if (!LIBRARY_ID_PATTERN.test(id))
    throw new VmscopeError(
      'invalid-input',
      `"${id.slice(0, 40)}" is not a library id (16 hex digits).`,
    );
  return id;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!isLibraryName(trimmed)) {
    throw new VmscopeError(
      'invalid-input',
      `A snapshot name is 1 to ${MAX_LIBRARY_NAME} characters, without control characters.`,
    );
  }
  return trimmed;
}

function isSameSnapshot(entry: LibraryEntry, snapshot: Snapshot): boolean {
  return (
    entry.takenAt === snapshot.takenAt &&
    entry.source === snapshot.source &&
    entry.process.pid === snapshot.process.pid &&
    entry.regions === regionCountOf(snapshot)
  );
}

function defaultName(snapshot: Snapshot): string {
  return `${snapshot.process.name || 'process'} (${snapshot.process.pid}) ${snapshot.takenAt.slice(0, 19).replace('T', ' ')} UTC`.slice(
    0,
    MAX_LIBRARY_NAME,
  );
}

/** How many regions a snapshot has, without building them when it is on its columns. */
function regionCountOf(snapshot: Snapshot): number {
  return regionColumnsOf(snapshot)?.count ?? snapshot.regions.length;
}
