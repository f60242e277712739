import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProcCountersReader } from '../../src/core/sources/linux/procCountersReader';
import { readLinuxCounters } from '../../src/core/sources/linux/linuxSource';
import { spawnChild, stopAllChildren } from '../support/children';

afterEach(stopAllChildren);

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe.runIf(process.platform === 'linux')('the held-descriptor /proc counters reader', () => {
  it('reads exactly what the Linux source reads, again and again', async () => {
    const child = spawnChild('sleep', ['30']);
    await new Promise((r) => setTimeout(r, 100));
    const reader = openProcCountersReader(child.pid!);
    try {
      // A sleeping process's counters stand still, so the two paths must agree field for field.
      expect(await reader.read()).toEqual(await readLinuxCounters(child.pid!));
      expect(await reader.read()).toEqual(await readLinuxCounters(child.pid!));
    } finally {
      reader.close();
    }
  });

  it('reads the stat fields after the name, whatever the name holds', async () => {
    // The kernel prints the name in parentheses as it is: spaces and ") " included.
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-comm-'));
    const odd = join(dir, 'a) b (c');
    symlinkSync(execFileSync('which', ['sleep'], { encoding: 'utf8' }).trim(), odd);
    const child = spawnChild(odd, ['30']);
    try {
      // Until the child has exec'd, its stat names the test runner; until it sleeps, its
      // counters still move. Wait for both, so the two reads below must agree.
      const deadline = Date.now() + 5000;
      let last = '';
      for (;;) {
        expect(Date.now()).toBeLessThan(deadline);
        const now = JSON.stringify(await readLinuxCounters(child.pid!));
        const named = readFileSync(`/proc/${child.pid}/stat`, 'utf8').includes('(a) b (c)');
        if (named && now === last) break;
        last = named ? now : '';
        await new Promise((r) => setTimeout(r, 20));
      }
      const reader = openProcCountersReader(child.pid!);
      try {
        expect(await reader.read()).toEqual(await readLinuxCounters(child.pid!));
      } finally {
        reader.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with process-exited once the process is gone, and for a pid that never was', async () => {
    const child = spawnChild('sleep', ['30']);
    const reader = openProcCountersReader(child.pid!);
    expect((await reader.read()).virtualSize).toBeGreaterThan(0);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await expect(reader.read()).rejects.toMatchObject({ code: 'process-exited' });
    reader.close();
    await expect(openProcCountersReader(2147483646).read()).rejects.toMatchObject({
      code: 'process-exited',
    });
  });

  it('holds two descriptors while open and none after close', async () => {
    const before = openFds();
    const reader = openProcCountersReader(process.pid);
    await reader.read();
    expect(openFds()).toBe(before + 2);
    reader.close();
    expect(openFds()).toBe(before);
  });
});
