/**
 * Marks on the page's performance timeline along a snapshot's way to the screen, named
 * `vmscope:STEP`: asked; firstChunk (process.snapshotStream's first part arrived), or headers and
 * transfer (a process.snapshot call); decoded, allocations, map, committed, shown (the first
 * frame); lastChunk (the whole snapshot arrived) and complete (its frame); summary and index. The inspector bench reads
 * them to say where the time goes; a new request clears the last one's marks.
 */
const PREFIX = 'vmscope:';

export type TraceStep =
  | 'asked'
  | 'firstChunk'
  | 'headers'
  | 'transfer'
  | 'decoded'
  | 'allocations'
  | 'map'
  | 'committed'
  | 'shown'
  | 'lastChunk'
  | 'complete'
  | 'summary'
  | 'index';

export function traceMark(step: TraceStep): void {
  if (step === 'asked')
    for (const m of performance.getEntriesByType('mark'))
      if (m.name.startsWith(PREFIX)) performance.clearMarks(m.name);
  performance.mark(PREFIX + step);
}
