/**
 * `mailpolicy apply FILE`: runs the policy rules first and refuses, before connecting to
 * Exchange, while a mandatory violation is not waived (as the policy pack refuses `pulumi up`);
 * then prints the plan `mailpolicy plan` shows and runs it (mailbox changes batched, the first
 * failure stops the run), then reads back what it wrote. For demos and scripts; pipelines use
 * `pulumi up`. Exit 0 applied and verified (or nothing to do), 2 could not apply, refused,
 * Exchange did not take a setting, or interrupted (Ctrl-C: the change in flight finishes). Running
 * it again resumes: it plans from Exchange, plus the restarts an earlier run left owed
 * (src/reconcile/restarts-owed.ts).
 */
import { driftItemLine } from '../../drift/render';
import { driftReport } from '../../drift/report';
import type { ExchangeBackend } from '../../exchange/types';
import type { LoadedPolicy } from '../../model/types';
import { applyChanges, describeFailures } from '../../reconcile/executor';
import { DEFAULT_MAX_CONCURRENCY, parseMaxConcurrency } from '../../reconcile/max-concurrency';
import { resourceKey, type Change } from '../../reconcile/plan';
import { renderPlan } from '../../reconcile/render';
import { restartKeys, stillOwed } from '../../reconcile/restarts-owed';
import { verifyApplied } from '../../reconcile/verify';
import { escapeControls, joinLines } from '../../text/escape';
import { findingLine, refuses, type CheckedFile } from '../../report/findings';
import { ALLOW_UNMATCHED_FLAG, unmatchedSummary } from '../../reconcile/unmatched';
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import { DOCUMENT_BACKEND_OPTIONS } from '../backend-options';
import type { CliIO } from '../command';
import { withPlan } from '../document-backend';
import { EXIT_ERROR, EXIT_OK, UsageError, type ExitCode } from '../exit-codes';
import { AS_OF_OPTION, checkDocument, ruleContextOf } from '../rule-options';
import { cliProgress, QUIET_OPTION } from '../progress';
import { stoppable } from '../interrupt';

function concurrency(text: string): number {
  const parsed = parseMaxConcurrency(text);
  if (!parsed.ok) throw new UsageError(`--concurrency ${parsed.problem}`);
  return parsed.value;
}

const APPLY_OPTIONS = {
  concurrency: {
    value: 'n',
    description: `the most connections mailbox changes may use at once (default ${DEFAULT_MAX_CONCURRENCY}; 1: one after another); fewer are used when the work does not pay for another sign-in or Exchange throttles`,
    parse: concurrency,
  },
  detail: { description: 'the plan printed first: every change on its own line (by default identical changes to many objects are one line)' },
  ...AS_OF_OPTION,
  allowUnmatchedExceptions: { description: 'apply even when a mailbox exception identity matches no mailbox (those mailboxes get the default) or an assignedTo identity matches no user (left as it is)' },
  ...QUIET_OPTION,
  ...DOCUMENT_BACKEND_OPTIONS,
} as const satisfies OptionSpecs;

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

/** Reads back what was applied: exit 2 naming every setting Exchange did not take, else 0 (with what waits for a service start). */
async function verify(loaded: LoadedPolicy, applied: readonly Change[], backend: ExchangeBackend, io: CliIO): Promise<ExitCode> {
  const verification = await verifyApplied(loaded.policy, applied, backend);
  const report = driftReport(verification.notTaken, loaded, backend.describe());
  if (report.items.length > 0) {
    const lines = [
      `mailpolicy apply: the organisation did not converge: Exchange accepted the changes, but reading them back shows ${report.items.length} setting(s) that did not take:`,
      ...report.items.map((item) => `  ${driftItemLine(item)}`),
      'Exchange may apply them later (replication) or have reverted them: run `mailpolicy drift` to see the organisation as it is, and apply again.',
    ];
    io.stderr(joinLines(lines));
    return EXIT_ERROR;
  }
  const read = new Set(applied.map((c) => resourceKey(c.resource))).size;
  io.stdout(joinLines([`Verified: read back ${read} resource(s); every applied setting is in place.`, ...verification.pending.map((p) => `Not yet in effect: ${p}.`)]));
  return EXIT_OK;
}

