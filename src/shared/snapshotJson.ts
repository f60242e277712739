/**
 * The snapshot as JSON (`vmscope-snapshot`, version 2; version 1 files still open): the CLI
 * writes it, the UI exports and opens it. Addresses are `0x` lower-case hex strings, sizes integers in bytes. Reading checks the
 * shape, so a damaged or foreign file is a `malformed-file` error with the place that is wrong.
 * docs/snapshot-format.md is its public description.
 */
import { z } from 'zod';
import { VmscopeError } from './errors';
import { MAX_JSON_DEPTH, jsonShape } from './jsonBounds';
import {
  ALLOCATION_RULES,
  REGION_KINDS,
  REGION_STATES,
  REGION_TYPES,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  SNAPSHOT_VERSIONS_READ,
  SOURCE_IDS,
  type Region,
  type Snapshot,
} from './model';

/**
 * The document's schemas, made on first use: this module is loaded with the contract (api.ts), and
 * building them cost every command-line run several milliseconds, opening a file or not.
 */
let madeSchemas: ReturnType<typeof makeSchemas> | undefined;
const schemas = (): ReturnType<typeof makeSchemas> => (madeSchemas ??= makeSchemas());

function makeSchemas() {
  const address = z.string().regex(/^0x[0-9a-f]+$/, 'a 0x lower-case hex address');
  const bytes = z.number().int().nonnegative();
  const maybeBytes = bytes.nullable();

  /**
   * Objects are strict: a field the format does not define (a key changed by damage, say) is an
   * error naming it, never silently dropped. Only the `linux` and `windows` extras take any key.
   */
  const regionSchema = z.strictObject({
    base: address,
    size: bytes,
    allocationBase: address.nullable(),
    allocationRule: z.enum(ALLOCATION_RULES).optional(),
    state: z.enum(REGION_STATES),
    protect: z.string().nullable(),
    allocationProtect: z.string().nullable(),
    type: z.enum(REGION_TYPES).nullable(),
    kind: z.enum(REGION_KINDS),
    committed: bytes,
    workingSet: z.strictObject({
      total: bytes,
      private: bytes,
      shareable: bytes,
      shared: bytes,
      locked: bytes,
    }),
    path: z.string().nullable(),
    details: z.string().nullable(),
    threadId: z.number().int().positive().optional(),
    linux: z
      .object({
        perms: z.string(),
        vmFlags: z.array(z.string()),
        offset: bytes,
        device: z.string(),
        inode: bytes,
        pss: bytes,
        swap: bytes,
        anonymous: bytes,
        referenced: bytes,
      })
      .catchall(z.unknown())
      .optional(),
    windows: z.object({ memType: z.string().nullable() }).catchall(z.unknown()).optional(),
  });

  const countersSchema = z.strictObject({
    workingSetSize: maybeBytes,
    peakWorkingSetSize: maybeBytes,
    privateUsage: maybeBytes,
    pagefileUsage: maybeBytes,
    peakPagefileUsage: maybeBytes,
    pageFaultCount: maybeBytes,
    softFaultCount: maybeBytes,
    hardFaultCount: maybeBytes,
    virtualSize: bytes,
    peakVirtualSize: maybeBytes,
    quotaPagedPoolUsage: maybeBytes,
    quotaNonPagedPoolUsage: maybeBytes,
    privateWorkingSetSize: maybeBytes,
    linux: z
      .strictObject({
        rssAnon: bytes,
        rssFile: bytes,
        rssShmem: bytes,
        vmSwap: bytes,
        vmLck: bytes,
        vmPte: bytes,
      })
      .optional(),
  });

  const documentFields = {
    format: z.literal(SNAPSHOT_FORMAT),
    version: z.literal(SNAPSHOT_VERSIONS_READ),
    takenAt: z.iso.datetime(),
    source: z.enum(SOURCE_IDS),
    host: z.strictObject({ hostname: z.string(), platform: z.string(), arch: z.string() }),
    system: z.strictObject({
      pageSize: z.number().int().positive(),
      allocationGranularity: z.number().int().positive(),
      minAddress: address,
      maxAddress: address,
    }),
    process: z.strictObject({
      pid: z.number().int().nonnegative(),
      name: z.string(),
      path: z.string().nullable(),
      commandLine: z.string().nullable(),
    }),
    counters: countersSchema,
    origin: z
      .strictObject({
        kind: z.enum(['minidump', 'core']),
        file: z.string(),
        captured: z.array(z.string()).max(1000),
        missing: z.array(z.string()).max(1000),
      })
      .optional(),
    workingSetUnknown: z.string().optional(),
    details: z.string().optional(),
    durationMs: z.number().nonnegative().optional(),
    truncated: z.strictObject({ at: address, reason: z.string() }).optional(),
  };

  /** Everything but the regions, which are checked one at a time so a bad file costs one issue, not one per region. */
  const head = z.strictObject({ ...documentFields, regions: z.array(z.unknown()) });
  return { region: regionSchema, head };
}

