import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runnableWithin } from './idleCore';

describe('runnableWithin', () => {
  it('counts the runnable threads of /proc/loadavg against the cores', () => {
    expect(runnableWithin('0.47 1.24 1.55 1/456 12345\n', 2)).toBe(true);
    expect(runnableWithin('2.00 2.00 2.00 2/456 12345\n', 2)).toBe(true);
    expect(runnableWithin('2.00 2.00 2.00 3/456 12345\n', 2)).toBe(false);
    expect(runnableWithin('7.10 5.00 3.00 9/456 12345\n', 8)).toBe(false);
  });

  it('keeps the read-ahead thread where the text says nothing it can read', () => {
    expect(runnableWithin('', 2)).toBe(true);
    expect(runnableWithin('0.1 0.2 0.3 x/y 1', 2)).toBe(true);
  });

  it.runIf(process.platform === 'linux')('reads the field this kernel prints', () => {
    // At least this thread is running while it reads the file.
    const text = readFileSync('/proc/loadavg', 'latin1');
    expect(text.split(' ')[3]).toMatch(/^[1-9]\d*\/\d+$/);
    expect(runnableWithin(text, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(runnableWithin(text, 0)).toBe(false);
  });
});
