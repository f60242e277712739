import { describe, expect, it } from 'vitest';
import { checkReadable } from './linuxSnapshot';
import type { ProcessFacts } from './processList';
import { parseProcStat } from './procStat';
import { parseProcStatus } from './procStatus';

const PF_KTHREAD = 0x00200000;

/** Facts as readProcessFacts would give them, for a process in `state` with stat `flags`. */
function facts(state: string, flags = 0): ProcessFacts {
  const fields = [state, '1', '0', '0', '0', '0', String(flags), '0', '0', '0', '0'];
  return {
    stat: parseProcStat(`4242 (worker) ${fields.join(' ')} 0 0 0 0 0 0 0 0 0 0 0 0`),
    status: parseProcStatus('Name:\tworker\n'),
    info: {
      pid: 4242,
      parentPid: 1,
      name: 'worker',
      path: null,
      user: null,
      workingSetSize: null,
      privateBytes: null,
      startTime: null,
      commandLine: null,
      kernelThread: (flags & PF_KTHREAD) !== 0,
    },
  };
}

describe('checkReadable: what a read of smaps means once stat has been read after it', () => {
  it('accepts a live process with mappings, and a kernel thread with none', () => {
    expect(() => checkReadable(4242, facts('S'), false)).not.toThrow();
    expect(() => checkReadable(4242, facts('S', PF_KTHREAD), true)).not.toThrow();
  });

  it('calls an empty smaps of a live user process access-denied (kernels that answer EACCES with nothing)', () => {
    expect(() => checkReadable(4242, facts('S'), true)).toThrow(
      expect.objectContaining({ code: 'access-denied', message: expect.stringMatching(/as root/) }),
    );
  });

  it('calls a zombie process-exited, full read or not', () => {
    for (const empty of [true, false]) {
      expect(() => checkReadable(4242, facts('Z'), empty)).toThrow(
        expect.objectContaining({
          code: 'process-exited',
          message: expect.stringMatching(/zombie/),
        }),
      );
    }
  });
});
