/**
 * `mailpolicy export`: writes the organisation as it is as a MailPolicy document (schema
 * modeline first). stderr: the backend line first, warnings, progress (when stderr is a
 * terminal or with --progress) and one summary line. Exit 0 written, 2 could not export.
 */
import { openBackend } from '../../backends/open-backend';
import { countingReads } from '../../exchange/counting-reads';
import type { ExchangeBackend } from '../../exchange/types';
import type { ExpectedTarget } from '../../exchange/verify-target';
import { exportOrganisation, ExportUsageError } from '../../export/export';
import { undeclaredOnly } from '../../export/undeclared';
import type { LoadedPolicy } from '../../model/types';
import { findUndeclared } from '../../reconcile/undeclared';
import { loadOrReport } from '../load-or-report';
import { checkWritable, writeFileSafely, type SafeWriteOptions } from '../../files/safe-write';
import { schemaRef } from '../../export/schema-ref';
import { policyYaml } from '../../export/yaml';
import { escapeControls } from '../../text/escape';
import { LOAD_LIMITS } from '../../model/limits';
import { loadPolicyText } from '../../model/load';
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import { backendOptions, TARGET_BACKEND_OPTIONS } from '../backend-options';
import type { CliIO } from '../command';
import { EXIT_ERROR, EXIT_OK, UsageError, type ExitCode } from '../exit-codes';
import { cliProgress, QUIET_OPTION } from '../progress';

const EXPORT_OPTIONS = {
  output: { short: 'o', value: 'file', description: 'write the document here, a regular file (default, or -: stdout)' },
  force: { description: 'replace an existing --output file (its mode is kept)' },
  undeclared: {
    value: 'file',
    description: 'write only what is in Exchange but not in this MailPolicy document (what `drift` lists as not declared), to copy into it (default: the whole organisation)',
  },
  server: { value: 'name', description: 'Exchange Server: export only this server (repeat, or comma-separate; default: every Mailbox server)', repeatable: true, separator: ',' },
  // Not given: progress when stderr is a terminal.
  progress: { description: 'report progress on stderr (default: only when stderr is a terminal)', negation: 'never report progress' },
  ...QUIET_OPTION,
  ...TARGET_BACKEND_OPTIONS,
} as const satisfies OptionSpecs;

/**
 * The organisation export must find: the command line's, or with --undeclared FILE the one FILE
 * names — platform, cloud and name — since its objects are compared with FILE. A command line
 * naming another is a usage error, before Exchange is contacted.
 */
function expectedTarget(options: OptionValues<typeof EXPORT_OPTIONS>, document: LoadedPolicy | undefined): ExpectedTarget {
  if (!document) return { ...(options.organization === undefined ? {} : { organization: options.organization }), ...(options.cloud === undefined ? {} : { cloud: options.cloud }) };
  const { target } = document.policy;
  if (options.organization !== undefined && options.organization.toLowerCase() !== target.organization.toLowerCase()) {
    throw new UsageError(`--organization ${options.organization} is not the organisation ${document.file} names (${target.organization})`);
  }
  if (options.cloud !== undefined && options.cloud !== target.cloud) {
    throw new UsageError(`--cloud ${options.cloud} is not the cloud ${document.file} names (${target.cloud ?? 'none: Exchange Server'})`);
  }
  return { platform: target.platform, organization: target.organization, ...(target.cloud === undefined ? {} : { cloud: target.cloud }) };
}

/** `-o -` (or no -o) is stdout. */
const STDOUT = '-';

