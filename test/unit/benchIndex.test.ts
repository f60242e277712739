import { describe, expect, it } from 'vitest';
import { benches } from '../../bench/index';

describe('the bench index', () => {
  it('names each bench as its module does, so a filter picks it before it is loaded', async () => {
    const loaded = await Promise.all(benches.map((entry) => entry.load()));
    expect(loaded.map((bench) => bench.name)).toEqual(benches.map((entry) => entry.name));
    expect(new Set(benches.map((entry) => entry.name)).size).toBe(benches.length);
  });
});
