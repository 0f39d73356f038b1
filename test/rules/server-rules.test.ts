import { describe, expect, it } from 'vitest';
import type { MailPolicy, ServerPolicy } from '../../src/model/types';
import { checkPolicy } from '../../src/rules';
import { onPrem } from './documents';

const found = (servers: ServerPolicy[], id: string) =>
  checkPolicy(onPrem({ servers }), { asOf: '2027-01-15' }).findings.filter((f) => f.rule.id === id).map((f) => `${f.pointer} ${f.message}`);

describe('on-premises rules', () => {
  it('MP-SRV-001 reports plain entries only; malformed ones are the loader\'s to report', () => {
    const servers: ServerPolicy[] = [{ name: 'EX01', pop3: { settings: { externalConnectionSettings: ['mail.woodgrove.com:995:SSL', 'mail.woodgrove.com:110:TLS', 'mail.woodgrove.com:110:tls', 'mail.woodgrove.com:110'] } } }];
    expect(found(servers, 'MP-SRV-001')).toEqual([
      '/servers/0/pop3/settings/externalConnectionSettings/3 EX01 POP3: external connection setting "mail.woodgrove.com:110" has no :SSL or :TLS, so clients outside connect unencrypted',
    ]);
  });

  it('MP-SRV-007: extendedProtectionPolicy None or absent (Exchange\'s default) where SSL/TLS is offered and NTLM is on', () => {
    const epa = (settings: object, service?: object): ServerPolicy[] => [{ name: 'EX01', pop3: { settings, ...(service ? { service } : {}) } } as ServerPolicy];
    expect(found(epa({}), 'MP-SRV-007')).toEqual([
      "/servers/0/pop3/settings/extendedProtectionPolicy EX01 POP3: SSL/TLS is offered but extendedProtectionPolicy is not set (Exchange's default is None), so Integrated Windows authentication has no Extended Protection",
    ]);
    expect(found(epa({ extendedProtectionPolicy: 'None', sslBindings: ['0.0.0.0:995'] }), 'MP-SRV-007')).toHaveLength(1);
    // STARTTLS only: no SSL binding, but a connection setting marked TLS.
    expect(found(epa({ sslBindings: [], externalConnectionSettings: ['mail.woodgrove.com:110:TLS'] }), 'MP-SRV-007')).toHaveLength(1);
    for (const clean of [
      epa({ extendedProtectionPolicy: 'Allow' }),
      epa({ extendedProtectionPolicy: 'Require' }),
      epa({ enableGSSAPIAndNTLMAuth: false }),
      epa({ sslBindings: [], externalConnectionSettings: ['mail.woodgrove.com:110'] }),
      epa({}, { startupType: 'Disabled' }),
      epa({}, { state: 'Stopped' }),
    ]) {
      expect(found(clean, 'MP-SRV-007')).toEqual([]);
    }
  });

  it('MP-CRT-001 also judges the Client Frontend connector\'s FQDN against the certificates assigned to SMTP', () => {
    const thumbprint = '3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F';
    const submission = (certificateDomains: string[], services: ('SMTP' | 'IIS')[]): ServerPolicy[] => [
      { name: 'EX01', smtpClientSubmission: { fqdn: 'mail.contoso.com' }, certificates: [{ thumbprint, services, certificateDomains }] } as ServerPolicy,
    ];
    expect(found(submission(['legacy.contoso.com'], ['SMTP']), 'MP-CRT-001')).toEqual([
      '/servers/0/smtpClientSubmission/fqdn EX01 SMTP client submission: clients connect to mail.contoso.com, but no certificate assigned to SMTP holds it',
    ]);
    expect(found(submission(['mail.contoso.com'], ['IIS']), 'MP-CRT-001')).toEqual([
      '/servers/0/smtpClientSubmission/fqdn EX01 SMTP client submission: clients connect to mail.contoso.com, but no certificate in servers[0].certificates is assigned to SMTP',
    ]);
    expect(found(submission(['Mail.Contoso.com'], ['SMTP']), 'MP-CRT-001')).toEqual([]);
    // A wildcard may serve SMTP (only POP and IMAP refuse one).
    expect(found(submission(['*.contoso.com'], ['SMTP']), 'MP-CRT-001')).toEqual([]);
  });

  it('MP-SRV-004 and MP-SRV-005 look only at services declared Running', () => {
    const stopped: ServerPolicy[] = [{ name: 'EX01', imap4: { service: { startupType: 'Disabled', state: 'Stopped' } } }];
    expect(found(stopped, 'MP-SRV-004')).toEqual([]);
    expect(found(stopped, 'MP-SRV-005')).toEqual([]);
    const running: ServerPolicy[] = [{ name: 'EX01', imap4: { service: { startupType: 'Disabled', state: 'Running' } } }];
    expect(found(running, 'MP-SRV-004')).toHaveLength(1);
    expect(found(running, 'MP-SRV-005')).toEqual(['/servers/0/imap4/service/startupType EX01 IMAP4: the services are Running but startupType is Disabled, so they will not come back after a reboot']);
  });

  it('every finding of a two-server document is scoped to its server', () => {
    const doc: MailPolicy = onPrem({
      servers: [
        { name: 'EX01', pop3: { settings: { loginType: 'PlainTextLogin' } } },
        { name: 'EX02', pop3: { settings: { loginType: 'PlainTextLogin' } } },
      ],
    });
    const result = checkPolicy({ ...doc, waivers: [{ rule: 'MP-SRV-002', reason: 'lab server', expires: '2027-03-01', scope: 'ex02' }] }, { asOf: '2027-01-15' });
    // MP-SRV-007 (no extendedProtectionPolicy where TLS is offered) is an advisory on both.
    expect(result.findings.map((f) => [f.rule.id, f.scope, f.outcome])).toEqual([
      ['MP-SRV-002', 'EX01', 'violation'],
      ['MP-SRV-002', 'EX02', 'waived'],
      ['MP-SRV-007', 'EX01', 'advisory'],
      ['MP-SRV-007', 'EX02', 'advisory'],
    ]);
  });
});
