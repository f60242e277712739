import { z } from 'zod';
import type { SourceId } from '../../../../shared/model';
import type { SortKey } from '../../../../shared/regionRows';
import type { Column } from './regionColumns';

/** How the user arranged the region table for one source: order, what is hidden, widths. */
export interface ColumnLayout {
  order: SortKey[];
  hidden: SortKey[];
  widths: Partial<Record<SortKey, number>>;
}

export const MIN_COLUMN_WIDTH = 40;
export const MAX_COLUMN_WIDTH = 800;

const storageKey = (source: SourceId): string => `vmscope.regionColumns.${source}`;

/** The stored form: small (only what differs from the defaults is worth keeping) and versioned. */
const storedSchema = z.strictObject({
  v: z.literal(1),
  order: z.array(z.string()).max(64),
  hidden: z.array(z.string()).max(64),
  widths: z.record(z.string(), z.number().int().min(MIN_COLUMN_WIDTH).max(MAX_COLUMN_WIDTH)),
});

export function defaultLayout(columns: readonly Column[]): ColumnLayout {
  return {
    order: columns.map((c) => c.key),
    hidden: columns.filter((c) => c.hidden).map((c) => c.key),
    widths: {},
  };
}

/**
 * A stored layout made to fit `columns`: unknown keys are dropped and columns the store does not
 * name (new in this version) keep their default place and visibility. Anything damaged — not
 * JSON, the wrong shape, a width out of range — gives the defaults.
 */
export function parseLayout(text: string | null, columns: readonly Column[]): ColumnLayout {
  const defaults = defaultLayout(columns);
  if (text === null) return defaults;
  let stored: z.infer<typeof storedSchema>;
  try {
    stored = storedSchema.parse(JSON.parse(text));
  } catch {
    return defaults;
  }
  const known = new Set<string>(defaults.order);
  const named = stored.order.filter((k): k is SortKey => known.has(k));
  if (new Set(named).size !== named.length) return defaults;
  const order = [...named];
  // A column the stored order lacks goes in after its default predecessor.
  defaults.order.forEach((key, i) => {
    if (order.includes(key)) return;
    const before = i === 0 ? -1 : order.indexOf(defaults.order[i - 1]!);
    order.splice(before + 1, 0, key);
  });
  const mentioned = new Set<string>(stored.order);
  const hidden = [
    ...stored.hidden.filter((k): k is SortKey => known.has(k)),
    ...defaults.hidden.filter((k) => !mentioned.has(k)),
  ];
  // A table of no column says nothing: such a store is as good as damaged.
  if (order.every((k) => hidden.includes(k))) return defaults;
  const widths: ColumnLayout['widths'] = {};
  for (const [key, width] of Object.entries(stored.widths))
    if (known.has(key)) widths[key as SortKey] = width;
  return { order, hidden: [...new Set(hidden)], widths };
}

export function layoutText(layout: ColumnLayout): string {
  return JSON.stringify({ v: 1, ...layout });
}

export function loadLayout(source: SourceId, columns: readonly Column[]): ColumnLayout {
  let text: string | null = null;
  try {
    text = localStorage.getItem(storageKey(source));
  } catch {
    // Storage disabled: the defaults.
  }
  return parseLayout(text, columns);
}

export function saveLayout(source: SourceId, layout: ColumnLayout): void {
  try {
    localStorage.setItem(storageKey(source), layoutText(layout));
  } catch {
    // Storage full or disabled: the arrangement lasts for this page only.
  }
}

export function clearLayout(source: SourceId): void {
  try {
    localStorage.removeItem(storageKey(source));
  } catch {
    // As above.
  }
}
