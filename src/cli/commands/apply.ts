/**
 * `mailpolicy apply FILE`: runs the policy rules first and refuses, before connecting to
 * Exchange, while a mandatory violation is not waived (as the policy pack refuses `pulumi up`);
 * then prints the plan `mailpolicy plan` shows and runs it (mailbox changes batched, the first
 * failure stops the run). For demos and scripts; pipelines use `pulumi up`. Exit 0 applied (or
 * nothing to do), 2 could not apply or refused.
 */
import { applyChanges, describeFailures } from '../../reconcile/executor';
import { renderPlan } from '../../reconcile/render';
import { escapeControls } from '../../report/escape';
import { findingLine, type CheckedFile } from '../../report/findings';
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import { DOCUMENT_BACKEND_OPTIONS } from '../backend-options';
import type { CliIO } from '../command';
import { withPlan } from '../document-backend';
import { EXIT_ERROR, EXIT_OK, type ExitCode } from '../exit-codes';
import { AS_OF_OPTION, checkDocument, ruleContextOf } from '../rule-options';

const APPLY_OPTIONS = { ...AS_OF_OPTION, ...DOCUMENT_BACKEND_OPTIONS } as const satisfies OptionSpecs;

/** The refusal: every unwaived mandatory violation, FILE:LINE:COL and rule, and how to get past it. */
function refusal(rules: CheckedFile): string {
  const violations = rules.findings.filter((f) => f.outcome === 'violation');
  return [
    `mailpolicy apply: refused, nothing was changed: ${violations.length} mandatory rule violation(s) not waived (as \`mailpolicy check\` reports them, as of ${rules.asOf}):`,
    ...violations.map((f) => `  ${findingLine(f)}`),
    'Fix the document, or waive a finding with a reason and an expiry (docs/rules/README.md), then run apply again.',
  ]
    .map(escapeControls)
    .join('\n');
}

export async function runApply(file: string, options: OptionValues<typeof APPLY_OPTIONS>, io: CliIO): Promise<ExitCode> {
  const ctx = await ruleContextOf(options.asOf);
  let rules: CheckedFile | undefined;
  const preflight = async (loaded: Parameters<typeof checkDocument>[0]): Promise<ExitCode | undefined> => {
    rules = await checkDocument(loaded, ctx);
    if (!rules.findings.some((f) => f.outcome === 'violation')) return undefined;
    io.stderr(`${refusal(rules)}\n`);
    return EXIT_ERROR;
  };
  return withPlan(
    'apply',
    file,
    options,
    io,
    async (backend, { plan }) => {
      io.stdout(renderPlan(plan, backend.describe(), 'text', rules));
      if (plan.changes.length === 0) return EXIT_OK;
      const result = await applyChanges(plan.target, plan.changes, backend);
      if (result.failures.length > 0) {
        io.stderr(`mailpolicy apply: ${result.applied.length} of ${plan.changes.length} change(s) applied, then:\n${describeFailures(result)}\n`);
        return EXIT_ERROR;
      }
      io.stdout(`Applied ${result.applied.length} change(s).\n`);
      return EXIT_OK;
    },
    preflight,
  );
}

export const applyCommand = defineCommand({
  name: 'apply',
  description: 'check the rules, plan, then run the plan (demos and scripts; pipelines use `pulumi up`): exit 0 applied, 2 error or refused',
  arguments: [{ name: 'file', description: 'MailPolicy YAML file' }],
  options: APPLY_OPTIONS,
  run: ({ file }, options, { io }) => runApply(file, options, io),
});
