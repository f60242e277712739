/**
 * `vmscope --version` must cost little more than node's own start (issue 17, point 4): the CLI's
 * entry and every chunk it imports statically must not hold zod (the contract's schemas), which
 * alone costs more than node starting. Commands load it with the service on first use.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { BUILT_CLI, assertBuilt } from '../support/cli';

/** The files `file` imports statically (`import … from "./x.js"`), followed through each. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^import\s[^;]*?from\s*"(\.[^"]+)"/gm))
    staticClosure(join(dirname(file), m[1]!), seen);
  for (const m of text.matchAll(/^import\s*"(\.[^"]+)"/gm))
    staticClosure(join(dirname(file), m[1]!), seen);
  return seen;
}

it('loads no zod before a command needs the service', () => {
  assertBuilt();
  const loaded = [...staticClosure(BUILT_CLI)];
  expect(loaded.length).toBeGreaterThan(0);
  const withZod = loaded.filter((f) => readFileSync(f, 'utf8').includes('ZodError'));
  expect(withZod).toEqual([]);
});
