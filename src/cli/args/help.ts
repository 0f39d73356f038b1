/**
 * `--help` text from a command's spec: usage line, description, arguments, options (with
 * choices and defaults) and, for a group, its commands. Laid out for 80 columns.
 */
import { HELP_OPTION } from './parse';
import { argumentTerm, longFlag, optionTerm, type CommandSpec, type OptionSpec } from './spec';

const WIDTH = 80;
/** Below this, descriptions are not squeezed any narrower: the lines just grow longer. */
const MIN_TEXT_WIDTH = 40;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

type Row = readonly [term: string, text: string];

/** `  term   description`, the description wrapped in its column. */
function table(rows: readonly Row[], termWidth: number): string {
  const textWidth = Math.max(MIN_TEXT_WIDTH, WIDTH - termWidth - 4);
  return rows
    .map(([term, text]) =>
      wrap(text, textWidth)
        .map((line, i) => `  ${(i === 0 ? term : '').padEnd(termWidth)}  ${line}`.trimEnd())
        .join('\n'),
    )
    .join('\n');
}

function quoted(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function optionText(option: OptionSpec): string {
  const extras = [
    ...(option.choices === undefined ? [] : [`choices: ${option.choices.map(quoted).join(', ')}`]),
    ...(option.default === undefined ? [] : [`default: ${quoted(option.default)}`]),
    ...(option.required === true ? ['required'] : []),
  ];
  return extras.length === 0 ? option.description : `${option.description} (${extras.join(', ')})`;
}

function optionRows(options: Readonly<Record<string, OptionSpec>>): Row[] {
  return Object.entries(options).flatMap(([key, option]): Row[] => [
    [optionTerm(key, option), optionText(option)],
    ...(option.negation === undefined ? [] : [[`--no-${longFlag(key).slice(2)}`, option.negation] as const]),
  ]);
}

/** What follows a command's name in a usage line or a command list: `[options] <file...>`. */
function synopsis(command: CommandSpec): string {
  return [...(Object.keys(command.options).length > 0 ? ['[options]'] : []), ...command.arguments.map(argumentTerm)].join(' ');
}

/** The help of the last command of `path` (the root program first). */
export function renderHelp(path: readonly CommandSpec[]): string {
  const command = path[path.length - 1] as CommandSpec;
  const name = path.map((c) => c.name).join(' ');
  const isGroup = command.subcommands.length > 0;
  const usage = isGroup ? `${name} [options] [command]` : `${name} [options]${command.arguments.map((a) => ` ${argumentTerm(a)}`).join('')}`;
  const tables: [string, Row[]][] = [
    ['Arguments', command.arguments.map((a) => [a.name, a.description] as const)],
    ['Options', [...optionRows(command.options), ...optionRows({ help: HELP_OPTION })]],
    ['Commands', isGroup ? [...command.subcommands.map((c) => [[c.name, synopsis(c)].filter((s) => s !== '').join(' '), c.description] as const), ['help [command]', 'display help for command'] as const] : []],
  ];
  // One column for every section's terms, so the descriptions line up down the page.
  const termWidth = Math.max(...tables.flatMap(([, rows]) => rows.map(([term]) => term.length)));
  const sections = [`Usage: ${usage}`, wrap(command.description, WIDTH).join('\n')];
  for (const [title, rows] of tables) if (rows.length > 0) sections.push(`${title}:\n${table(rows, termWidth)}`);
  return `${sections.join('\n\n')}\n`;
}
