import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = resolve(here, '../../.cache/helpers');

/**
 * Compiles test/helpers/NAME.c with the system's `cc` (once per source version: the binary is
 * named by the source's hash) and returns the executable's path. Test files run in parallel, so
 * each compiles to a private name and renames it into place.
 */
export function compileHelper(
  name: 'regions' | 'manymaps' | 'zombie' | 'spacedmaps' | 'growmap' | 'adjacent' | 'contents',
): string {
  const source = join(here, `${name}.c`);
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const binary = join(cacheDir, `${name}-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const temp = `${binary}.${process.pid}.tmp`;
  execFileSync('cc', ['-O2', '-Wall', '-pthread', '-o', temp, source], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  renameSync(temp, binary);
  return binary;
}
