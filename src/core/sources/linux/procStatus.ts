/** /proc/PID/status as a map from field to value; `kB` fields are returned in bytes. */
export type ProcStatus = Map<string, string>;

export function parseProcStatus(text: string): ProcStatus {
  const fields: ProcStatus = new Map();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** A `NNN kB` field in bytes; 0 where the kernel does not report it (kernel threads, old kernels). */
export function statusBytes(status: ProcStatus, field: string): number {
  const value = status.get(field);
  if (!value) return 0;
  const kb = Number.parseInt(value, 10);
  return Number.isFinite(kb) ? kb * 1024 : 0;
}

export function statusBytesOrNull(status: ProcStatus, field: string): number | null {
  return status.has(field) ? statusBytes(status, field) : null;
}

/** The real uid (first of the four in `Uid:`). */
export function statusUid(status: ProcStatus): number | null {
  const uid = Number.parseInt(status.get('Uid') ?? '', 10);
  return Number.isFinite(uid) ? uid : null;
}
