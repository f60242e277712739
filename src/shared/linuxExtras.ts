/**
 * region.linux as the Linux source writes it: its fields in this order (docs/linux-source.md),
 * and a builder that makes one object literal per region. A literal of 32 fields costs a tenth
 * of what copying a template and setting 32 keys by name costs (keyed stores of many names are
 * megamorphic in V8), and the Linux extras are most of a Linux snapshot's objects.
 */
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
 * (5.x and later) are the literal's, protection keys are added where present. It gives undefined
 * for a row with any other set of fields (an older kernel prints fewer), which the caller builds
 * the general way. Null for any other group.
 */
export function linuxExtrasLiteral(
  strings: readonly string[],
  group: ExtraColumns,
  words: (index: number) => string[],
): ((i: number) => LinuxRegionInfo | undefined) | null {
  const { fields } = group;
  if (
    group.name !== 'linux' ||
    fields.length !== LINUX_EXTRA_FIELDS.length ||
    fields.some(
      (f, k) => f.key !== LINUX_EXTRA_FIELDS[k]!.key || f.kind !== LINUX_EXTRA_FIELDS[k]!.kind,
    )
  )
    return null;
  const column = (key: string): Column => fields.find((f) => f.key === key)!.column;
  const strIndex = (key: string): Int32Array => column(key) as Int32Array;
  const num = (key: string): Float64Array => column(key) as Float64Array;
  const perms = strIndex('perms');
  const vmFlags = strIndex('vmFlags');
  const device = strIndex('device');
  const rollupOnly = ROLLUP_ONLY.map(num);
  const protectionKey = num(PROTECTION_KEY);
  const required = fields
    .filter((f) => f.kind === 'number' && !ROLLUP_ONLY.includes(f.key) && f.key !== PROTECTION_KEY)
    .map((f) => f.column as Float64Array);
  const [offset, inode, pss, swap, anonymous, referenced, size, kernelPageSize, mmuPageSize] =
    required as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
  const [rss, pssDirty, sharedClean, sharedDirty, privateClean, privateDirty, ksm, lazyFree] =
    required.slice(9) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
  const [anonHugePages, shmemPmdMapped, filePmdMapped, sharedHugetlb, privateHugetlb] =
    required.slice(17) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const [swapPss, locked, thpEligible] = required.slice(22) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const misfit = misfits(perms.length, [perms, vmFlags, device], rollupOnly, required);
  return (i) => {
    if (misfit[i]) return undefined;
    const extra = linuxInfo(
      strings[perms[i]!]!,
      words(vmFlags[i]!),
      offset[i]!,
      strings[device[i]!]!,
      inode[i]!,
      pss[i]!,
      swap[i]!,
      anonymous[i]!,
      referenced[i]!,
      size[i]!,
      kernelPageSize[i]!,
      mmuPageSize[i]!,
      rss[i]!,
      pssDirty[i]!,
      sharedClean[i]!,
      sharedDirty[i]!,
      privateClean[i]!,
      privateDirty[i]!,
      ksm[i]!,
      lazyFree[i]!,
      anonHugePages[i]!,
      shmemPmdMapped[i]!,
      filePmdMapped[i]!,
      sharedHugetlb[i]!,
      privateHugetlb[i]!,
      swapPss[i]!,
      locked[i]!,
      thpEligible[i]!,
    );
    const key = protectionKey[i]!;
    if (key === key) extra.protectionKey = key;
    return extra;
  };
}

/**
 * 1 for each row the literal cannot build: a string or a required number absent, or a
 * rollup-only number present. Column by column, each a sequential pass.
 */
function misfits(
  count: number,
  strings: Int32Array[],
  absent: Float64Array[],
  required: Float64Array[],
): Uint8Array {
  const misfit = new Uint8Array(count);
  for (const c of strings) for (let i = 0; i < count; i++) if (c[i]! < 0) misfit[i] = 1;
  for (const c of absent) for (let i = 0; i < count; i++) if (c[i] === c[i]) misfit[i] = 1;
  // NaN, an absent number, is the one value not equal to itself.
  for (const c of required) for (let i = 0; i < count; i++) if (c[i] !== c[i]) misfit[i] = 1;
  return misfit;
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
