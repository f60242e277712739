import { describe, expect, it } from 'vitest';
import { exceptionCodeHex, memName, protectName, winError } from './winConstants';

describe('winConstants', () => {
  it('names protections with their modifiers, null for 0, hex for unknown bits', () => {
    expect(protectName(0)).toBeNull();
    expect(protectName(0x04)).toBe('PAGE_READWRITE');
    expect(protectName(0x104)).toBe('PAGE_READWRITE|PAGE_GUARD');
    expect(protectName(0x220)).toBe('PAGE_EXECUTE_READ|PAGE_NOCACHE');
    expect(protectName(0x06)).toBe('0x6');
  });

  it('names MEM_ states and types, and formats errors and exception codes', () => {
    expect(memName(0x1000)).toBe('MEM_COMMIT');
    expect(memName(0x20000)).toBe('MEM_PRIVATE');
    expect(memName(0)).toBeNull();
    expect(winError('ERROR_INVALID_ADDRESS')).toEqual({ code: 487, name: 'ERROR_INVALID_ADDRESS' });
    expect(winError('ERROR_COMMITMENT_LIMIT').code).toBe(1455);
    expect(exceptionCodeHex('EXCEPTION_ACCESS_VIOLATION')).toBe('0xc0000005');
    expect(exceptionCodeHex('STATUS_GUARD_PAGE_VIOLATION')).toBe('0x80000001');
  });
});
