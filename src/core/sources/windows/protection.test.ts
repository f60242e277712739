import { describe, expect, it } from 'vitest';
import { protectionName } from './protection';

describe('protectionName', () => {
  it('names each base protection', () => {
    expect(protectionName(0x01)).toBe('PAGE_NOACCESS');
    expect(protectionName(0x04)).toBe('PAGE_READWRITE');
    expect(protectionName(0x20)).toBe('PAGE_EXECUTE_READ');
    expect(protectionName(0x80)).toBe('PAGE_EXECUTE_WRITECOPY');
  });

  it('joins modifiers after the base with |', () => {
    expect(protectionName(0x104)).toBe('PAGE_READWRITE|PAGE_GUARD');
    expect(protectionName(0x204)).toBe('PAGE_READWRITE|PAGE_NOCACHE');
    expect(protectionName(0x40000010)).toBe('PAGE_EXECUTE|PAGE_TARGETS_INVALID');
  });

  it('is null for 0, which reserved and free memory report', () => {
    expect(protectionName(0)).toBeNull();
  });

  it('keeps unknown bits as hex instead of dropping them', () => {
    expect(protectionName(0x03)).toBe('0x3');
    expect(protectionName(0x1004)).toBe('PAGE_READWRITE|0x1000');
  });
});
