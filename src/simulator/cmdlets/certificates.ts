/**
 * Simulated Get-ExchangeCertificate and Enable-ExchangeCertificate (Exchange Server). Facts:
 * Enable-ExchangeCertificate.md — services are additive; POP and IMAP refuse a wildcard
 * certificate ("Don't enable a wildcard certificate for the POP3 service"); SMTP prompts to
 * replace the default SMTP certificate unless -Force. The error texts are unverified (no page
 * prints them): the simulator's own words, with the exception types Exchange uses for such refusals.
 */
import type { CmdletName } from '../../exchange/catalog';
import { ExchangeError, type JsonValue } from '../../exchange/types';
import { certificateNames, isWildcardName } from '../../model/certificate';
import { findCertificate, printedServices } from '../certificates';
import type { SimCertificate, SimServer, SimulatorState } from '../state';
import { notFound, ok, requireString, same, type Params, type Simulation } from './common';

function serverOf(state: SimulatorState, cmdlet: string, params: Params): SimServer {
  const name = params.Server;
  const servers = state.servers ?? [];
  // Without -Server, Exchange answers for the server the shell runs on.
  const server = typeof name === 'string' ? servers.find((s) => same(s.name, name) || same(s.fqdn, name)) : servers[0];
  if (!server) throw notFound(state, cmdlet, typeof name === 'string' ? name : '(local server)');
  return server;
}

function certificateObject(c: SimCertificate): Record<string, JsonValue> {
  return { Thumbprint: c.thumbprint, Services: printedServices(c.services), Subject: c.subject, Issuer: c.issuer, CertificateDomains: [...c.certificateDomains], NotAfter: c.notAfter };
}

function refused(cmdlet: string, type: string, message: string): ExchangeError {
  const short = type.slice(type.lastIndexOf('.') + 1);
  return new ExchangeError(cmdlet, { message, type, fullyQualifiedErrorId: `${short},${cmdlet}`, category: 'InvalidOperation', transient: false });
}

const getExchangeCertificate: Simulation = (state, params, cmdlet) => {
  const server = serverOf(state, cmdlet, params);
  const thumbprint = params.Thumbprint;
  if (typeof thumbprint !== 'string') return ok((server.certificates ?? []).map(certificateObject));
  const found = findCertificate(server, thumbprint);
  if (!found) throw notFound(state, cmdlet, thumbprint);
  return ok(certificateObject(found));
};

const enableExchangeCertificate: Simulation = (state, params, cmdlet: CmdletName) => {
  const server = serverOf(state, cmdlet, params);
  const thumbprint = requireString(cmdlet, params, 'Thumbprint');
  const certificate = findCertificate(server, thumbprint);
  if (!certificate) throw notFound(state, cmdlet, `${server.name}\\${thumbprint}`);
  const requested = (params.Services as string[] | undefined) ?? [];
  const adding = requested.filter((s) => !certificate.services.some((have) => same(have, s)));
  const wildcard = certificateNames(certificate).find(isWildcardName);
  const popImap = requested.filter((s) => same(s, 'POP') || same(s, 'IMAP'));
  if (wildcard !== undefined && popImap.length > 0) {
    throw refused(cmdlet, 'Microsoft.Exchange.Management.SystemConfigurationTasks.InvalidOperationForWildcardCertificateException', `The certificate with thumbprint ${certificate.thumbprint} is a wildcard certificate (${wildcard}) and can't be enabled for ${popImap.join(', ')}. Use Set-PopSettings / Set-ImapSettings -X509CertificateName to name the FQDN clients connect to instead.`);
  }
  if (adding.some((s) => same(s, 'SMTP')) && params.Force !== true) {
    // The confirmation Exchange asks for cannot be answered by a host without a user.
    throw refused(cmdlet, 'System.Management.Automation.Host.HostException', `A command that prompts the user failed because the host program or the command type does not support user interaction. The host was attempting to request confirmation with the following message: Overwrite the existing default SMTP certificate? Use -Force to replace it without the prompt.`);
  }
  if (adding.length === 0) return ok(null);
  certificate.services = [...certificate.services, ...adding];
  // POP3 and IMAP4 read their certificate when they start: enabled now, in effect after a restart.
  for (const [service, protocol] of [['POP', 'pop3'], ['IMAP', 'imap4']] as const) {
    if (!adding.some((s) => same(s, service))) continue;
    for (const svc of [server[protocol].frontEnd, server[protocol].backEnd]) svc.pendingSettings = [...new Set([...svc.pendingSettings, 'Certificate'])].sort();
  }
  return ok(null, true);
};

export const CERTIFICATE_SIMULATIONS = {
  'Get-ExchangeCertificate': getExchangeCertificate,
  'Enable-ExchangeCertificate': enableExchangeCertificate,
} satisfies Partial<Record<CmdletName, Simulation>>;
