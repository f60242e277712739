import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The files linted here exist only as text: no type information for them, so the rules that need it are off.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: tseslint.configs.disableTypeChecked,
});

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('the import-direction lint rule', () => {
  it('fails a renderer file that imports the core', async () => {
    const found = await violations(
      'src/renderer/src/bad.ts',
      "import { createService } from '../../core/service';\nexport const s = createService;\n",
    );
    expect(found.join('\n')).toMatch(/renderer talks only to window.vmscope/);
  });

  it('fails a renderer file that imports a Node module', async () => {
    const found = await violations(
      'src/renderer/src/bad.ts',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    );
    expect(found.length).toBeGreaterThan(0);
  });

  it('fails shared code that imports Node or the core', async () => {
    expect(
      await violations(
        'src/shared/bad.ts',
        "import { join } from 'path';\nexport const j = join;\n",
      ),
    ).not.toEqual([]);
    expect(
      await violations(
        'src/shared/bad.ts',
        "import { x } from '../core/service';\nexport const y = x;\n",
      ),
    ).not.toEqual([]);
  });

  it('fails core code that imports electron or React', async () => {
    expect(
      await violations(
        'src/core/bad.ts',
        "import { app } from 'electron';\nexport const a = app;\n",
      ),
    ).not.toEqual([]);
    expect(
      await violations(
        'src/core/bad.ts',
        "import { useState } from 'react';\nexport const u = useState;\n",
      ),
    ).not.toEqual([]);
  });

  it('lets each layer import what it may', async () => {
    expect(
      await violations(
        'src/renderer/src/ok.ts',
        "import { formatBytes } from '../../shared/format';\nexport const f = formatBytes;\n",
      ),
    ).toEqual([]);
    expect(
      await violations(
        'src/core/ok.ts',
        "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n",
      ),
    ).toEqual([]);
    expect(
      await violations(
        'src/main/ok.ts',
        "import { app } from 'electron';\nimport { createService } from '../core/service';\nexport const a = [app, createService];\n",
      ),
    ).toEqual([]);
  });
});

describe('the layers inside the core', () => {
  it('fails a simulator file that imports a source or the sandbox', async () => {
    const fromSources = await violations(
      'src/core/sim/bad.ts',
      "import { toRegions } from '../sources/windows/snapshot';\nexport const t = toRegions;\n",
    );
    expect(fromSources.join('\n')).toMatch(/simulator is a model/);
    expect(
      await violations(
        'src/core/sim/bad.ts',
        "import { runSimulated } from '../sandbox/simulatedEngine';\nexport const r = runSimulated;\n",
      ),
    ).not.toEqual([]);
  });

  it("fails the Windows model importing the simulator, and the sampler importing a source's own files", async () => {
    expect(
      await violations(
        'src/core/win32/bad.ts',
        "import { SimProcess } from '../sim/process';\nexport const p = SimProcess;\n",
      ),
    ).not.toEqual([]);
    const linux = await violations(
      'src/core/sampler/bad.ts',
      "import { openProcCountersReader } from '../sources/linux/procCountersReader';\nexport const o = openProcCountersReader;\n",
    );
    expect(linux.join('\n')).toMatch(/through a Source/);
  });

  it('lets the simulator use the Windows model and the sampler use the Source interface', async () => {
    expect(
      await violations(
        'src/core/sim/ok.ts',
        "import { toRegions } from '../win32/regions';\nexport const t = toRegions;\n",
      ),
    ).toEqual([]);
    expect(
      await violations(
        'src/core/sampler/ok.ts',
        "import type { Source } from '../sources/source';\nexport type S = Source;\n",
      ),
    ).toEqual([]);
  });
});

/** The import circles dependency-cruiser finds under `paths`, with the repository's rules (.dependency-cruiser.cjs). */
async function circles(paths: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
  const reported = await cruise(
    paths,
    options,
    {},
    { tsConfig: extractTSConfig('tsconfig.node.json') },
  );
  const result = reported.output as ICruiseResult;
  return result.summary.violations.map((v) =>
    [v.from, ...(v.cycle ?? []).map((c) => c.name)].join(' -> '),
  );
}

describe('import circles', () => {
  it('there is none in the core, type-only imports included', async () => {
    expect(await circles(['src/core'])).toEqual([]);
  }, 60_000);

  it('the check finds a circle made of type imports only', async () => {
    const found = await circles(['test/fixtures/importCircle']);
    expect(found.join('\n')).toMatch(/first\.ts -> .*second\.ts/);
  }, 60_000);
});