export async function runExport(options: OptionValues<typeof EXPORT_OPTIONS>, io: CliIO): Promise<ExitCode> {
  const config = backendOptions(options);
  const output = options.output === STDOUT ? undefined : options.output;
  // Written beside the target and renamed into place (a failed export never leaves half a file),
  // only over a regular file, only with --force, never over the simulator state being read.
  const write: SafeWriteOptions = {
    overwrite: options.force === true,
    nonRegularHint: 'write to stdout with -o -',
    ...(config.kind === 'simulator' ? { protect: [{ path: config.statePath, what: `the simulator state in use (--state ${config.statePath})` }] } : {}),
  };
  const silent = options.quiet === true || options.progress === false;
  const terminal = process.stderr.isTTY === true;
  const showSteps = !silent && (options.progress ?? terminal);
  let backend: ExchangeBackend | undefined;
  let progress: ReturnType<typeof cliProgress>;
  // --undeclared FILE: the document first, so a bad one is reported (FILE:LINE:COL) before Exchange is contacted.
  let document: LoadedPolicy | undefined;
  if (options.undeclared !== undefined) {
    const loaded = loadOrReport(options.undeclared, io);
    if (!loaded.ok) return EXIT_ERROR;
    document = loaded.loaded;
  }
  const expected = expectedTarget(options, document);
  try {
    backend = openBackend(config);
    io.stderr(`${escapeControls(backend.describe())}\n`);
    // Refused now rather than after reading a whole organisation.
    if (output !== undefined) await checkWritable(output, write);
    // The mailboxes read, counted: an updating line on a terminal, a line every N seconds in a log.
    progress = cliProgress(io, silent, 'mailpolicy export: reading', 'mailboxes');
    const counting = countingReads(backend, progress);
    // A step's line first clears a terminal's progress line it would otherwise run into.
    const clear = terminal && progress ? '\r\x1b[2K' : '';
    const result = await exportOrganisation(counting.backend, {
      expected,
      ...(options.server ? { servers: options.server } : {}),
      ...(showSteps ? { onProgress: (p: { message: string }) => io.stderr(`${clear}export: ${escapeControls(p.message)}\n`) } : {}),
    });
    const undeclared = document ? await findUndeclared(document.policy, {}, counting.backend) : undefined;
    progress?.finish(counting.read());
    for (const warning of result.warnings) io.stderr(`warning: ${escapeControls(warning)}\n`);
    const policy = undeclared ? undeclaredOnly(result.policy, undeclared) : result.policy;
    const text = policyYaml(policy, schemaRef(output));
    // What is written must load: the schema, the semantic checks and the loader's size limits.
    const check = loadPolicyText(text, output ?? '<stdout>');
    if (!check.ok) {
      io.stderr(`mailpolicy export: the organisation cannot be written as a valid MailPolicy document:\n${check.problems.map((p) => `  ${escapeControls(p.message)}\n`).join('')}`);
      if (Buffer.byteLength(text) > LOAD_LIMITS.maxFileBytes) {
        const named = result.policy.casMailboxes?.exceptions.reduce((n, e) => n + e.identities.length, 0) ?? 0;
        io.stderr(`  the mailbox exceptions name ${named} mailbox(es): the document would be ${Math.ceil(Buffer.byteLength(text) / 1024)} KiB\n`);
      }
      return EXIT_ERROR;
    }
    if (output !== undefined) await writeFileSafely(output, text, write);
    else io.stdout(text);
    const exceptions = result.policy.casMailboxes?.exceptions.length ?? 0;
    const to = output === undefined ? '' : ` to ${output}`;
    const what = undeclared && document ? `${undeclared.length} object(s) not declared in ${document.file}` : `${result.mailboxes} mailbox(es) as default + ${exceptions} exception(s)`;
    io.stderr(`${escapeControls(`exported ${result.policy.target.organization}: ${what}${to}`)}\n`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof ExportUsageError) throw new UsageError(err.message);
    io.stderr(`mailpolicy export: ${escapeControls(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT_ERROR;
  } finally {
    progress?.stop();
    await backend?.close();
  }
}

export const exportCommand = defineCommand({
  name: 'export',
  description: 'write the organisation as it is as a MailPolicy document: exit 0 written, 2 error',
  options: EXPORT_OPTIONS,
  run: (_args, options, { io }) => runExport(options, io),
});
