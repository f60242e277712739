import { afterAll, describe, expect, it } from 'vitest';
import { readAheadStarted } from '../../src/core/sources/linux/readAhead';
import { SmapsReader } from '../../src/core/sources/linux/smapsReader';
import { SmapsScanner } from '../../src/core/sources/linux/smapsScanner';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';

afterAll(stopAllChildren);

// Its own file: the thread is started once per thread that reads, so no other test may have started it here.
describe.runIf(process.platform === 'linux')('the read-ahead thread', () => {
  it('is not started for whole reads too short for it to be ready in time', async () => {
    // 1,000 one-page mappings: about 0.7 MB of smaps, under the megabyte that starts it.
    const child = spawnChild(compileHelper('manymaps'), ['1000']);
    expect(await firstLine(child)).toBe('ready 1000');
    for (let i = 0; i < 2; i++) {
      const reader = SmapsReader.open(child.pid!);
      const scanner = new SmapsScanner();
      try {
        expect(reader.scan(scanner)).toBe(true);
      } finally {
        reader.close();
      }
      expect(reader.bytes).toBeGreaterThan(500_000);
      expect(reader.bytes).toBeLessThan(1 << 20);
      expect(scanner.count).toBeGreaterThanOrEqual(1000);
    }
    expect(readAheadStarted()).toBe(false);
  });
});
