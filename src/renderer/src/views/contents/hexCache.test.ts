import { describe, expect, it } from 'vitest';
import { blockOf, selectionText } from './hexCache';

describe('hex view bytes', () => {
  it('marks the bytes under holes and copies them as ?? or a dot, never as zero', () => {
    const block = blockOf({
      address: '0x1000',
      bytes: Uint8Array.from([0x41, 0x00, 0x00, 0x0a]),
      holes: [{ offset: 1, size: 2, reason: 'guard' }],
    });
    expect(block.status).toBe('ready');
    if (block.status !== 'ready') return;
    expect(Array.from(block.mask)).toEqual([0, 1, 1, 0]);
    const cells = Array.from(block.bytes, (value, i) =>
      block.mask[i] ? { hole: 'guard' as const } : { value },
    );
    expect(selectionText(cells, 'hex')).toBe('41 ?? ?? 0a');
    expect(selectionText(cells, 'text')).toBe('A...');
  });
});
