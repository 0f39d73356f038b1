/**
 * `mailpolicy sim certificate add`: puts a certificate on a simulated Exchange server, as an admin
 * imports one with Import-ExchangeCertificate (enabled for no service yet), so tests and demos can
 * assign it with servers[].certificates. Prints its thumbprint. Exit 0 done, 2 could not.
 */
import { isCalendarDate } from '../../model/calendar-date';
import { sameIdentity } from '../../reconcile/compare';
import { findCertificate, simulatedThumbprint } from '../../simulator/certificates';
import type { SimCertificate } from '../../simulator/state';
import { StateStore } from '../../simulator/store';
import { defineCommand, defineGroup, type OptionSpecs, type OptionValues } from '../args/spec';
import type { CliIO } from '../command';
import { EXIT_OK, UsageError, type ExitCode } from '../exit-codes';

function thumbprint(text: string): string {
  if (!/^[0-9A-Fa-f]{40}$/.test(text)) throw new UsageError(`--thumbprint takes a certificate thumbprint, 40 hexadecimal digits, not ${text}`);
  return text.toUpperCase();
}

function notAfter(text: string): string {
  if (!isCalendarDate(text)) throw new UsageError(`--not-after takes a date YYYY-MM-DD, not ${text}`);
  return `${text}T00:00:00.000Z`;
}

function subject(text: string): string {
  if (!/^CN=/i.test(text.trim())) throw new UsageError(`--subject takes an X.500 name starting CN=, e.g. CN=mail.contoso.com, not ${text}`);
  return text.trim();
}

const ADD_OPTIONS = {
  state: { value: 'path', description: 'state file', required: true },
  server: { value: 'name', description: 'the server the certificate is imported on', required: true },
  subject: { value: 'x500', description: 'its subject, e.g. CN=mail.contoso.com', required: true, parse: subject },
  san: { value: 'name', description: 'a Subject Alternative Name (repeat, or comma-separate); a wildcard is *.contoso.com', repeatable: true, separator: ',' },
  issuer: { value: 'x500', description: 'its issuer (default: the subject, a self-signed certificate)' },
  thumbprint: { value: 'hex', description: 'its thumbprint (default: derived from server, subject, names and expiry)', parse: thumbprint },
  notAfter: { value: 'date', description: 'its expiry, YYYY-MM-DD (default: one year after today)', parse: notAfter },
} as const satisfies OptionSpecs;

export async function runSimCertificateAdd(options: OptionValues<typeof ADD_OPTIONS>, io: CliIO): Promise<ExitCode> {
  const sans = options.san ?? [];
  const expiry = options.notAfter ?? new Date(Date.UTC(new Date().getUTCFullYear() + 1, new Date().getUTCMonth(), new Date().getUTCDate())).toISOString();
  let print = '';
  await new StateStore(options.state).update((state) => {
    const server = (state.servers ?? []).find((s) => sameIdentity(s.name, options.server) || sameIdentity(s.fqdn, options.server));
    if (!server) throw new Error(`no server ${options.server} in ${options.state} (servers: ${(state.servers ?? []).map((s) => s.name).join(', ') || 'none'})`);
    // Without a thumbprint, the same inputs give the same one (the expiry only when given): the
    // server as the state names it, however the command line spelt it.
    print = options.thumbprint ?? simulatedThumbprint(server.name, options.subject, sans, options.notAfter ?? '');
    if (findCertificate(server, print)) throw new Error(`${server.name} already has a certificate with thumbprint ${print}`);
    const certificate: SimCertificate = { thumbprint: print, subject: options.subject, issuer: options.issuer ?? options.subject, certificateDomains: [...sans], notAfter: expiry, services: [] };
    server.certificates = [...(server.certificates ?? []), certificate];
    return { result: state, changed: true };
  });
  io.stdout(`${print}\n`);
  return EXIT_OK;
}

/** `sim certificate`, with the one subcommand `add`; `guarded` reports state problems as one line, exit 2. */
export function simCertificateGroup(guarded: (io: CliIO, name: string, run: () => Promise<ExitCode>) => Promise<ExitCode>) {
  return defineGroup({
    name: 'certificate',
    description: 'certificates on simulated Exchange servers',
    subcommands: [
      defineCommand({
        name: 'add',
        description: 'import a certificate on a simulated server (as Import-ExchangeCertificate does, enabled for no service); prints its thumbprint',
        options: ADD_OPTIONS,
        run: (_args, options, { io }) => guarded(io, 'certificate add', () => runSimCertificateAdd(options, io)),
      }),
    ],
  });
}