/** More regions than any real address space has (Linux caps mappings at 65530 by default; free gaps double it). */
export const MAX_REGIONS = 1_000_000;
/** A region is at most four objects (itself, workingSet, linux, windows); the document adds a few. */
const MAX_OBJECTS = MAX_REGIONS * 4 + 16;

export { snapshotToJson } from './snapshotJsonWriter';

function notSnapshot(path: PropertyKey[], message: string): VmscopeError {
  const where = path.map(String).join('.') || '(top)';
  return new VmscopeError(
    'malformed-file',
    `Not a ${SNAPSHOT_FORMAT} v${SNAPSHOT_VERSIONS_READ.join('/v')} document: ${where}: ${message}.`,
  );
}

/**
 * Parses and checks a snapshot document. The bounds come first, on the text (nesting depth, object
 * count) and then on the region count, so a hostile file is refused before zod walks it; the
 * regions are then checked one by one and the first bad one ends the check.
 */
export function parseSnapshotJson(text: string): Snapshot {
  const shape = jsonShape(text, MAX_JSON_DEPTH);
  if (shape.depth > MAX_JSON_DEPTH) {
    throw new VmscopeError(
      'limit-exceeded',
      `Nested more than ${MAX_JSON_DEPTH} levels deep; a snapshot is 5 levels deep.`,
    );
  }
  if (shape.objects > MAX_OBJECTS) {
    throw new VmscopeError(
      'limit-exceeded',
      `${shape.objects} JSON objects is more than a snapshot of ${MAX_REGIONS} regions holds.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new VmscopeError('malformed-file', `Not a JSON snapshot: ${(err as Error).message}`);
  }
  const regions = (value as { regions?: unknown } | null)?.regions;
  if (Array.isArray(regions) && regions.length > MAX_REGIONS) {
    throw new VmscopeError(
      'limit-exceeded',
      `regions: ${regions.length} regions is more than vmscope opens (${MAX_REGIONS}).`,
    );
  }
  const { head: headSchema, region: regionSchema } = schemas();
  const head = headSchema.safeParse(value);
  if (!head.success) {
    const issue = head.error.issues[0]!;
    throw notSnapshot(issue.path, issue.message);
  }
  for (let i = 0; i < head.data.regions.length; i++) {
    const region = regionSchema.safeParse(head.data.regions[i]);
    if (!region.success) {
      const issue = region.error.issues[0]!;
      throw notSnapshot(['regions', i, ...issue.path], issue.message);
    }
    head.data.regions[i] = region.data;
  }
  const snapshot = head.data as Snapshot | (Omit<Snapshot, 'version'> & { version: 1 });
  return snapshot.version === 1 ? fromVersion1(snapshot) : snapshot;
}

/**
 * A version 1 document read as version 2. Version 1 did not say which allocations were inferred;
 * on Linux every allocation of more than one region was (Linux has no allocation base), so those
 * regions are marked `unrecorded`: grouped by a rule the file does not name.
 */
function fromVersion1(s: Omit<Snapshot, 'version'>): Snapshot {
  if (s.source === 'linux') markUnrecorded(s.regions);
  return { ...s, version: SNAPSHOT_VERSION };
}

function markUnrecorded(regions: Region[]): void {
  let first = 0;
  for (let i = 1; i <= regions.length; i++) {
    const base = regions[first]!.allocationBase;
    if (i < regions.length && base !== null && regions[i]!.allocationBase === base) continue;
    if (i - first > 1 && base !== null)
      for (let j = first; j < i; j++) regions[j]!.allocationRule = 'unrecorded';
    first = i;
  }
}
