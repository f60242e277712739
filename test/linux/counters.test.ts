import { afterAll, describe, expect, it } from 'vitest';
import { openProcCountersReader } from '../../src/core/sources/linux/procCountersReader';
import { readLinuxCounters } from '../../src/core/sources/linux/linuxSource';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';

afterAll(stopAllChildren);

describe.runIf(process.platform === 'linux')('Linux counters of a zombie', () => {
  it('refuse a zombie as process-exited instead of reading its missing memory lines as zeros', async () => {
    const parent = spawnChild(compileHelper('zombie'), []);
    const zombie = Number(await firstLine(parent));
    const exited = { code: 'process-exited', message: expect.stringContaining('zombie') };
    await expect(readLinuxCounters(zombie)).rejects.toMatchObject(exited);
    // The sampler's own reader parses with the same function, so a watch ends instead of charting zeros.
    const reader = openProcCountersReader(zombie);
    try {
      await expect(reader.read()).rejects.toMatchObject(exited);
    } finally {
      reader.close();
    }
    // Its live parent still reads normally.
    await expect(readLinuxCounters(parent.pid!)).resolves.toMatchObject({
      workingSetSize: expect.any(Number),
    });
  });
});
