/**
 * Load and run a sandbox script file: read, parse JSON, validate (every problem named by its
 * path), then run it on the chosen engine: the command line's, else the script's own, else the
 * simulator.
 */
import { readBoundedFile } from '../io/readBoundedFile';
import { parseBoundedJson } from '../../shared/jsonBounds';
import { VmscopeError } from '../../shared/errors';
import {
  parseSandboxScript,
  type SandboxEngine,
  type SandboxRunResult,
  type SandboxScript,
} from '../../shared/sandboxScript';
import { type LiveRunResult, runLiveScript } from './live/runLive';
import { runSimulated } from './simulatedEngine';

const engines: Record<SandboxEngine, (script: SandboxScript) => SandboxRunResult | Promise<LiveRunResult>> = {
  simulated: runSimulated,
  live: runLiveScript,
};

/** A validated script from a file, or an `invalid-input` error with a one-line reason. */
export async function loadSandboxScript(path: string): Promise<SandboxScript> {
  let text: string;
  try {
    // A script is small: 16 MiB is far beyond any hand-written or saved one.
    text = await readBoundedFile(path, 16 * 1024 * 1024);
  } catch (err) {
    if (err instanceof VmscopeError) throw err;
    throw new VmscopeError('invalid-input', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const json = parseBoundedJson(text, path);
  const parsed = parseSandboxScript(json);
  if (!parsed.ok) throw new VmscopeError('invalid-input', `${path}: ${parsed.errors.join('; ')}`);
  return parsed.script;
}

/** The engine a run uses: `flag` (the command line's `--engine`) wins over the script's `engine`. */
export function scriptEngine(script: SandboxScript, flag?: SandboxEngine): SandboxEngine {
  return flag ?? script.engine ?? 'simulated';
}

/** Run on `engine`, or the script's own `engine`, or the simulator. */
export async function runSandboxScript(script: SandboxScript, engine?: SandboxEngine): Promise<SandboxRunResult | LiveRunResult> {
  return engines[scriptEngine(script, engine)](script);
}
