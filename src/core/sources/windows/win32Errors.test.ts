import { describe, expect, it } from 'vitest';
import { exitedError, openError, win32Error } from './win32Errors';

describe('Win32 errors as the contract’s errors', () => {
  it('access denied advises running elevated', () => {
    const err = win32Error(5, 1234, 'read the memory of');
    expect(err.code).toBe('access-denied');
    expect(err.message).toMatch(/process 1234/);
    expect(err.message).toMatch(/elevated/);
  });

  it('OpenProcess’s invalid parameter means no such process', () => {
    const err = openError(87, 99999);
    expect(err.code).toBe('process-exited');
    expect(err.message).toMatch(/no process 99999/);
  });

  it('an invalid parameter on an open handle is not mistaken for an exit', () => {
    expect(win32Error(87, 42, 'query the memory of').code).toBe('internal');
  });

  it('says which call an exited process interrupted', () => {
    const err = exitedError(7, 'read the working set of');
    expect(err.code).toBe('process-exited');
    expect(err.message).toMatch(/Process 7 has exited .*working set/);
  });
});
