/**
 * Marks on the page's performance timeline along a snapshot's way to the screen (asked, headers,
 * transfer, decoded, allocations, map, committed, shown, summary, index), named `vmscope:STEP`. The inspector bench reads
 * them to say where the time goes; a new request clears the last one's marks.
 */
const PREFIX = 'vmscope:';

export type TraceStep =
  | 'asked'
  | 'headers'
  | 'transfer'
  | 'decoded'
  | 'allocations'
  | 'map'
  | 'committed'
  | 'shown'
  | 'summary'
  | 'index';

export function traceMark(step: TraceStep): void {
  if (step === 'asked')
    for (const m of performance.getEntriesByType('mark'))
      if (m.name.startsWith(PREFIX)) performance.clearMarks(m.name);
  performance.mark(PREFIX + step);
}
