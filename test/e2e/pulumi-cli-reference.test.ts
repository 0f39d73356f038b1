/**
 * test/fixtures/pipelines/pulumi-cli.json lists the Pulumi commands and flags the pipeline
 * templates may use (the fast tier checks the templates against it). Here the list is checked
 * against the real CLI's help, so a flag that does not exist cannot hide in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, newProject, type TempProject } from './harness';

const REFERENCE = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'fixtures', 'pipelines', 'pulumi-cli.json'), 'utf8')) as {
  global: string[];
  commands: Record<string, string[]>;
};

/** Every `-x` and `--long` flag a cobra help text documents. */
function documentedFlags(help: string): Set<string> {
  const flags = new Set<string>();
  for (const line of help.split('\n')) {
    const m = /^\s+(?:(-[A-Za-z]), )?(--[a-z][a-z0-9-]*)/.exec(line);
    if (!m) continue;
    if (m[1]) flags.add(m[1]);
    flags.add(m[2] as string);
  }
  return flags;
}

describe('the Pulumi CLI reference used by the pipeline test', () => {
  let project: TempProject;
  beforeAll(() => {
    project = newProject('cli-reference');
  });
  afterAll(() => project?.remove());

  it.each(Object.entries(REFERENCE.commands))('pulumi %s has the listed flags', async (command, listed) => {
    const help = expectExit(await project.pulumi([...command.split(' '), '--help']));
    const documented = documentedFlags(help.stdout);
    // An unknown subcommand would print its parent's help: the usage line must name this one (or an alias of it).
    const usage = /Usage:\n\s+(pulumi [^\n]*)/.exec(help.stdout)?.[1]?.split(' ') ?? [];
    const aliases = /Aliases:\n\s+([^\n]*)/.exec(help.stdout)?.[1]?.split(/,\s*/) ?? [];
    const words = command.split(' ');
    const name = words[words.length - 1] as string;
    expect(usage.slice(1, words.length), help.stdout.slice(0, 400)).toEqual(words.slice(0, -1));
    expect([usage[words.length], ...aliases], `pulumi ${command}`).toContain(name);
    for (const flag of [...listed, ...REFERENCE.global]) expect(documented.has(flag), `pulumi ${command} ${flag}`).toBe(true);
  });
});
