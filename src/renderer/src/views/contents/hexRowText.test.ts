import { describe, expect, it } from 'vitest';
import { byteAtChar, rowText } from './hexRowText';

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

describe('the text of a hex row', () => {
  it('draws bytes, holes as ?? with a blank character, and bytes not read yet as ··', () => {
    const bytes = new Uint8Array([0x41, 0x00, 0x7f, 0x42]);
    const mask = new Uint8Array([0, 0, 0, 1]);
    const block = { status: 'ready' as const, bytes, mask, holes: [] };
    expect(rowText(block, 0, 4, 8)).toEqual({ hex: '41 00 7f ??', ascii: 'A.. ', holes: true });
    expect(rowText(block, 0, 3, 8)).toEqual({ hex: '41 00 7f', ascii: 'A..', holes: false });
    expect(rowText(undefined, 0, 2, 8)).toEqual({ hex: '·· ··', ascii: '  ', holes: false });
    expect(rowText({ status: 'loading' }, 0, 1, 8).hex).toBe('··');
  });

  it('puts two spaces in the middle of a row', () => {
    const block = {
      status: 'ready' as const,
      bytes: new Uint8Array(16).fill(0x61),
      mask: new Uint8Array(16),
      holes: [],
    };
    expect(rowText(block, 0, 16, 16).hex).toBe('61 61 61 61 61 61 61 61  61 61 61 61 61 61 61 61');
    expect(rowText(block, 8, 8, 8).hex).toBe('61 61 61 61  61 61 61 61');
  });
});