export async function runApply(file: string, options: OptionValues<typeof APPLY_OPTIONS>, io: CliIO): Promise<ExitCode> {
  const ctx = await ruleContextOf(options.asOf);
  let rules: CheckedFile | undefined;
  const preflight = async (loaded: LoadedPolicy): Promise<ExitCode | undefined> => {
    rules = await checkDocument(loaded, ctx);
    if (!refuses(rules)) return undefined;
    io.stderr(`${refusal(rules)}\n`);
    return EXIT_ERROR;
  };
  return withPlan(
    'apply',
    file,
    options,
    io,
    async (backend, { plan, loaded, restarts }) => {
      io.stdout(renderPlan(plan, backend.describe(), 'text', { ...(rules ? { rules } : {}), locate: loaded.locate, detail: options.detail === true }));
      // The mailbox an unmatched exception meant would get the default (a scanner losing SMTP AUTH): not without being told.
      if (plan.unmatchedExceptions.length > 0 && options.allowUnmatchedExceptions !== true) {
        io.stderr(`mailpolicy apply: refusing to apply: ${unmatchedSummary(plan.unmatchedExceptions)} (listed above); nothing was changed. Fix the document, or pass ${ALLOW_UNMATCHED_FLAG}.\n`);
        return EXIT_ERROR;
      }
      // Nothing to do: an owed restart of a stopped service is no longer owed (it reads the settings when it starts).
      if (plan.changes.length === 0) {
        await restarts.file.write(new Set());
        return EXIT_OK;
      }
      // Restarts planned are owed from before the first write until done (src/reconcile/restarts-owed.ts).
      const planned = restartKeys(loaded.policy, plan.changes);
      await restarts.file.write(new Set([...restarts.owed, ...planned]));
      const progress = cliProgress(io, options.quiet, 'mailpolicy apply: writing', 'changes', plan.changes.length);
      // Each restart done is no longer owed, recorded before the next change.
      const owed = new Set([...restarts.owed, ...planned]);
      const onApplied = async (change: Change): Promise<void> => {
        if (change.action !== 'restart') return;
        for (const key of restartKeys(loaded.policy, [change])) owed.delete(key);
        await restarts.file.write(owed);
      };
      let result;
      try {
        result = await stoppable(io, 'apply', (signal) =>
          applyChanges(plan.target, plan.changes, backend, {
            onApplied,
            signal,
            ...(progress ? { onProgress: (n: number) => progress.update(n) } : {}),
            ...(options.concurrency === undefined ? {} : { maxConcurrency: options.concurrency }),
          }),
        );
      } finally {
        progress?.stop();
      }
      await restarts.file.write(stillOwed(restarts.owed, planned, restartKeys(loaded.policy, result.applied), result.failures.length === 0 && result.skipped.length === 0));
      // A failure is reported below; the done line only when every change went through.
      if (result.failures.length === 0) progress?.finish(result.applied.length);
      if (result.interrupted === true && result.failures.length === 0) {
        io.stderr(
          `mailpolicy apply: interrupted: ${result.applied.length} of ${plan.changes.length} change(s) applied, ${result.skipped.length} not attempted; each change ran whole or not at all. Run apply again to resume: it reads the organisation again and plans only what is still different.\n`,
        );
        return EXIT_ERROR;
      }
      if (result.failures.length > 0) {
        io.stderr(`mailpolicy apply: ${result.applied.length} of ${plan.changes.length} change(s) applied, then:\n${describeFailures(result)}\n`);
        return EXIT_ERROR;
      }
      io.stdout(`Applied ${result.applied.length} change(s).\n`);
      return verify(loaded, result.applied, backend, io);
    },
    preflight,
    { quiet: options.quiet, label: 'mailpolicy apply: reading' },
  );
}

export const applyCommand = defineCommand({
  name: 'apply',
  description: 'check the rules, plan, run the plan and read back what it wrote (demos and scripts; pipelines use `pulumi up`): exit 0 applied, 2 error, refused or not converged',
  arguments: [{ name: 'file', description: 'MailPolicy YAML file' }],
  options: APPLY_OPTIONS,
  run: ({ file }, options, { io }) => runApply(file, options, io),
});
