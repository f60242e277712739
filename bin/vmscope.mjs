#!/usr/bin/env node
// The built CLI (npm ci builds it through the prepare script; `npm run build` rebuilds it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/node/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    'vmscope: not built yet; run `npm run build` in the vmscope folder first.\n',
  );
  process.exit(1);
}
await import(cli);
