/**
 * `mailpolicy drift FILE`: compares the organisation with the document and reports every
 * drifted setting (desired, actual, the fixing cmdlet, FILE:LINE:COL), and the objects in
 * Exchange it does not mention (information, or findings with `--undeclared error`). Exit 0 in
 * sync, 1 drift, 2 could not check (invalid document, usage, Exchange error: a failed read is never drift).
 */
import { checkDrift } from '../../drift/check';
import { DEFAULT_LIMIT, DRIFT_FORMATS, driftChunks } from '../../drift/render';
import { inSync, UNDECLARED_MODES } from '../../drift/report';
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import { wholeNumber } from '../args/whole-number';
import { DOCUMENT_BACKEND_OPTIONS } from '../backend-options';
import type { CliIO } from '../command';
import { withDocumentBackend } from '../document-backend';
import { countingWhile, QUIET_OPTION } from '../progress';
import { EXIT_FOUND, EXIT_OK, type ExitCode } from '../exit-codes';

const DRIFT_OPTIONS = {
  format: { short: 'f', value: 'format', description: 'text (terminals, CI logs), markdown (job summaries, tickets), json (alerting), sarif (code scanning)', choices: DRIFT_FORMATS, default: 'text' },
  limit: { value: 'n', description: 'text/markdown: drifted settings shown per resource, 0 = all (json and sarif list all)', parse: wholeNumber('--limit', '0 = no limit'), default: DEFAULT_LIMIT },
  undeclared: {
    value: 'mode',
    description: 'objects in Exchange the document does not mention (in sections it has): report (listed, exit status unchanged), error (listed, and exit 1), ignore (not read)',
    choices: UNDECLARED_MODES,
    default: 'report',
  },
  detail: { description: 'text/markdown: every drifted setting on its own line (by default the same drift on many objects is one line, with the first few names)' },
  ...QUIET_OPTION,
  ...DOCUMENT_BACKEND_OPTIONS,
} as const satisfies OptionSpecs;

export function runDrift(file: string, options: OptionValues<typeof DRIFT_OPTIONS>, io: CliIO, toolVersion = '0.0.0'): Promise<ExitCode> {
  return withDocumentBackend('drift', file, options, io, async (loaded, backend) => {
    const report = await countingWhile(io, { quiet: options.quiet, label: 'mailpolicy drift: reading' }, backend, (counted) => checkDrift(loaded, counted, { undeclared: options.undeclared }));
    for (const chunk of driftChunks(report, options.format, { limit: options.limit, version: toolVersion, detail: options.detail === true })) io.stdout(chunk);
    return inSync(report) ? EXIT_OK : EXIT_FOUND;
  });
}

export const driftCommand = defineCommand({
  name: 'drift',
  description: 'report every setting where the organisation differs from the document: exit 0 in sync, 1 drift, 2 error',
  arguments: [{ name: 'file', description: 'MailPolicy YAML file' }],
  options: DRIFT_OPTIONS,
  run: ({ file }, options, { io, toolVersion }) => runDrift(file, options, io, toolVersion()),
});
