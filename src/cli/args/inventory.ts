/**
 * Every command path of a program with the flags it accepts, for checks that a script only
 * calls what exists (the pipeline templates' test).
 */
import { HELP_OPTION } from './parse';
import { longFlag, type CommandSpec, type OptionSpecs } from './spec';

function flagsOf(options: OptionSpecs): string[] {
  return Object.entries(options).flatMap(([key, option]) => [
    longFlag(key),
    ...(option.short === undefined ? [] : [`-${option.short}`]),
    ...(option.negation === undefined ? [] : [`--no-${longFlag(key).slice(2)}`]),
  ]);
}

/** `validate` → its flags; `sim init` → its flags. Only commands that run are listed; the root's options count for each. */
export function commandFlags(root: CommandSpec): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const global = flagsOf({ ...root.options, help: HELP_OPTION });
  const visit = (command: CommandSpec, path: readonly string[]): void => {
    if (command.subcommands.length === 0) found.set(path.join(' '), new Set([...global, ...flagsOf(command.options)]));
    for (const sub of command.subcommands) visit(sub, [...path, sub.name]);
  };
  for (const command of root.subcommands) visit(command, [command.name]);
  return found;
}
