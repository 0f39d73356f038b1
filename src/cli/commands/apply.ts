/**
 * `mailpolicy apply FILE`: prints the plan `mailpolicy plan` shows, then runs it (mailbox
 * changes batched, the first failure stops the run). For demos and scripts; pipelines use
 * `pulumi up`. Exit 0 applied (or nothing to do), 2 could not apply.
 */
import { applyChanges, describeFailures } from '../../reconcile/executor';
import { renderPlan } from '../../reconcile/render';
import { ALLOW_UNMATCHED_FLAG } from '../../reconcile/unmatched';
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import { DOCUMENT_BACKEND_OPTIONS } from '../backend-options';
import type { CliIO } from '../command';
import { withPlan } from '../document-backend';
import { EXIT_ERROR, EXIT_OK, type ExitCode } from '../exit-codes';

const APPLY_OPTIONS = {
  allowUnmatchedExceptions: { description: 'apply even when a mailbox exception identity matches no mailbox (those mailboxes get the default)' },
  ...DOCUMENT_BACKEND_OPTIONS,
} as const satisfies OptionSpecs;

export function runApply(file: string, options: OptionValues<typeof APPLY_OPTIONS>, io: CliIO): Promise<ExitCode> {
  return withPlan('apply', file, options, io, async (backend, { plan, loaded }) => {
    io.stdout(renderPlan(plan, backend.describe(), 'text', loaded.locate));
    // The mailbox an unmatched exception meant would get the default (a scanner losing SMTP AUTH): not without being told.
    if (plan.unmatchedExceptions.length > 0 && options.allowUnmatchedExceptions !== true) {
      io.stderr(`mailpolicy apply: refusing to apply: ${plan.unmatchedExceptions.length} mailbox exception identity(ies) match no mailbox (listed above); nothing was changed. Fix the document, or pass ${ALLOW_UNMATCHED_FLAG}.\n`);
      return EXIT_ERROR;
    }
    if (plan.changes.length === 0) return EXIT_OK;
    const result = await applyChanges(plan.target, plan.changes, backend);
    if (result.failures.length > 0) {
      io.stderr(`mailpolicy apply: ${result.applied.length} of ${plan.changes.length} change(s) applied, then:\n${describeFailures(result)}\n`);
      return EXIT_ERROR;
    }
    io.stdout(`Applied ${result.applied.length} change(s).\n`);
    return EXIT_OK;
  });
}

export const applyCommand = defineCommand({
  name: 'apply',
  description: 'plan, then run the plan (demos and scripts; pipelines use `pulumi up`): exit 0 applied, 2 error',
  arguments: [{ name: 'file', description: 'MailPolicy YAML file' }],
  options: APPLY_OPTIONS,
  run: ({ file }, options, { io }) => runApply(file, options, io),
});
