/**
 * region.linux as the Linux source writes it: its fields in this order (docs/linux-source.md),
 * and a builder that makes one object literal per region. A literal of 32 fields costs a tenth
 * of what copying a template and setting 32 keys by name costs (keyed stores of many names are
 * megamorphic in V8), and the Linux extras are most of a Linux snapshot's objects.
 */
import type { DecodedStrings } from './decodedStrings';
import type { ExtraColumns, ExtraField } from './extraColumns';
import type { LinuxRegionInfo } from './model';
import { smallInteger, taggedFields } from './taggedFields';

/** The fields of region.linux, in the order they are written (JSON keys follow it). */
export const LINUX_EXTRA_FIELDS: readonly ExtraField[] = [
  { key: 'perms', kind: 'string' },
  { key: 'vmFlags', kind: 'words' },
  { key: 'offset', kind: 'number' },
  { key: 'device', kind: 'string' },
  { key: 'inode', kind: 'number' },
  ...[
    'pss',
    'swap',
    'anonymous',
    'referenced',
    'size',
    'kernelPageSize',
    'mmuPageSize',
    'rss',
    'pssDirty',
    'pssAnon',
    'pssFile',
    'pssShmem',
    'sharedClean',
    'sharedDirty',
    'privateClean',
    'privateDirty',
    'ksm',
    'lazyFree',
    'anonHugePages',
    'shmemPmdMapped',
    'filePmdMapped',
    'sharedHugetlb',
    'privateHugetlb',
    'swapPss',
    'locked',
    'thpEligible',
    'protectionKey',
  ].map((key) => ({ key, kind: 'number' as const })),
];

/** Fields smaps never prints (only smaps_rollup does): absent from every region built from smaps. */
const ROLLUP_ONLY = ['pssAnon', 'pssFile', 'pssShmem'];
/** A field printed only where the CPU has protection keys. */
const PROTECTION_KEY = 'protectionKey';

type Column = Float64Array | Int32Array;

/**
 * A builder of region.linux as one literal, for a group whose fields are LINUX_EXTRA_FIELDS
 * (a Linux snapshot's, or one decoded from the wire): the fields smaps prints on a current kernel
 * (5.x and later) are the literal's, protection keys are added where present. `build` gives
 * undefined for a row with any other set of fields (an older kernel prints fewer), which the
 * caller builds the general way. Null for any other group.
 */
export function linuxExtrasLiteral(
  decoded: DecodedStrings,
  group: ExtraColumns,
): LinuxExtrasLiteral | null {
  const { fields } = group;
  if (
    group.name !== 'linux' ||
    fields.length !== LINUX_EXTRA_FIELDS.length ||
    fields.some(
      (f, k) => f.key !== LINUX_EXTRA_FIELDS[k]!.key || f.kind !== LINUX_EXTRA_FIELDS[k]!.kind,
    )
  )
    return null;
  return new LinuxExtrasLiteral(decoded, fields);
}

/**
 * The literal's columns and the rows it cannot build. A class, not a closure over them: the
 * region loop calls it for every row, and code optimized around a closure made per snapshot was
 * thrown away once the closure was collected (DecodedStrings).
 */
export class LinuxExtrasLiteral {
  private readonly perms: Int32Array;
  private readonly vmFlags: Int32Array;
  private readonly device: Int32Array;
  private readonly protectionKey: Float64Array;
  /** The numbers every row of the literal has, in its order (offset and inode first). */
  private readonly n: Float64Array[];
  private readonly misfit: Uint8Array;

  constructor(
    private readonly decoded: DecodedStrings,
    fields: readonly ExtraColumns['fields'][number][],
  ) {
    const column = (key: string): Column => fields.find((f) => f.key === key)!.column;
    this.perms = column('perms') as Int32Array;
    this.vmFlags = column('vmFlags') as Int32Array;
    this.device = column('device') as Int32Array;
    this.protectionKey = column(PROTECTION_KEY) as Float64Array;
    this.n = fields
      .filter(
        (f) => f.kind === 'number' && !ROLLUP_ONLY.includes(f.key) && f.key !== PROTECTION_KEY,
      )
      .map((f) => f.column as Float64Array);
    this.misfit = misfits(
      this.perms.length,
      [this.perms, this.vmFlags, this.device],
      ROLLUP_ONLY.map((key) => column(key) as Float64Array),
      this.n,
    );
  }

