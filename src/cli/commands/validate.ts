/**
 * `mailpolicy validate FILE...`: checks documents against the schema and the semantic rules.
 * Exit 0 when every file is valid, 1 when a document is invalid, 2 when a file cannot be read
 * or the command is misused. The loader loads inside the action, so other commands and
 * `--help` do not pay for it.
 */
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import type { CliIO } from '../command';
import { EXIT_ERROR, EXIT_FOUND, EXIT_OK, type ExitCode } from '../exit-codes';

export const VALIDATE_FORMATS = ['text', 'json'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

const VALIDATE_OPTIONS = {
  format: { short: 'f', value: 'format', description: 'output format', choices: VALIDATE_FORMATS, default: 'text' },
} as const satisfies OptionSpecs;

export async function runValidate(files: readonly string[], options: OptionValues<typeof VALIDATE_OPTIONS>, io: CliIO): Promise<ExitCode> {
  const { loadPolicyFile, formatProblem } = await import('../../model/load');
  let exit = EXIT_OK as ExitCode;
  const results: { file: string; valid: boolean; problems: readonly import('../../model/problem').Problem[] }[] = [];
  for (const file of files) {
    const result = loadPolicyFile(file);
    if (result.ok) {
      results.push({ file, valid: true, problems: [] });
      if (options.format === 'text') io.stdout(`${file}: valid\n`);
      continue;
    }
    // Could not do the job (2) outranks found an invalid document (1).
    exit = result.unreadable ? EXIT_ERROR : Math.max(exit, EXIT_FOUND) as ExitCode;
    results.push({ file, valid: false, problems: result.problems });
    if (options.format === 'text') io.stderr(result.problems.map((p) => `${formatProblem(p)}\n`).join(''));
  }
  if (options.format === 'json') io.stdout((await import('../../text/escape')).jsonText(results));
  return exit;
}

export const validateCommand = defineCommand({
  name: 'validate',
  description: 'validate MailPolicy documents: exit 0 all valid, 1 a document is invalid, 2 a file cannot be read or usage error',
  arguments: [{ name: 'file', description: 'MailPolicy YAML files', variadic: true }],
  options: VALIDATE_OPTIONS,
  run: ({ file }, options, { io }) => runValidate(file, options, io),
});
