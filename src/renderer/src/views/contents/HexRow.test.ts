import { describe, expect, it } from 'vitest';
import { byteAtChar } from './HexRow';

describe('the byte under a character of a plain hex row', () => {
  const hex = (i: number) => i.toString(16).padStart(2, '0');
  // As a row draws it: "00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f".
  const row = `${[0, 1, 2, 3, 4, 5, 6, 7].map(hex).join(' ')}  ${[8, 9, 10, 11, 12, 13, 14, 15].map(hex).join(' ')}`;

  it('finds each byte from both of its digits and from the gap after it', () => {
    for (let i = 0; i < 16; i++) {
      const at = row.indexOf(hex(i));
      expect(byteAtChar('hex', at, 16)).toBe(i);
      expect(byteAtChar('hex', at + 1, 16)).toBe(i);
      if (i < 15) expect(byteAtChar('hex', at + 2, 16)).toBe(i);
    }
    expect(byteAtChar('hex', row.indexOf('07') + 3, 16)).toBe(7);
  });

  it('counts ASCII characters one a byte and stays inside a short last row', () => {
    expect(byteAtChar('ascii', 9, 16)).toBe(9);
    expect(byteAtChar('ascii', 9, 4)).toBe(3);
    expect(byteAtChar('hex', 40, 5)).toBe(4);
    expect(byteAtChar('hex', -1, 16)).toBe(0);
  });
});
