/** Builds /proc/PID/smaps text in the kernel's exact layout, for unit tests of the scanner and the rules. */
export interface FixtureMapping {
  start: bigint;
  end: bigint;
  perms: string;
  path?: string;
  device?: string;
  inode?: number;
  offset?: number;
  /** kB values by smaps field name; Size defaults to the mapping's size. */
  kb?: Record<string, number>;
  /** Field names to leave out, as an older kernel would. */
  omit?: string[];
  vmFlags?: string;
}

const KB_FIELDS = [
  'Size',
  'KernelPageSize',
  'MMUPageSize',
  'Rss',
  'Pss',
  'Pss_Dirty',
  'Shared_Clean',
  'Shared_Dirty',
  'Private_Clean',
  'Private_Dirty',
  'Referenced',
  'Anonymous',
  'KSM',
  'LazyFree',
  'AnonHugePages',
  'ShmemPmdMapped',
  'FilePmdMapped',
  'Shared_Hugetlb',
  'Private_Hugetlb',
  'Swap',
  'SwapPss',
  'Locked',
];

export function smapsText(mappings: FixtureMapping[]): string {
  let text = '';
  for (const m of mappings) {
    const head = `${m.start.toString(16).padStart(8, '0')}-${m.end.toString(16).padStart(8, '0')} ${m.perms} ${(m.offset ?? 0).toString(16).padStart(8, '0')} ${m.device ?? '00:00'} ${m.inode ?? 0}`;
    text += m.path ? `${head.padEnd(73)}${m.path}\n` : `${head} \n`;
    const kb: Record<string, number> = {
      Size: Number((m.end - m.start) / 1024n),
      KernelPageSize: 4,
      MMUPageSize: 4,
      ...m.kb,
    };
    for (const name of KB_FIELDS) {
      if (m.omit?.includes(name)) continue;
      text += `${`${name}:`.padEnd(16)}${String(kb[name] ?? 0).padStart(8)} kB\n`;
    }
    if (!m.omit?.includes('THPeligible')) text += `THPeligible:    ${'0'.padStart(8)}\n`;
    text += `VmFlags: ${m.vmFlags ?? 'rd wr mr mw me ac'} \n`;
  }
  return text;
}
