import { describe, expect, it } from 'vitest';
import {
  boundNames,
  parseAddressExpr,
  parseSandboxScript,
  type SandboxScript,
  validateNextStep,
} from './sandboxScript';

function parsed(json: unknown): SandboxScript {
  const r = parseSandboxScript(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.script;
}

function errors(json: unknown): string[] {
  const r = parseSandboxScript(json);
  return r.ok ? [] : r.errors;
}

describe('address expressions', () => {
  it('reads null, numbers, hex strings and NAME±OFFSET', () => {
    expect(parseAddressExpr(null)).toEqual({ kind: 'null' });
    expect(parseAddressExpr(0)).toEqual({ kind: 'null' });
    expect(parseAddressExpr(65536)).toEqual({ kind: 'absolute', value: 0x10000n });
    expect(parseAddressExpr('0x7FFFFFFEFFFF')).toEqual({
      kind: 'absolute',
      value: 0x7ffffffeffffn,
    });
    expect(parseAddressExpr('base')).toEqual({ kind: 'named', name: 'base', offset: 0n });
    expect(parseAddressExpr('base+0x1000')).toEqual({
      kind: 'named',
      name: 'base',
      offset: 0x1000n,
    });
    expect(parseAddressExpr('buf - 0x10')).toEqual({ kind: 'named', name: 'buf', offset: -0x10n });
    expect(parseAddressExpr('base+16')).toEqual({ kind: 'named', name: 'base', offset: 16n });
  });

  it('rejects anything else with a reason', () => {
    expect(parseAddressExpr('base*2')).toMatch(/expected null, a number/);
    expect(parseAddressExpr(-1)).toMatch(/non-negative/);
    expect(parseAddressExpr(1.5)).toMatch(/whole number/);
  });

  it('holds addresses and offsets to 64 bits, as a pointer does', () => {
    expect(parseAddressExpr('0xffffffffffffffff')).toEqual({
      kind: 'absolute',
      value: (1n << 64n) - 1n,
    });
    expect(parseAddressExpr('0x10000000000000000')).toMatch(/does not fit in 64 bits/);
    expect(parseAddressExpr('a+0x10000000000000000')).toMatch(
      /does not fit in 64 bits: a 64-bit offset/,
    );
  });
});

describe('parseSandboxScript', () => {
  it('accepts the issue example and resolves flags given as a name, an array, an "A|B" string or a number', () => {
    const script = parsed({
      engine: 'simulated',
      steps: [
        {
          op: 'VirtualAlloc',
          address: null,
          size: 20480,
          type: 'MEM_RESERVE',
          protect: 'PAGE_NOACCESS',
          as: 'base',
        },
        {
          op: 'VirtualAlloc',
          address: 'base+0x1000',
          size: 4096,
          type: ['MEM_COMMIT'],
          protect: 'PAGE_READWRITE|PAGE_GUARD',
        },
        { op: 'VirtualProtect', address: 'base+0x1000', size: '0x1000', protect: 0x20 },
        { op: 'Write', address: 'base+0x1000', size: 4 },
        { op: 'VirtualFree', address: 'base', type: 'MEM_RELEASE' },
      ],
    });
    const [reserve, commit, protect, write, free] = script.steps;
    expect(reserve).toMatchObject({
      op: 'VirtualAlloc',
      type: 0x2000,
      protect: 0x01,
      size: 20480n,
      as: 'base',
    });
    expect(commit).toMatchObject({
      type: 0x1000,
      protect: 0x104,
      address: { kind: 'named', name: 'base', offset: 0x1000n },
    });
    expect(protect).toMatchObject({ size: 0x1000n, protect: 0x20 });
    expect(write).toMatchObject({ size: 4n });
    expect(free).toMatchObject({ size: 0n, type: 0x8000 });
  });

  it('rejects a malformed script with the path of every bad field', () => {
    expect(
      errors({
        steps: [
          { op: 'VirtualAlloc', size: 4096, type: 'MEM_RESERVE', protect: 'PAGE_READWRIT' },
          { op: 'Write', address: 'nowhere+0x10' },
          { op: 'VirtualAllocate', size: 1 },
          { op: 'VirtualQuery', address: '0x1000', size: -4 },
          { op: 'VirtualFree', address: '0x10000', size: -1, type: 'MEM_RELEASE' },
        ],
      }),
    ).toEqual([
      'steps.0.protect: unknown flag "PAGE_READWRIT" (use a PAGE_* or MEM_* name or a number)',
      expect.stringMatching(/^steps\.2\.op: /),
      'steps.3: Unrecognized key: "size"',
      expect.stringMatching(/^steps\.4\.size: expected a non-negative whole number of bytes/),
    ]);
  });

  it('checks names are bound by an earlier step only when the steps themselves are well-formed', () => {
    expect(
      errors({
        steps: [
          { op: 'Write', address: 'buf+0x10' },
          { op: 'VirtualAlloc', size: 1, type: 'MEM_COMMIT', protect: 4, as: 'buf' },
        ],
      }),
    ).toEqual(['steps.0.address: "buf" is not bound by an earlier step\'s "as"']);
  });

  it('validates the machine settings and the engine', () => {
    expect(errors({ engine: 'hardware', steps: [] })[0]).toMatch(/^engine: /);
    expect(errors({ engine: 'live', steps: [] })).toEqual([]);
    expect(errors({ machine: { physicalMemory: 1024 }, steps: [] })[0]).toMatch(
      /^machine\.physicalMemory: /,
    );
    expect(
      errors({ machine: { workingSetMinimum: 8192, workingSetMaximum: 4096 }, steps: [] }),
    ).toEqual(['machine.workingSetMinimum: workingSetMinimum must not exceed workingSetMaximum']);
    expect(errors({ steps: 'none' })[0]).toMatch(/^steps: /);
    expect(errors([])[0]).toMatch(/^\(script\): /);
  });
});

describe('sizes', () => {
  it('take any 64-bit SIZE_T and refuse a larger one in the service and the form alike', () => {
    const step = (size: unknown) =>
      validateNextStep(
        { op: 'VirtualAlloc', size, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS' },
        new Set(),
      );
    expect(step('0x10000000000')).toMatchObject({ ok: true, step: { size: 1n << 40n } });
    expect(step('18446744073709551615')).toMatchObject({ ok: true });
    const huge = step('100000000000000000000000');
    expect(huge).toEqual({
      ok: false,
      errors: [
        'size: 100000000000000000000000 does not fit in 64 bits: a 64-bit SIZE_T holds at most 0xffffffffffffffff',
      ],
    });
    expect(step(1e23)).toMatchObject({ ok: false });
  });
});

describe('validateNextStep', () => {
  it('checks one step against the names bound so far, with errors named by field', () => {
    const bound = boundNames([{ op: 'VirtualAlloc', as: 'buf' }, { op: 'GetSystemInfo' }]);
    expect([...bound]).toEqual(['buf']);
    const ok = validateNextStep({ op: 'Write', address: 'buf+0x10', size: 4 }, bound);
    expect(ok).toMatchObject({
      ok: true,
      step: { op: 'Write', size: 4n, address: { kind: 'named', name: 'buf', offset: 16n } },
    });
    expect(validateNextStep({ op: 'Write', address: 'other' }, bound)).toEqual({
      ok: false,
      errors: ['address: "other" is not bound by an earlier step\'s "as"'],
    });
    const bad = validateNextStep(
      { op: 'VirtualAlloc', size: -1, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS' },
      bound,
    );
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]).toMatch(/^size: expected a non-negative whole number/);
    // The same answer as the whole script's check, without the "steps.N." prefix.
    expect(errors({ steps: [{ op: 'Write', address: 'other' }] })).toEqual([
      'steps.0.address: "other" is not bound by an earlier step\'s "as"',
    ]);
  });
});
