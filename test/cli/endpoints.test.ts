import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';
import { runCli as run } from './run-cli';

const STACKS = path.resolve(__dirname, '../../stacks');

function tempDoc(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-endpoints-'));
  const file = path.join(dir, 'doc.mailpolicy.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('mailpolicy endpoints', () => {
  it('prints the worldwide table with the opted-in legacy endpoints (contoso example)', async () => {
    const r = await run(['endpoints', path.join(STACKS, 'contoso-worldwide.mailpolicy.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Client endpoints for contoso.onmicrosoft.com (Exchange Online, worldwide)');
    expect(lines[1]).toMatch(/^Protocol\s+Server\s+Port\s+Encryption\s+Notes$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/).slice(0, 4).join(' '))).toEqual([
      'POP3 outlook.office365.com 995 SSL/TLS',
      'IMAP4 outlook.office365.com 993 SSL/TLS',
      'SMTP smtp.office365.com 587 STARTTLS',
      'POP3 pop-legacy.office365.com 995 SSL/TLS',
      'IMAP4 imap-legacy.office365.com 993 SSL/TLS',
      'SMTP smtp-legacy.office365.com 587 STARTTLS',
    ]);
  });

  it('JSON for GCC High: SMTP submission is outlook.office365.us:587 (endpoint list ID 5), every row verified, no legacy endpoints', async () => {
    const r = await run(['endpoints', path.join(STACKS, 'fabrikam-gcchigh.mailpolicy.yaml'), '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { cloud: string; endpoints: { protocol: string; server: string; port: number; verified: boolean; legacy: boolean }[] };
    expect(doc.cloud).toBe('gccHigh');
    expect(doc.endpoints.map((e) => [e.protocol, e.server, e.port, e.verified, e.legacy])).toEqual([
      ['POP3', 'outlook.office365.us', 995, true, false],
      ['IMAP4', 'outlook.office365.us', 993, true, false],
      ['SMTP', 'outlook.office365.us', 587, true, false],
    ]);
  });

  it('JSON for DoD: every row verified from the DoD endpoint list (ID 4)', async () => {
    const file = tempDoc('apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: dod }\ntarget: { platform: exchangeOnline, cloud: dod, organization: x.onmicrosoft.us }\n');
    const r = await run(['endpoints', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { endpoints: { protocol: string; server: string; port: number; verified: boolean }[] };
    expect(doc.endpoints.map((e) => [e.protocol, e.server, e.port, e.verified])).toEqual([
      ['POP3', 'outlook-dod.office365.us', 995, true],
      ['IMAP4', 'outlook-dod.office365.us', 993, true],
      ['SMTP', 'outlook-dod.office365.us', 587, true],
    ]);
  });

  it('21Vianet opted in to legacy TLS: the legacy SMTP row says TLS 1.0/1.1 ended there in June 2023; MC1293480 is not asserted for POP/IMAP', async () => {
    const file = tempDoc(
      'apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: tailspin }\ntarget: { platform: exchangeOnline, cloud: china21Vianet, organization: x.partner.onmschina.cn }\ntransportConfig: { allowLegacyTLSClients: true }\n',
    );
    const r = await run(['endpoints', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { endpoints: { protocol: string; server: string; legacy: boolean; note?: string }[] };
    const legacy = doc.endpoints.filter((e) => e.legacy);
    expect(legacy.map((e) => [e.protocol, e.server])).toEqual([
      ['POP3', 'pop-legacy.partner.outlook.cn'],
      ['IMAP4', 'imap-legacy.partner.outlook.cn'],
      ['SMTP', 'smtp-legacy.partner.outlook.cn'],
    ]);
    const note = (protocol: string): string => legacy.find((e) => e.protocol === protocol)?.note ?? '';
    expect(note('SMTP')).toContain('TLS 1.0/1.1 for SMTP AUTH no longer supported after 2023-06-30');
    for (const protocol of ['POP3', 'IMAP4']) {
      expect(note(protocol)).toContain('unconfirmed');
      expect(note(protocol)).not.toMatch(/blocking rolls out/);
    }
    const text = await run(['endpoints', file]);
    expect(text.stdout).toMatch(/smtp-legacy\.partner\.outlook\.cn .*no longer supported after 2023-06-30/);
  });

  it('markdown for an on-premises organisation lists its external connection settings', async () => {
    const file = tempDoc(`apiVersion: mailpolicy/v1
kind: MailPolicy
metadata: { name: woodgrove }
target: { platform: exchangeServer, organization: woodgrove.local }
servers:
  - name: EX01
    pop3:
      settings:
        externalConnectionSettings: ['mail.woodgrove.com:995:SSL', 'mail.woodgrove.com:110']
  - name: EX02
    imap4:
      settings:
        externalConnectionSettings: ['mail.woodgrove.com:143:TLS']
`);
    const r = await run(['endpoints', file, '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '## Mail client settings for woodgrove.local (Exchange Server)',
        '',
        '| Protocol | Server | Port | Encryption | Notes |',
        '|---|---|---|---|---|',
        '| POP3 | mail.woodgrove.com | 995 | SSL/TLS |  |',
        '| POP3 | mail.woodgrove.com | 110 | none (plain text) |  |',
        '| IMAP4 | mail.woodgrove.com | 143 | STARTTLS |  |',
        '',
      ].join('\n'),
    );
  });

  it('an invalid document: FILE:LINE:COL on stderr, exit 2; a missing file: exit 2', async () => {
    const file = tempDoc('apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: Bad Name }\ntarget: { platform: exchangeOnline, cloud: worldwide, organization: x.onmicrosoft.com }\n');
    const bad = await run(['endpoints', file]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: `));
    const missing = await run(['endpoints', path.join(path.dirname(file), 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');
    const usage = await run(['endpoints', file, '--format', 'xml']);
    expect(usage.code).toBe(2);
  });

  it('works through the built binary as a child process', () => {
    const r = runCliProcess(['endpoints', path.join(STACKS, 'tailspin-21vianet.mailpolicy.yaml')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('partner.outlook.cn');
  });
});
