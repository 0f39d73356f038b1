import { pointer } from './pointer';
import { REF } from './references';
import type { Rule, RuleFinding } from './types';
import { includesIgnoringCase } from '../text/case';


/**
 * Basic authentication on the Client Frontend connector without TLS. Set-ReceiveConnector.md,
 * -AuthMechanism: BasicAuth offers Basic authentication, BasicAuthRequireTLS offers it only after
 * STARTTLS (and needs BasicAuth and Tls); -RequireTLS $false (the default) accepts messages without
 * TLS. Client Frontend offers BasicAuth by default (Receive connectors page), so a document that
 * declares requireTLS false without naming the mechanisms leaves Basic authentication on.
 */
export const clientConnectorBasicAuth: Rule = {
  id: 'MP-SRV-008',
  version: 1,
  title: 'Basic authentication on the client connector without TLS',
  severity: 'high',
  enforcement: 'mandatory',
  waivable: true,
  scope: { kind: 'server name', example: 'EX01' },
  crossResource: false,
  reads: ['servers'],
  rationale:
    'POP3 and IMAP4 clients send mail through the server\'s "Client Frontend" receive connector (port 587). ' +
    'With `BasicAuth` but not `BasicAuthRequireTLS` in `AuthMechanism`, the connector accepts a user name and password before the connection is encrypted, ' +
    'so anyone on the path can read them. With `RequireTLS $false` while it offers Basic authentication, it also accepts messages on connections that are not encrypted.',
  remediation:
    'Keep `BasicAuthRequireTLS` (with `BasicAuth` and `Tls`) in `smtpClientSubmission.authMechanism`, as Exchange does by default, and set `requireTLS: true`; ' +
    'or drop `BasicAuth` if no client needs it.',
  references: [REF.setReceiveConnector, REF.authenticatedSmtpOnPremises],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    (policy.servers ?? []).forEach((server, i) => {
      const submission = server.smtpClientSubmission;
      if (!submission) return;
      const at = pointer('servers', i, 'smtpClientSubmission');
      const mechanisms = submission.authMechanism;
      if (mechanisms !== undefined && includesIgnoringCase(mechanisms, 'BasicAuth') && !includesIgnoringCase(mechanisms, 'BasicAuthRequireTLS')) {
        findings.push({
          pointer: `${at}${pointer('authMechanism')}`,
          scope: server.name,
          message: `${server.name} Client Frontend: authMechanism has BasicAuth without BasicAuthRequireTLS: passwords are accepted before TLS`,
        });
      }
      const offersBasic = mechanisms === undefined || includesIgnoringCase(mechanisms, 'BasicAuth');
      if (submission.requireTLS === false && offersBasic) {
        findings.push({
          pointer: `${at}${pointer('requireTLS')}`,
          scope: server.name,
          message: `${server.name} Client Frontend: requireTLS false while Basic authentication is offered${mechanisms === undefined ? ' (Exchange\'s default authMechanism has BasicAuth)' : ''}: mail is accepted without TLS`,
        });
      }
    });
    return findings;
  },
};
