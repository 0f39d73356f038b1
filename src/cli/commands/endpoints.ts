/**
 * `mailpolicy endpoints FILE`: the client endpoint table (protocol, server, port, encryption)
 * of the organisation a document describes. Reads only the document. Exit 0 printed, 2 the
 * document could not be read or is invalid.
 */
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import type { CliIO } from '../command';
import { EXIT_ERROR, EXIT_OK, type ExitCode } from '../exit-codes';
import { loadOrReport } from '../load-or-report';
import { clientEndpoints } from '../../endpoints';
import { ENDPOINT_FORMATS, formatEndpoints } from '../../endpoints/format';

const ENDPOINTS_OPTIONS = {
  format: { short: 'f', value: 'format', description: 'output format', choices: ENDPOINT_FORMATS, default: 'text' },
} as const satisfies OptionSpecs;

export function runEndpoints(file: string, options: OptionValues<typeof ENDPOINTS_OPTIONS>, io: CliIO): ExitCode {
  const result = loadOrReport(file, io);
  if (!result.ok) return EXIT_ERROR;
  const { policy } = result.loaded;
  io.stdout(formatEndpoints(policy.target, clientEndpoints(policy), options.format));
  return EXIT_OK;
}

export const endpointsCommand = defineCommand({
  name: 'endpoints',
  description: 'print the mail client endpoints (protocol, server, port, encryption) for the organisation a document describes: exit 0 printed, 2 unreadable or invalid document',
  arguments: [{ name: 'file', description: 'MailPolicy YAML file' }],
  options: ENDPOINTS_OPTIONS,
  run: async ({ file }, options, { io }) => runEndpoints(file, options, io),
});
