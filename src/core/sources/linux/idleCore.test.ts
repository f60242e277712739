import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { coreLikelyIdle, runnableThreads } from './idleCore';
import { parseProcStat } from './procStat';

const busy: ChildProcess[] = [];
afterEach(() => {
  for (const child of busy.splice(0)) child.kill('SIGKILL');
});

const runnable = (pid: number): boolean => {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1')).state === 'R';
  } catch {
    return false;
  }
};

describe('idle cores', () => {
  it('reads the runnable threads of /proc/loadavg', () => {
    expect(runnableThreads('0.47 1.24 1.55 1/456 12345\n')).toBe(1);
    expect(runnableThreads('7.10 5.00 3.00 19/456 12345\n')).toBe(19);
    expect(runnableThreads('')).toBeNaN();
    expect(runnableThreads('0.1 0.2 0.3 x/y 1')).toBeNaN();
  });

  it.runIf(process.platform === 'linux')(
    'sees no idle core while other processes keep every core busy',
    { timeout: 20_000 },
    async () => {
      // One more spinning process than there are cores: each is runnable all the time.
      for (let i = 0; i <= availableParallelism(); i++)
        busy.push(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
      const deadline = Date.now() + 10_000;
      while (!busy.every((child) => runnable(child.pid!)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(busy.every((child) => runnable(child.pid!))).toBe(true);
      expect(coreLikelyIdle()).toBe(false);
    },
  );
});
