/**
 * `mailpolicy plan FILE`: the exact cmdlets, with parameters, that `pulumi up` would run,
 * grouped per resource, secrets redacted. Reads only. Exit 0 no changes, 1 changes pending,
 * 2 could not plan (invalid document, usage, Exchange error).
 */
import { Option, type Command } from 'commander';
import { PLAN_FORMATS, renderPlan, type PlanFormat } from '../../reconcile/render';
import { addBackendOptions, type BackendCliOptions } from '../backend-options';
import type { CliCommand, CliIO } from '../command';
import { withPlan } from '../document-backend';
import { EXIT_FOUND, EXIT_OK, type ExitCode } from '../exit-codes';

interface PlanOptions extends BackendCliOptions {
  readonly format: PlanFormat;
}

export function runPlan(file: string, options: PlanOptions, io: CliIO): Promise<ExitCode> {
  return withPlan('plan', file, options, io, async (backend, { plan }) => {
    io.stdout(renderPlan(plan, backend.describe(), options.format));
    return plan.changes.length === 0 ? EXIT_OK : EXIT_FOUND;
  });
}

export const planCommand: CliCommand = {
  register(program: Command, io: CliIO, setExit: (code: ExitCode) => void): void {
    const plan = program
      .command('plan')
      .description('show the exact cmdlets `pulumi up` would run, per resource: exit 0 no changes, 1 changes pending, 2 error')
      .argument('<file>', 'MailPolicy YAML file')
      .addOption(new Option('-f, --format <format>', 'text (terminals, CI logs), markdown (job summaries), json (programs)').choices(PLAN_FORMATS).default('text'));
    addBackendOptions(plan).action(async (file: string, options: PlanOptions) => {
      setExit(await runPlan(file, options, io));
    });
  },
};
