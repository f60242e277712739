import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { VMSCOPE_VERSION } from '../src/shared/version';

it('reports the version package.json declares', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(VMSCOPE_VERSION).toBe(pkg.version);
});
