/**
 * The one runner of script steps, for every engine: it resolves addresses (`null`, absolute, or
 * `name+0xOFF` from the names bound with `as`), runs the step through the op table (ops.ts) on
 * the engine's target (the simulated process, or the live child's real memory calls), and binds
 * the step's returned address to its `as` name.
 */
import type { AddressExpr, ScriptOpName, ScriptStep, StepResult } from '../../shared/sandboxScript';
import type { Outcome } from './live/liveOutcome';
import { failedReturn } from '../../shared/win32Call';

const ADDRESS_SPACE = 1n << 64n;

/** An address expression's value, or null for NULL; pointer arithmetic wraps like a 64-bit register. */
export function resolveAddress(
  bindings: ReadonlyMap<string, bigint>,
  expr: AddressExpr,
): bigint | null {
  if (expr.kind === 'null') return null;
  if (expr.kind === 'absolute') return expr.value % ADDRESS_SPACE;
  // A name bound by a failed step holds 0, as a C variable would hold NULL.
  const base = bindings.get(expr.name) ?? 0n;
  return (((base + expr.offset) % ADDRESS_SPACE) + ADDRESS_SPACE) % ADDRESS_SPACE;
}

/** What an op handler gets: the engine's target and the address resolution of this runner. */
export interface OpContext<T> {
  target: T;
  /** null for a NULL argument (where the call treats NULL specially). */
  resolve(expr: AddressExpr): bigint | null;
  /** The value passed: NULL is 0. */
  address(expr: AddressExpr): bigint;
}

export type OpHandler<T, S> = (ctx: OpContext<T>, step: S) => Outcome;

export class StepRunner<T> implements OpContext<T> {
  readonly bindings = new Map<string, bigint>();

  constructor(
    readonly target: T,
    private readonly handlerOf: (op: ScriptOpName) => OpHandler<T, never>,
  ) {}

  resolve(expr: AddressExpr): bigint | null {
    return resolveAddress(this.bindings, expr);
  }

  address(expr: AddressExpr): bigint {
    return this.resolve(expr) ?? 0n;
  }

  run(step: ScriptStep): StepResult {
    const { address, ...outcome } = this.handlerOf(step.op)(this, step as never);
    if (step.as) this.bindings.set(step.as, address ?? 0n);
    // Every engine's failed pointer or handle reads NULL, as Windows returns it (never FALSE).
    const returned = outcome.ok ? outcome.returned : failedReturn(step.op, outcome.returned);
    return { op: step.op, ...outcome, returned };
  }
}
