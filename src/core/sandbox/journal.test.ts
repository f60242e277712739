import { describe, expect, it } from 'vitest';
import { type SessionRecord, applyJournalChange } from './journal';

describe('applyJournalChange', () => {
  it('folds open, steps, undo, load and close into records', () => {
    const records = new Map<string, SessionRecord>();
    applyJournalChange(records, {
      change: 'open',
      id: 'a',
      engine: 'simulated',
      machine: undefined,
    });
    applyJournalChange(records, {
      change: 'step',
      id: 'a',
      step: { op: 'VirtualAlloc', size: 4096 },
    });
    applyJournalChange(records, { change: 'step', id: 'a', step: { op: 'GetSystemInfo' } });
    applyJournalChange(records, { change: 'truncate', id: 'a', length: 1 });
    expect(records.get('a')!.steps).toEqual([{ op: 'VirtualAlloc', size: 4096 }]);
    const loaded = [{ op: 'GetSystemInfo' }];
    applyJournalChange(records, {
      change: 'replace',
      id: 'a',
      machine: { physicalMemory: 512 * 2 ** 20 },
      steps: loaded,
    });
    loaded.push({ op: 'later' });
    expect(records.get('a')).toMatchObject({
      machine: { physicalMemory: 512 * 2 ** 20 },
      steps: [{ op: 'GetSystemInfo' }],
    });
    applyJournalChange(records, { change: 'step', id: 'missing', step: {} });
    expect([...records.keys()]).toEqual(['a']);
    applyJournalChange(records, { change: 'close', id: 'a' });
    expect(records.size).toBe(0);
  });
});
