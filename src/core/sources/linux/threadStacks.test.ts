import { describe, expect, it } from 'vitest';
import { parseSyscallStackPointer } from './threadStacks';

describe('parseSyscallStackPointer', () => {
  it('takes the stack pointer from a thread blocked in a system call or stopped outside one', () => {
    expect(
      parseSyscallStackPointer('202 0x7f1c 0x80 0x0 0x0 0x0 0x0 0x7ffd2a3b1e28 0x7f1c2d3e4f50\n'),
    ).toBe(0x7ffd2a3b1e28);
    expect(parseSyscallStackPointer('-1 0x7ffd2a3b1e28 0x401000\n')).toBe(0x7ffd2a3b1e28);
  });

  it('gives nothing for a running thread or a malformed line', () => {
    expect(parseSyscallStackPointer('running\n')).toBeNull();
    expect(parseSyscallStackPointer('202 12 34\n')).toBeNull();
    expect(parseSyscallStackPointer('')).toBeNull();
  });
});
