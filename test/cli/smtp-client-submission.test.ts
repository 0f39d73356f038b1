/**
 * servers[].smtpClientSubmission, the ReceiveConnector kind (issue 14 item 1): authenticated SMTP
 * for POP3/IMAP4 clients through each server's "Client Frontend <Server>" receive connector
 * (Set-ReceiveConnector). Through the built CLI as a process against the simulator: validate
 * refuses AuthMechanism combinations the reference forbids (FILE:LINE:COL) and the section on
 * Exchange Online, plan sends only the drifted parameters to a fresh `sim init` organisation,
 * apply then plan shows no changes, drift finds a change made behind mailpolicy's back with
 * `sim invoke`, export round-trips, endpoints lists the submission endpoint.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorState } from '../../src/simulator/state';
import { tempDir, writeOrg } from '../simulator/helpers';
import { runCliProcess as mailpolicy } from './cli-process';

const HEADER = ['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: submission }', 'target: { platform: exchangeServer, organization: woodgrove.com }'];

const SUBMISSION = [
  '    smtpClientSubmission:',
  '      fqdn: mail.woodgrove.com',
  '      tlsCertificateName: "<I>CN=Woodgrove CA<S>CN=mail.woodgrove.com"',
  '      authMechanism: [BasicAuthRequireTLS, Tls, BasicAuth, Integrated]',
  '      requireTLS: true',
  '      bindings: ["0.0.0.0:587", "[::]:587"]',
  '      advertiseClientSettings: true',
];

function write(lines: readonly string[]): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const document = (): string => write([...HEADER, 'servers:', '  - name: EX01', ...SUBMISSION, '  - name: EX02', ...SUBMISSION]);

interface JsonPlan {
  readonly resources: readonly { readonly kind: string; readonly changes: readonly { cmdlet: string; parameters: Record<string, unknown> }[] }[];
}

describe('smtpClientSubmission (Client Frontend receive connector)', () => {
  it('validate: AuthMechanism combinations the reference forbids are FILE:LINE:COL errors, exit 1', () => {
    const file = write([
      ...HEADER,
      'servers:',
      '  - name: EX01',
      '    smtpClientSubmission:',
      '      authMechanism: [None, Tls]',
      '  - name: EX02',
      '    smtpClientSubmission:',
      '      authMechanism: [BasicAuth, BasicAuthRequireTLS]',
      '      requireTLS: true',
    ]);
    const run = mailpolicy(['validate', file]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const out = run.stdout + run.stderr;
    const at = (line: number, text: string): RegExp => new RegExp(`${path.basename(file).replace('.', '\\.')}:${line}:\\d+: .*${text}`);
    expect(out).toMatch(at(8, 'None can only be used by itself'));
    expect(out).toMatch(at(11, 'BasicAuthRequireTLS also requires BasicAuth and Tls'));
    expect(out).toMatch(at(12, 'requireTLS true requires Tls in authMechanism'));
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('validate: the section is refused on Exchange Online, which has no servers', () => {
    const file = write([
      'apiVersion: mailpolicy/v1',
      'kind: MailPolicy',
      'metadata: { name: online }',
      'target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }',
      'servers:',
      '  - name: EX01',
      '    smtpClientSubmission: { requireTLS: true }',
    ]);
    const run = mailpolicy(['validate', file]);
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/doc\.mailpolicy\.yaml:5:\d+: servers: valid only for platform exchangeServer/);
  });

  it('plan against a fresh sim init organisation, apply, plan again (no changes), drift behind its back, export round-trip', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01', 'EX02'] });
    const file = document();
    const state = ['--backend', 'simulator', '--state', org];

    const text = mailpolicy(['plan', file, ...state]);
    expect(text.status, text.stderr).toBe(1);
    expect(text.stdout).toContain(
      "Set-ReceiveConnector -Identity 'Client Frontend EX01' -Fqdn 'mail.woodgrove.com' -TlsCertificateName '<I>CN=Woodgrove CA<S>CN=mail.woodgrove.com' -RequireTLS:$true -AdvertiseClientSettings:$true",
    );
    // AuthMechanism and Bindings are sets: the same values in another order are no change.
    expect(text.stdout).not.toMatch(/-AuthMechanism|-Bindings/);

    const json = mailpolicy(['plan', file, ...state, '--format', 'json']);
    const changes = (JSON.parse(json.stdout) as JsonPlan).resources.filter((r) => r.kind === 'ReceiveConnector').flatMap((r) => r.changes);
    expect(changes.map((c) => c.parameters.Identity)).toEqual(['Client Frontend EX01', 'Client Frontend EX02']);

    const apply = mailpolicy(['apply', file, ...state]);
    expect(apply.status, apply.stdout + apply.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(org, 'utf8')) as SimulatorState;
    expect(saved.receiveConnectors?.map((c) => [c.name, c.settings.Fqdn, c.settings.RequireTLS])).toEqual([
      ['Client Frontend EX01', 'mail.woodgrove.com', true],
      ['Client Frontend EX02', 'mail.woodgrove.com', true],
    ]);
    const again = mailpolicy(['plan', file, ...state]);
    expect(again.status, again.stdout).toBe(0);

    // Basic authentication offered without TLS on EX02, behind mailpolicy's back.
    const behind = mailpolicy(['sim', 'invoke', '--state', org, 'Set-ReceiveConnector', 'Identity=EX02\\Client Frontend EX02', 'RequireTLS=false', 'AuthMechanism=["Tls","BasicAuth","Integrated"]']);
    expect(behind.status, behind.stderr).toBe(0);
    const drift = mailpolicy(['drift', file, ...state]);
    expect(drift.status, drift.stdout + drift.stderr).toBe(1);
    expect(drift.stdout).toMatch(/EX02[^\n]*authMechanism/);
    expect(drift.stdout).toMatch(/requireTLS/);
    expect(drift.stdout).not.toMatch(/Client Frontend EX01/);

    const exported = path.join(tempDir(), 'export.mailpolicy.yaml');
    const exportRun = mailpolicy(['export', ...state, '--output', exported]);
    expect(exportRun.status, exportRun.stderr).toBe(0);
    const exportedText = fs.readFileSync(exported, 'utf8');
    expect(exportedText).toMatch(/smtpClientSubmission:/);
    expect(exportedText).toContain('<I>CN=Woodgrove CA<S>CN=mail.woodgrove.com');
    const roundTrip = mailpolicy(['drift', exported, ...state]);
    expect(roundTrip.status, roundTrip.stdout + roundTrip.stderr).toBe(0);
  });

  it('the simulator refuses what Set-ReceiveConnector refuses, and leaves the connector as it was', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com' });
    const before = fs.readFileSync(org, 'utf8');
    for (const parameters of [['AuthMechanism=["None","Tls"]'], ['AuthMechanism=["Integrated"]', 'RequireTLS=true'], ['AuthMechanism=["ExternalAuthoritative","Tls"]'], ['TlsCertificateName=CN=mail.woodgrove.com']]) {
      const run = mailpolicy(['sim', 'invoke', '--state', org, 'Set-ReceiveConnector', 'Identity=Client Frontend EX01', ...parameters]);
      expect(run.status, parameters.join(' ')).toBe(2);
    }
    expect(fs.readFileSync(org, 'utf8')).toBe(before);
  });

  it('plan refuses a change Exchange would refuse with what the connector keeps (Tls dropped while RequireTLS stays true)', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com' });
    expect(mailpolicy(['sim', 'invoke', '--state', org, 'Set-ReceiveConnector', 'Identity=Client Frontend EX01', 'RequireTLS=true']).status).toBe(0);
    const file = write([...HEADER, 'servers:', '  - name: EX01', '    smtpClientSubmission: { authMechanism: [BasicAuth, Integrated] }']);
    const plan = mailpolicy(['plan', file, '--backend', 'simulator', '--state', org]);
    expect(plan.status).toBe(2);
    expect(plan.stderr).toMatch(/Client Frontend EX01: requireTLS true requires Tls in authMechanism/);
  });

  it('endpoints lists the submission endpoint beside POP3 and marks protocols switched off for every mailbox', () => {
    const file = write([
      ...HEADER,
      'casMailboxes:',
      '  default: { popEnabled: false, imapEnabled: false }',
      'servers:',
      '  - name: EX01',
      '    pop3: { settings: { externalConnectionSettings: ["mail.woodgrove.com:995:SSL"] } }',
      ...SUBMISSION,
    ]);
    const run = mailpolicy(['endpoints', file, '--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { endpoints: unknown[] }).endpoints).toEqual([
      { protocol: 'POP3', server: 'mail.woodgrove.com', port: 995, encryption: 'SSL/TLS', legacy: false, verified: true, note: 'switched off for every mailbox (casMailboxes.default.popEnabled: false)' },
      { protocol: 'SMTP', server: 'mail.woodgrove.com', port: 587, encryption: 'STARTTLS', legacy: false, verified: true },
    ]);
  });
});
