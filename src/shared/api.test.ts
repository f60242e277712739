import { describe, expect, it } from 'vitest';
import { methods, subscriptions } from './api';

describe('the API contract', () => {
  it('makes a method’s input schema on first use, once', () => {
    const spec = methods['process.snapshot'];
    expect(Object.getOwnPropertyDescriptor(spec, 'input')?.get).toBeTypeOf('function');
    expect(spec.input).toBe(spec.input);
    expect(spec.input.safeParse({ pid: 1 }).success).toBe(true);
    expect(spec.input.safeParse({ pid: -1 }).success).toBe(false);
    expect(Object.keys(spec)).toContain('input');
  });

  it('gives every method and subscription a schema', () => {
    for (const spec of [...Object.values(methods), ...Object.values(subscriptions)])
      expect(spec.input.safeParse).toBeTypeOf('function');
  });
});
