import type { z } from 'zod';
import {
  isMethodName,
  isTopicName,
  methods,
  type StreamMessage,
  subscriptions,
} from '../shared/api';
import { type Result, VmscopeError, toVmError } from '../shared/errors';
import type { Service } from './service';

/** The zod issues as one line a person can act on: `pid: Too small: expected number to be >0`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}

function parseInput(schema: z.ZodType, input: unknown, what: string): unknown {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new VmscopeError(
      'invalid-input',
      `Invalid input for ${what}: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** Validates and runs one call. Never throws: every failure is an error value. */
export async function dispatchCall(
  service: Service,
  method: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  try {
    if (!isMethodName(method)) {
      throw new VmscopeError('unknown-method', `Unknown method ${JSON.stringify(method)}.`);
    }
    const parsed = parseInput(methods[method].input, input, method);
    const impl = service.methods[method] as (i: unknown) => Promise<unknown>;
    return { ok: true, value: await impl(parsed) };
  } catch (err) {
    return { ok: false, error: toVmError(err) };
  }
}

/**
 * Validates and starts one stream; resolves, once it has started, to its stop function or an
 * error value. Never rejects.
 */
export async function dispatchSubscribe(
  service: Service,
  topic: unknown,
  input: unknown,
  emit: (message: StreamMessage) => void,
): Promise<Result<() => void>> {
  try {
    if (!isTopicName(topic)) {
      throw new VmscopeError('unknown-method', `Unknown subscription ${JSON.stringify(topic)}.`);
    }
    const parsed = parseInput(subscriptions[topic].input, input, topic);
    const impl = service.topics[topic] as (
      i: unknown,
      e: (m: StreamMessage) => void,
    ) => Promise<() => void>;
    return { ok: true, value: await impl(parsed, emit) };
  } catch (err) {
    return { ok: false, error: toVmError(err) };
  }
}
