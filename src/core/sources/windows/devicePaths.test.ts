import { describe, expect, it } from 'vitest';
import { toDrivePath } from './devicePaths';

const devices = [
  ['\\Device\\HarddiskVolume3', 'C:'],
  ['\\Device\\HarddiskVolume1', 'D:'],
] as const;

describe('toDrivePath', () => {
  it('turns a device path into a drive-letter path', () => {
    expect(toDrivePath('\\Device\\HarddiskVolume3\\Windows\\System32\\ntdll.dll', devices)).toBe(
      'C:\\Windows\\System32\\ntdll.dll',
    );
  });

  it('matches whole device names only (Volume1 is not a prefix of Volume10)', () => {
    expect(toDrivePath('\\Device\\HarddiskVolume10\\x.dll', devices)).toBe(
      '\\Device\\HarddiskVolume10\\x.dll',
    );
  });

  it('drops the \\??\\ prefix of NT drive paths', () => {
    expect(toDrivePath('\\??\\C:\\windows\\system32\\kernel32.dll', devices)).toBe(
      'C:\\windows\\system32\\kernel32.dll',
    );
  });

  it('keeps paths on devices without a letter', () => {
    expect(toDrivePath('\\Device\\Mup\\server\\share\\a.dll', devices)).toBe(
      '\\Device\\Mup\\server\\share\\a.dll',
    );
  });
});
