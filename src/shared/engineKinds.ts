/**
 * Where a sandbox's steps run. Its own module so that the CLI can declare `--engine` without
 * loading the script schemas (zod) at start.
 */
export const ENGINE_KINDS = ['simulated', 'live'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];
