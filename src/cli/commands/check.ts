/**
 * `mailpolicy check FILE...`: runs the policy rules over documents, and across them finds two
 * that manage the same part of one organisation (MP-ORG-001). Exit 0 when no mandatory
 * violation (advisories are still printed), 1 with mandatory violations, 2 when a document is
 * invalid or unreadable or the command is misused. Heavy modules (the loader, the rules, the
 * chosen format) load inside the action, so `--help` and other commands do not pay for them.
 */
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import type { CliIO } from '../command';
import { EXIT_ERROR, EXIT_FOUND, EXIT_OK, UsageError, type ExitCode } from '../exit-codes';
import { CHECK_FORMATS } from '../report/formats';
import { AS_OF_OPTION, checkDocument, ruleContextOf } from '../rule-options';

const CHECK_OPTIONS = {
  format: { short: 'f', value: 'format', description: 'report format', choices: CHECK_FORMATS, default: 'text' },
  output: { short: 'o', value: 'path', description: 'write the report to PATH instead of stdout' },
  control: {
    value: 'id',
    description: 'report only findings of rules mapped to this control of CIS M365, ScubaGear or Maester (e.g. 6.5.4, MS.EXO.5.1v1, CISA.MS.EXO.5.1; repeatable)',
    repeatable: true,
  },
  ...AS_OF_OPTION,
} as const satisfies OptionSpecs;

export async function runCheck(files: readonly string[], options: OptionValues<typeof CHECK_OPTIONS>, io: CliIO, toolVersion: string): Promise<ExitCode> {
  const ctx = await ruleContextOf(options.asOf);
  const keep = options.control === undefined ? undefined : await controlFilter(options.control);

  const { loadOrReport } = await import('../load-or-report');
  const { countOf } = await import('../report/check-report');
  type FileReport = import('../report/check-report').CheckReport['files'][number];

  const loadedFiles = files.map((file) => ({ file, loaded: loadOrReport(file, io) }));
  const documents = loadedFiles.flatMap(({ file, loaded }) => (loaded.ok ? [{ file, policy: loaded.loaded.policy }] : []));
  // Documents that manage the same part of one organisation (MP-ORG-001): seen only across documents.
  const { sharedOrganisationFindings } = await import('../../rules/shared-organisation');
  const shared = sharedOrganisationFindings(documents);
  const reports: FileReport[] = [];
  let valid = 0;
  for (const { file, loaded } of loadedFiles) {
    if (!loaded.ok) {
      reports.push({ file, valid: false, problems: loaded.problems });
      continue;
    }
    const checked = await checkDocument(loaded.loaded, ctx, shared[valid++]);
    reports.push(keep ? { ...checked, findings: checked.findings.filter((f) => keep(f.rule.id)) } : checked);
  }

  const report = { tool: { name: 'mailpolicy', version: toolVersion }, asOf: ctx.asOf, files: reports };
  const { renderCheckReport } = await import('../report/formats');
  const text = await renderCheckReport(options.format, report);
  if (options.output) {
    const { FileWriteError, writeFileSafely } = await import('../../files/safe-write');
    try {
      // A report is regenerated each run: an existing report file is replaced (its mode kept)
      // without --force; anything but a regular file is refused (a FIFO would block).
      await writeFileSafely(options.output, text, { overwrite: true, nonRegularHint: 'leave out --output for stdout' });
    } catch (err) {
      const why = err instanceof FileWriteError ? err.message : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
      throw new UsageError(`cannot write --output ${options.output}: ${why}`);
    }
  } else {
    io.stdout(text);
  }

  const counts = countOf(report);
  if (counts.invalid > 0) return EXIT_ERROR;
  return counts.violation > 0 ? EXIT_FOUND : EXIT_OK;
}

/** Which rules `--control` keeps; a usage error for an ID the crosswalk does not name (so a typo never reports "nothing found"). */
async function controlFilter(ids: readonly string[]): Promise<(ruleId: string) => boolean> {
  const { allControls, controlMatches, crosswalkOf } = await import('../../rules/crosswalk');
  const known = allControls();
  for (const id of ids) {
    if (!known.some((c) => controlMatches(c, id))) throw new UsageError(`--control ${id}: no rule maps to that control; known controls: ${known.map((c) => c.id).join(', ')}`);
  }
  return (ruleId) => crosswalkOf(ruleId).controls.some((c) => ids.some((id) => controlMatches(c, id)));
}

export const checkCommand = defineCommand({
  name: 'check',
  description: 'check documents against the policy rules: exit 0 no mandatory violation, 1 mandatory violations, 2 invalid document or usage',
  arguments: [{ name: 'file', description: 'MailPolicy YAML files', variadic: true }],
  options: CHECK_OPTIONS,
  run: ({ file }, options, { io, toolVersion }) => runCheck(file, options, io, toolVersion()),
});
