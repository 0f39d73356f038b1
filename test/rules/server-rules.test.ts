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
    expect(result.findings.map((f) => [f.scope, f.outcome])).toEqual([
      ['EX01', 'violation'],
      ['EX02', 'waived'],
    ]);
  });
});
