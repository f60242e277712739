import { WORKING_SET_MEASURES } from '../../../../shared/regionFields';

/**
 * A snapshot whose working set is unknown (a dump or core file: Snapshot.workingSetUnknown): its
 * working-set numbers are not measurements, so they show as this label, with the reason as a
 * tooltip, never as 0 B.
 */
export interface WorkingSetUnknown {
  /** "unknown", in the UI's language. */
  label: string;
  /** Why, from the snapshot. */
  reason: string;
}

const KEYS: ReadonlySet<string> = new Set(WORKING_SET_MEASURES.map((m) => m.key));

/** A working-set column or summary field (WS total, private, shareable, shared, locked). */
export const isWorkingSetKey = (key: string): boolean => KEYS.has(key);

/** The label in place of a working-set number. */
export function UnknownWorkingSet({ unknown }: { unknown: WorkingSetUnknown }) {
  return (
    <span className="ws-unknown" title={unknown.reason} data-testid="ws-unknown">
      {unknown.label}
    </span>
  );
}
