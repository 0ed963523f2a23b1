/**
 * Parsers for option values, run by commander as it reads the command line: a wrong value is a usage error
 * (exit 2, like an unknown option) that names the option, the value as typed and what it accepts.
 */
import { InvalidArgumentError } from 'commander';

/** An option that takes one of `choices`, typed in any case; the value becomes the choice's own spelling. */
export function oneOf<const T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const found = choices.find((choice) => choice.toLowerCase() === value.trim().toLowerCase());
    if (found === undefined) throw new InvalidArgumentError(`It must be one of: ${choices.join(', ')}.`);
    return found;
  };
}
