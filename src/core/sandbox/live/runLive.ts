/**
 * `vmscope sandbox run --engine live`: a whole script on a live child. Each step's result carries
 * the real calls it made (`calls`); the address space is the sandbox's allocations page by page
 * (its regions are the child's whole Node process: open the inspector on the pid for those).
 */
import type { SandboxAllocation } from '../../../shared/sandboxSession';
import type { SandboxScript, StepResult } from '../../../shared/sandboxScript';
import { LiveEngine } from './liveEngine';

export interface LiveRunResult {
  steps: (StepResult & { calls: string[] })[];
  allocations: SandboxAllocation[];
}

export async function runLiveScript(script: SandboxScript): Promise<LiveRunResult> {
  const engine = new LiveEngine();
  try {
    const steps: LiveRunResult['steps'] = [];
    for (const step of script.steps) {
      const run = await engine.run(step);
      steps.push({ ...run.result, calls: run.calls });
    }
    return { steps, allocations: (await engine.view()).allocations };
  } finally {
    engine.dispose();
  }
}