  /**
   * The region.linux of rows [from, to) into out[0 .. to - from): undefined for a row without one
   * (no `bit` in its `flags`) or with another set of fields. A block at a time, its columns read into locals once: read per row through
   * `n`, each of the 25 columns was loaded and checked again for every row (storing the region
   * into its array tells the compiler any array may have changed), a third of the literal's cost.
   */
  buildBlock(
    out: (LinuxRegionInfo | undefined)[],
    from: number,
    to: number,
    flags: Uint8Array,
    bit: number,
  ): void {
    const { decoded, misfit, perms, vmFlags, device, protectionKey, n } = this;
    const [
      n0,
      n1,
      n2,
      n3,
      n4,
      n5,
      n6,
      n7,
      n8,
      n9,
      n10,
      n11,
      n12,
      n13,
      n14,
      n15,
      n16,
      n17,
      n18,
      n19,
      n20,
      n21,
      n22,
      n23,
      n24,
    ] = n;
    for (let i = from; i < to; i++) {
      if (misfit[i] || !(flags[i]! & bit)) {
        out[i - from] = undefined;
        continue;
      }
      const extra = linuxInfo(
        decoded.value('string', perms[i]!) as string,
        decoded.words(vmFlags[i]!),
        n0![i]!,
        decoded.value('string', device[i]!) as string,
        n1![i]!,
        n2![i]!,
        n3![i]!,
        n4![i]!,
        n5![i]!,
        n6![i]!,
        n7![i]!,
        n8![i]!,
        n9![i]!,
        n10![i]!,
        n11![i]!,
        n12![i]!,
        n13![i]!,
        n14![i]!,
        n15![i]!,
        n16![i]!,
        n17![i]!,
        n18![i]!,
        n19![i]!,
        n20![i]!,
        n21![i]!,
        n22![i]!,
        n23![i]!,
        n24![i]!,
      );
      const key = protectionKey[i]!;
      if (key === key) extra.protectionKey = key;
      out[i - from] = extra;
    }
  }
}

/**
 * 1 for each row the literal cannot build: a string or a required number absent, or a
 * rollup-only number present. Column by column, each a sequential pass, each column once (the
 * Linux source gives the fields of one value in every row one shared column).
 */
function misfits(
  count: number,
  strings: Int32Array[],
  absent: Float64Array[],
  required: Float64Array[],
): Uint8Array {
  const misfit = new Uint8Array(count);
  for (const c of new Set(strings)) markNegative(misfit, c);
  for (const c of new Set(absent)) markNumbers(misfit, c, true);
  for (const c of new Set(required)) markNumbers(misfit, c, false);
  return misfit;
}

// Each loop a function of its own, called once per column: run once a snapshot, a loop inside
// misfits was compiled again by each of the first several snapshots (src/shared/rowBlocks.ts).
function markNegative(misfit: Uint8Array, c: Int32Array): void {
  for (let i = 0; i < misfit.length; i++) if (c[i]! < 0) misfit[i] = 1;
}

/** Marks the rows where a number is present (`present`) or absent (NaN, the one value not equal to itself). */
function markNumbers(misfit: Uint8Array, c: Float64Array, present: boolean): void {
  for (let i = 0; i < misfit.length; i++) if ((c[i] === c[i]) === present) misfit[i] = 1;
}

/** The literal itself, its fields made tagged (taggedFields.ts) before first use. */
const linuxInfo = taggedFields(
  (
    perms: string,
    vmFlags: string[],
    offset: number,
    device: string,
    inode: number,
    pss: number,
    swap: number,
    anonymous: number,
    referenced: number,
    size: number,
    kernelPageSize: number,
    mmuPageSize: number,
    rss: number,
    pssDirty: number,
    sharedClean: number,
    sharedDirty: number,
    privateClean: number,
    privateDirty: number,
    ksm: number,
    lazyFree: number,
    anonHugePages: number,
    shmemPmdMapped: number,
    filePmdMapped: number,
    sharedHugetlb: number,
    privateHugetlb: number,
    swapPss: number,
    locked: number,
    thpEligible: number,
  ): LinuxRegionInfo => ({
    perms,
    vmFlags,
    offset: smallInteger(offset),
    device,
    inode: smallInteger(inode),
    pss: smallInteger(pss),
    swap: smallInteger(swap),
    anonymous: smallInteger(anonymous),
    referenced: smallInteger(referenced),
    size: smallInteger(size),
    kernelPageSize: smallInteger(kernelPageSize),
    mmuPageSize: smallInteger(mmuPageSize),
    rss: smallInteger(rss),
    pssDirty: smallInteger(pssDirty),
    sharedClean: smallInteger(sharedClean),
    sharedDirty: smallInteger(sharedDirty),
    privateClean: smallInteger(privateClean),
    privateDirty: smallInteger(privateDirty),
    ksm: smallInteger(ksm),
    lazyFree: smallInteger(lazyFree),
    anonHugePages: smallInteger(anonHugePages),
    shmemPmdMapped: smallInteger(shmemPmdMapped),
    filePmdMapped: smallInteger(filePmdMapped),
    sharedHugetlb: smallInteger(sharedHugetlb),
    privateHugetlb: smallInteger(privateHugetlb),
    swapPss: smallInteger(swapPss),
    locked: smallInteger(locked),
    thpEligible: smallInteger(thpEligible),
  }),
);
