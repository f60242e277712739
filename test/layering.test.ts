import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import-direction lint rule', () => {
  it('fails a renderer file that imports the core', async () => {
    const found = await violations('src/renderer/src/bad.ts', "import { createService } from '../../core/service';\nexport const s = createService;\n");
    expect(found.join('\n')).toMatch(/renderer talks only to window.vmscope/);
  });

  it('fails a renderer file that imports a Node module', async () => {
    const found = await violations('src/renderer/src/bad.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n");
    expect(found.length).toBeGreaterThan(0);
  });

  it('fails shared code that imports Node or the core', async () => {
    expect(await violations('src/shared/bad.ts', "import { join } from 'path';\nexport const j = join;\n")).not.toEqual([]);
    expect(await violations('src/shared/bad.ts', "import { x } from '../core/service';\nexport const y = x;\n")).not.toEqual([]);
  });

  it('fails core code that imports electron or React', async () => {
    expect(await violations('src/core/bad.ts', "import { app } from 'electron';\nexport const a = app;\n")).not.toEqual([]);
    expect(await violations('src/core/bad.ts', "import { useState } from 'react';\nexport const u = useState;\n")).not.toEqual([]);
  });

  it('lets each layer import what it may', async () => {
    expect(await violations('src/renderer/src/ok.ts', "import { formatBytes } from '../../shared/format';\nexport const f = formatBytes;\n")).toEqual([]);
    expect(await violations('src/core/ok.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n")).toEqual([]);
    expect(await violations('src/main/ok.ts', "import { app } from 'electron';\nimport { createService } from '../core/service';\nexport const a = [app, createService];\n")).toEqual([]);
  });
});
