/**
 * `mailpolicy plan FILE`: the exact cmdlets, with parameters, that `pulumi up` would run,
 * grouped per resource, secrets redacted, after the document's rule findings (as `check` reports
 * them). Reads only. Exit 0 no changes, 1 changes pending, 2 could not plan (invalid document,
 * usage, Exchange error).
 */
import { PLAN_FORMATS, planChunks } from '../../reconcile/render';
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import { DOCUMENT_BACKEND_OPTIONS } from '../backend-options';
import type { CliIO } from '../command';
import { withPlan } from '../document-backend';
import { EXIT_FOUND, EXIT_OK, type ExitCode } from '../exit-codes';
import { QUIET_OPTION } from '../progress';
import { AS_OF_OPTION, checkDocument, ruleContextOf } from '../rule-options';

const PLAN_OPTIONS = {
  format: { short: 'f', value: 'format', description: 'text (terminals, CI logs), markdown (job summaries), json (programs)', choices: PLAN_FORMATS, default: 'text' },
  detail: { description: 'text/markdown: every change on its own line (by default identical changes to many objects are one line, with the first few names)' },
  ...AS_OF_OPTION,
  ...QUIET_OPTION,
  ...DOCUMENT_BACKEND_OPTIONS,
} as const satisfies OptionSpecs;

export async function runPlan(file: string, options: OptionValues<typeof PLAN_OPTIONS>, io: CliIO): Promise<ExitCode> {
  const ctx = await ruleContextOf(options.asOf);
  return withPlan('plan', file, options, io, async (backend, { plan, loaded }) => {
    for (const chunk of planChunks(plan, backend.describe(), options.format, { rules: await checkDocument(loaded, ctx), locate: loaded.locate, detail: options.detail === true })) io.stdout(chunk);
    return plan.changes.length === 0 ? EXIT_OK : EXIT_FOUND;
  }, undefined, { quiet: options.quiet, label: 'mailpolicy plan: reading' });
}

export const planCommand = defineCommand({
  name: 'plan',
  description: 'show the exact cmdlets `pulumi up` would run, per resource: exit 0 no changes, 1 changes pending, 2 error',
  arguments: [{ name: 'file', description: 'MailPolicy YAML file' }],
  options: PLAN_OPTIONS,
  run: ({ file }, options, { io }) => runPlan(file, options, io),
});
