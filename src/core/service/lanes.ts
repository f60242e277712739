import type { MethodName } from '../../shared/api';
import type { Lane } from '../worker/protocol';

/**
 * Which worker serves a method. Heavy inspection calls (a 60,000-mapping snapshot parses for
 * hundreds of milliseconds; a file is up to 256 MiB of JSON) and sandbox calls (a script of
 * thousands of steps) each have their own workers, so the light calls a window makes every second
 * never wait behind them. Anything not listed is light.
 */
const LANES: Partial<Record<MethodName, Lane>> = {
  'process.snapshot': 'heavy',
  'region.pages': 'heavy',
  'files.snapshot': 'heavy',
  'files.readDump': 'heavy',
  'library.save': 'heavy',
  'library.take': 'heavy',
  'library.open': 'heavy',
  'sandbox.open': 'sandbox',
  'sandbox.step': 'sandbox',
  'sandbox.state': 'sandbox',
  'sandbox.reset': 'sandbox',
  'sandbox.undo': 'sandbox',
  'sandbox.load': 'sandbox',
  'sandbox.close': 'sandbox',
  'sandbox.read': 'sandbox',
};

export function laneOf(method: string): Lane {
  return Object.hasOwn(LANES, method) ? LANES[method as MethodName]! : 'light';
}
