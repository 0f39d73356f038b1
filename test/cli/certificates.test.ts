/**
 * Certificates assigned to services (issue 14 item 2, rules of item 6), through the built CLI as a
 * process against the simulator: sim init's default certificate, sim certificate add, plan
 * (Enable-ExchangeCertificate with -Force and the SMTP replacement stated, the POP3 restart after
 * it), apply then no changes, drift after changes behind mailpolicy's back, export round trip,
 * the note for a service the document leaves out, a thumbprint not on the server, a wildcard, and
 * the certificate rules with --as-of.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorState } from '../../src/simulator/state';
import { tempDir, writeOrg } from '../simulator/helpers';
import { runCliProcess as mailpolicy } from './cli-process';

interface PlanJson {
  readonly resources: readonly { kind: string; changes: readonly { cmdlet: string; parameters: Record<string, unknown>; description: string }[] }[];
  readonly notes: readonly string[];
}

function org(): { state: string; sim: string[] } {
  const state = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com' });
  return { state, sim: ['--backend', 'simulator', '--state', state] };
}

function addCertificate(state: string, ...args: string[]): string {
  const run = mailpolicy(['sim', 'certificate', 'add', '--state', state, '--server', 'EX01', ...args]);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

function document(certificates: string, extra: string[] = []): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(
    file,
    [
      'apiVersion: mailpolicy/v1',
      'kind: MailPolicy',
      'metadata: { name: certificates }',
      'target: { platform: exchangeServer, organization: woodgrove.com }',
      'servers:',
      '  - name: EX01',
      '    certificates:',
      certificates,
      ...extra,
      '',
    ].join('\n'),
  );
  return file;
}

const saved = (state: string): SimulatorState => JSON.parse(fs.readFileSync(state, 'utf8')) as SimulatorState;
const changes = (plan: PlanJson) => plan.resources.flatMap((r) => r.changes);

describe('sim init and sim certificate add', () => {
  it('every server starts with Exchange setup\'s self-signed certificate: CN=<server>, its names, IMAP, POP, IIS, SMTP', () => {
    const { state } = org();
    const show = mailpolicy(['sim', 'show', '--state', state, '--format', 'json']);
    expect(show.status, show.stderr).toBe(0);
    const certificates = (JSON.parse(show.stdout) as { servers: { certificates: Record<string, unknown>[] }[] }).servers[0]?.certificates;
    expect(certificates).toEqual([
      expect.objectContaining({ subject: 'CN=EX01', issuer: 'CN=EX01', certificateDomains: ['EX01', 'ex01.woodgrove.com'], services: ['IMAP', 'POP', 'IIS', 'SMTP'], thumbprint: expect.stringMatching(/^[0-9A-F]{40}$/) }),
    ]);
  });

  it('adds a certificate enabled for no service and prints its thumbprint, the same for the same inputs', () => {
    const a = org();
    const b = org();
    const args = ['--subject', 'CN=mail.woodgrove.com', '--san', 'mail.woodgrove.com,autodiscover.woodgrove.com', '--not-after', '2027-06-01'];
    const first = addCertificate(a.state, ...args);
    expect(first).toMatch(/^[0-9A-F]{40}$/);
    expect(addCertificate(b.state, ...args)).toBe(first);
    expect(saved(a.state).servers?.[0]?.certificates?.[1]).toEqual({
      thumbprint: first,
      subject: 'CN=mail.woodgrove.com',
      issuer: 'CN=mail.woodgrove.com',
      certificateDomains: ['mail.woodgrove.com', 'autodiscover.woodgrove.com'],
      notAfter: '2027-06-01T00:00:00.000Z',
      services: [],
    });
    expect(addCertificate(b.state, '--subject', 'CN=other', '--thumbprint', 'ab'.repeat(20))).toBe('AB'.repeat(20));
  });

  it('the same server named by its FQDN or in another case gets the same thumbprint (the server as the state names it)', () => {
    const args = ['--subject', 'CN=mail.woodgrove.com', '--not-after', '2027-06-01'];
    const byName = addCertificate(org().state, ...args);
    for (const server of ['ex01.woodgrove.com', 'ex01']) {
      const run = mailpolicy(['sim', 'certificate', 'add', '--state', org().state, '--server', server, ...args]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe(byName);
    }
  });

  it('refuses a bad thumbprint (usage, exit 2), an unknown server and a thumbprint already there (exit 2), changing nothing', () => {
    const { state } = org();
    const before = fs.readFileSync(state, 'utf8');
    const bad = mailpolicy(['sim', 'certificate', 'add', '--state', state, '--server', 'EX01', '--subject', 'CN=x', '--thumbprint', 'xyz']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--thumbprint takes a certificate thumbprint/);
    const server = mailpolicy(['sim', 'certificate', 'add', '--state', state, '--server', 'EX09', '--subject', 'CN=x']);
    expect(server.status).toBe(2);
    expect(server.stderr).toMatch(/no server EX09/);
    expect(fs.readFileSync(state, 'utf8')).toBe(before);
    const print = addCertificate(state, '--subject', 'CN=x');
    const twice = mailpolicy(['sim', 'certificate', 'add', '--state', state, '--server', 'EX01', '--subject', 'CN=x']);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain(`already has a certificate with thumbprint ${print}`);
    expect(twice.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('validate', () => {
  it('a thumbprint that is not 40 hexadecimal digits, a certificate listed twice and a date that does not exist are errors at FILE:LINE:COL', () => {
    const file = document([`      - { thumbprint: xyz, services: [POP] }`, `      - { thumbprint: ${'a'.repeat(40)}, services: [POP], notAfter: 2027-02-30 }`, `      - { thumbprint: ${'A'.repeat(40)}, services: [IMAP] }`].join('\n'));
    const run = mailpolicy(['validate', file]);
    expect(run.status).toBe(1);
    const name = path.basename(file);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${name}:8:\\d+: .*thumbprint.*40 hexadecimal digits`));
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${name}:9:\\d+: .*2027-02-30 is not a calendar date`));
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${name}:10:\\d+: .*is already listed for this server at certificates\\[1\\]`));
  });
});

describe('plan, apply, drift and export of servers[].certificates', () => {
  it('plans Enable-ExchangeCertificate with -Force and states the SMTP replacement, restarts the running POP3 services after it, then has no changes', () => {
    const { state, sim } = org();
    const print = addCertificate(state, '--subject', 'CN=mail.woodgrove.com', '--san', 'mail.woodgrove.com', '--not-after', '2027-06-01');
    const defaultPrint = saved(state).servers?.[0]?.certificates?.[0]?.thumbprint as string;
    // POP3 already running, as an admin started it: the new certificate is in use only after a restart.
    for (const name of ['MSExchangePOP3', 'MSExchangePOP3BE']) {
      expect(mailpolicy(['sim', 'invoke', 'Set-Service', `Name=${name}`, 'StartupType=Automatic', '--state', state, '--computer-name', 'EX01']).status).toBe(0);
    }
    expect(mailpolicy(['sim', 'invoke', 'Start-Service', 'Name=["MSExchangePOP3","MSExchangePOP3BE"]', '--state', state, '--computer-name', 'EX01']).status).toBe(0);
    const file = document(`      - { thumbprint: ${print.toLowerCase()}, services: [POP, IMAP, SMTP] }`, ['    pop3: { service: { startupType: Automatic, state: Running } }']);

    const plan = mailpolicy(['plan', file, ...sim, '--format', 'json']);
    expect(plan.status, plan.stderr).toBe(1);
    const planned = JSON.parse(plan.stdout) as PlanJson;
    expect(changes(planned).map(({ cmdlet, parameters }) => ({ cmdlet, parameters }))).toEqual([
      { cmdlet: 'Enable-ExchangeCertificate', parameters: { Thumbprint: print, Services: ['POP', 'IMAP', 'SMTP'], Server: 'EX01', Force: true } },
      { cmdlet: 'Restart-Service', parameters: { Name: ['MSExchangePOP3', 'MSExchangePOP3BE'] } },
    ]);
    expect(changes(planned)[0]?.description).toContain(`replaces the default SMTP certificate (enabled for SMTP now: ${defaultPrint} (CN=EX01))`);
    const text = mailpolicy(['plan', file, ...sim]);
    expect(text.stdout).toContain(`Enable-ExchangeCertificate -Thumbprint '${print}' -Services 'POP','IMAP','SMTP' -Server 'EX01' -Force:$true`);

    const apply = mailpolicy(['apply', file, ...sim]);
    expect(apply.status, apply.stdout + apply.stderr).toBe(0);
    const server = saved(state).servers?.[0];
    expect(server?.certificates?.[1]?.services).toEqual(['POP', 'IMAP', 'SMTP']);
    // Restarted: nothing pending on POP3; IMAP4 (stopped) reads it when it starts.
    expect(server?.pop3.frontEnd.pendingSettings).toEqual([]);
    expect(server?.imap4.frontEnd.pendingSettings).toEqual(['Certificate']);

    const again = mailpolicy(['plan', file, ...sim]);
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
  });

  it('a service Exchange has and the document leaves out is a note, not a change, and drift does not call it repairable', () => {
    const { state, sim } = org();
    const defaultPrint = saved(state).servers?.[0]?.certificates?.[0]?.thumbprint as string;
    const file = document(`      - { thumbprint: ${defaultPrint}, services: [POP, IMAP] }`);
    const plan = mailpolicy(['plan', file, ...sim, '--format', 'json']);
    expect(plan.status, plan.stderr).toBe(0);
    const planned = JSON.parse(plan.stdout) as PlanJson;
    expect(changes(planned)).toEqual([]);
    expect(planned.notes).toEqual([expect.stringMatching(new RegExp(`${defaultPrint} \\(CN=EX01\\) is enabled for IIS, SMTP too, .*cannot take a service off a certificate`))]);
    const drift = mailpolicy(['drift', file, ...sim, '--format', 'json']);
    expect(drift.status, drift.stdout).toBe(0);
    const report = JSON.parse(drift.stdout) as { inSync: boolean; notes: string[] };
    expect(report.inSync).toBe(true);
    expect(report.notes.join('\n')).toMatch(/cannot take a service off a certificate/);
  });

  it('drift: a service enabled behind mailpolicy\'s back is a note; a certificate re-imported without its services is drift that plan repairs', () => {
    const { state, sim } = org();
    const print = addCertificate(state, '--subject', 'CN=mail.woodgrove.com', '--san', 'mail.woodgrove.com');
    const file = document(`      - { thumbprint: ${print}, services: [POP] }`);
    expect(mailpolicy(['apply', file, ...sim]).status).toBe(0);
    expect(mailpolicy(['drift', file, ...sim]).status).toBe(0);

    const invoke = mailpolicy(['sim', 'invoke', 'Enable-ExchangeCertificate', `Thumbprint=${print}`, 'Services=["IIS"]', 'Server=EX01', '--state', state]);
    expect(invoke.status, invoke.stderr).toBe(0);
    const noted = mailpolicy(['drift', file, ...sim]);
    expect(noted.status, noted.stdout).toBe(0);
    expect(noted.stdout).toMatch(/enabled for IIS too/);

    // Remove-ExchangeCertificate and Import-ExchangeCertificate (outside the catalog) leave it enabled for no service.
    const s = saved(state);
    (s.servers?.[0]?.certificates?.[1] as { services: string[] }).services = [];
    fs.writeFileSync(state, JSON.stringify(s));
    const drift = mailpolicy(['drift', file, ...sim, '--format', 'json']);
    expect(drift.status, drift.stdout).toBe(1);
    const report = JSON.parse(drift.stdout) as { drift: { setting: string; desired: unknown; actual: unknown; pointer: string; fix: string; location: { line: number } }[] };
    expect(report.drift).toEqual([
      expect.objectContaining({ setting: 'services', desired: ['POP'], actual: [], pointer: '/servers/0/certificates/0/services', fix: `Enable-ExchangeCertificate -Thumbprint '${print}' -Services 'POP' -Server 'EX01'`, location: expect.objectContaining({ line: 8 }) }),
    ]);
  });

  it('export writes the certificates with their names and expiry, and the exported document plans no change', () => {
    const { state, sim } = org();
    const print = addCertificate(state, '--subject', 'CN=mail.woodgrove.com', '--san', 'mail.woodgrove.com', '--not-after', '2028-01-31');
    const file = document(`      - { thumbprint: ${print}, services: [IMAP] }`);
    expect(mailpolicy(['apply', file, ...sim]).status).toBe(0);
    const exported = path.join(tempDir(), 'export.mailpolicy.yaml');
    const run = mailpolicy(['export', ...sim, '--output', exported]);
    expect(run.status, run.stderr).toBe(0);
    const text = fs.readFileSync(exported, 'utf8');
    expect(text).toContain(`thumbprint: ${print}`);
    expect(text).toMatch(/certificateDomains:\s*\n\s*- mail\.woodgrove\.com/);
    expect(text).toMatch(/notAfter: '?2028-01-31'?/);
    const plan = mailpolicy(['plan', exported, ...sim]);
    expect(plan.status, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/No changes/);
    expect(plan.stdout).not.toMatch(/the document says/);
  });

  it('a thumbprint not on the server is a plan error naming the server\'s certificates; nothing is applied', () => {
    const { state, sim } = org();
    const file = document(`      - { thumbprint: ${'0'.repeat(39)}F, services: [POP] }`);
    const plan = mailpolicy(['plan', file, ...sim]);
    expect(plan.status).toBe(2);
    expect(plan.stderr).toMatch(/certificate 0{39}F is not on EX01 \(its certificates: [0-9A-F]{40} \(CN=EX01\)\): import it there first/);
    expect(plan.stderr).not.toMatch(/\n\s+at /);
    const apply = mailpolicy(['apply', file, ...sim]);
    expect(apply.status).toBe(2);
    expect(saved(state).writes ?? {}).toEqual({});
  });

  it('a wildcard certificate assigned to POP: MP-CRT-001 reports it, and Exchange (the simulator) refuses to enable it', () => {
    const { state, sim } = org();
    const print = addCertificate(state, '--subject', 'CN=*.woodgrove.com', '--san', '*.woodgrove.com');
    const file = document(`      - { thumbprint: ${print}, services: [POP], certificateDomains: ['*.woodgrove.com'] }`);
    const check = mailpolicy(['check', file, '--format', 'json']);
    expect(check.status, check.stderr).toBe(0);
    const findings = (JSON.parse(check.stdout) as { files: { findings: { ruleId: string; pointer: string; message: string }[] }[] }).files[0]?.findings ?? [];
    expect(findings.filter((f) => f.ruleId === 'MP-CRT-001')).toEqual([expect.objectContaining({ pointer: '/servers/0/certificates/0/services', message: expect.stringMatching(/wildcard certificate .* is assigned to POP, which Exchange refuses/) })]);
    const apply = mailpolicy(['apply', file, ...sim]);
    expect(apply.status).not.toBe(0);
    expect(apply.stdout + apply.stderr).toMatch(/wildcard certificate \(\*\.woodgrove\.com\) and can't be enabled for POP/);
    expect(saved(state).servers?.[0]?.certificates?.[1]?.services).toEqual([]);
  });
});

describe('certificate rules with --as-of', () => {
  const pop = ['    pop3:', '      settings:', '        externalConnectionSettings: [mail.woodgrove.com:995:SSL]', '        sslBindings: ["[::]:995", "0.0.0.0:995"]', '        x509CertificateName: mail.woodgrove.com'];
  const findingsOf = (file: string, asOf: string) => {
    const run = mailpolicy(['check', file, '--as-of', asOf, '--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    return ((JSON.parse(run.stdout) as { files: { findings: { ruleId: string; pointer: string; message: string; line: number }[] }[] }).files[0]?.findings ?? []).filter((f) => f.ruleId.startsWith('MP-CRT-'));
  };

  it('MP-CRT-002: reported from 30 days before the expiry the document states, with the day counted from --as-of', () => {
    const file = document(`      - { thumbprint: ${'A'.repeat(40)}, services: [POP], certificateDomains: [mail.woodgrove.com], notAfter: 2027-06-01 }`, pop);
    expect(findingsOf(file, '2027-05-01')).toEqual([]);
    expect(findingsOf(file, '2027-05-02')).toEqual([expect.objectContaining({ ruleId: 'MP-CRT-002', pointer: '/servers/0/certificates/0/notAfter', message: expect.stringContaining('expires on 2027-06-01, within 30 days of 2027-05-02'), line: 8 })]);
    expect(findingsOf(file, '2027-06-02')).toEqual([expect.objectContaining({ ruleId: 'MP-CRT-002', message: expect.stringContaining('expired on 2027-06-01') })]);
  });

  it('MP-CRT-001: the POP3 host name must be held by a certificate assigned to POP', () => {
    const uncovered = document(`      - { thumbprint: ${'A'.repeat(40)}, services: [POP], certificateDomains: [legacy.woodgrove.com] }`, pop);
    expect(findingsOf(uncovered, '2027-01-15').map((f) => [f.pointer, f.message])).toEqual([
      ['/servers/0/pop3/settings/externalConnectionSettings/0', 'EX01 POP3: clients connect to mail.woodgrove.com, but no certificate assigned to POP holds it'],
    ]);
    const notAssigned = document(`      - { thumbprint: ${'A'.repeat(40)}, services: [IIS], certificateDomains: [mail.woodgrove.com] }`, pop);
    expect(findingsOf(notAssigned, '2027-01-15').map((f) => f.message)).toEqual(['EX01 POP3: clients connect to mail.woodgrove.com, but no certificate in servers[0].certificates is assigned to POP']);
    // Microsoft's procedure for a wildcard: listed, not assigned to POP, named by x509CertificateName.
    const wildcard = document(`      - { thumbprint: ${'A'.repeat(40)}, services: [IIS], certificateDomains: ['*.woodgrove.com'] }`, pop);
    expect(findingsOf(wildcard, '2027-01-15')).toEqual([]);
  });
});
