import { InvalidArgumentError, Option } from 'commander';
import { SOURCE_IDS } from '../shared/model';

/** A whole number in [min, max] from a flag value, or a one-line reason. */
export function intArg(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value))
      throw new InvalidArgumentError(`expected a whole number, got "${value}".`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected ${min} to ${max}, got ${n}.`);
    return n;
  };
}

export const sourceOption = (): Option =>
  new Option('--source <source>', 'where the memory comes from (default: this machine)').choices([
    ...SOURCE_IDS,
  ]);

export const pidOption = (): Option =>
  new Option('--pid <pid>', 'process id').argParser(intArg(1, 2 ** 31 - 1)).makeOptionMandatory();
