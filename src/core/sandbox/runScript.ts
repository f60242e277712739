/**
 * `vmscope sandbox run`: read a script file, parse JSON, validate (every problem named by its
 * path), then run it through the service API (sandbox.open, sandbox.load, sandbox.close) on the
 * chosen engine: the command line's, else the script's own, else the simulator. Both engines
 * print one shape (SandboxRunOutput).
 */
import type { Client } from '../../shared/bridge';
import { readBoundedFile } from '../io/readBoundedFile';
import { parseBoundedJson } from '../../shared/jsonBounds';
import { VmscopeError } from '../../shared/errors';
import {
  type EngineKind,
  type SandboxScript,
  parseSandboxScript,
} from '../../shared/sandboxScript';
import { SANDBOX_RUN_VERSION, type SandboxRunOutput } from '../../shared/sandboxSession';

export interface LoadedScript {
  /** The script as written (what sandbox.load takes). */
  json: unknown;
  script: SandboxScript;
}

/** A validated script from a file, or an `invalid-input` error with a one-line reason. */
export async function loadSandboxScript(path: string): Promise<LoadedScript> {
  let text: string;
  try {
    // A script is small: 16 MiB is far beyond any hand-written or saved one.
    text = await readBoundedFile(path, 16 * 1024 * 1024);
  } catch (err) {
    if (err instanceof VmscopeError) throw err;
    throw new VmscopeError(
      'invalid-input',
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const json = parseBoundedJson(text, path);
  const parsed = parseSandboxScript(json);
  if (!parsed.ok) throw new VmscopeError('invalid-input', `${path}: ${parsed.errors.join('; ')}`);
  return { json, script: parsed.script };
}

/** The engine a run uses: `flag` (the command line's `--engine`) wins over the script's `engine`. */
export function scriptEngine(script: SandboxScript, flag?: EngineKind): EngineKind {
  return flag ?? script.engine ?? 'simulated';
}

/** Run a loaded script in a session of its own, through the service API, and close the session. */
export async function runSandboxScript(
  client: Client,
  loaded: LoadedScript,
  flag?: EngineKind,
): Promise<SandboxRunOutput> {
  const engine = scriptEngine(loaded.script, flag);
  const opened = await client.call('sandbox.open', {
    engine,
    ...(loaded.script.machine ? { machine: loaded.script.machine } : {}),
  });
  try {
    const state = await client.call('sandbox.load', {
      session: opened.session,
      script: loaded.json,
    });
    return {
      version: SANDBOX_RUN_VERSION,
      engine,
      steps: state.history.map((h) => ({ ...h.result, calls: h.calls, restarted: h.restarted })),
      regions: state.regions,
      allocations: state.allocations,
      counters: state.counters,
    };
  } finally {
    await client.call('sandbox.close', { session: opened.session });
  }
}
