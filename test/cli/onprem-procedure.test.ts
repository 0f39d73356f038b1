/**
 * Issue 14, "Done when": the woodgrove example declares Microsoft's whole on-premises procedure
 * (services, settings, the Client Frontend connector, certificates assigned to services, an
 * authentication policy assigned to a user), and through the CLI as a process against a fresh
 * simulated organisation: plan lists the connector, certificate and assignment cmdlets; apply,
 * then plan has nothing left; drift finds each kind of change made behind its back; an export
 * plans no changes against the organisation it came from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeOrg } from '../simulator/helpers';
import { exampleFile } from '../support/example-stacks';
import { addCertificateArgs, withCertificates, WOODGROVE_SERVERS, type WoodgroveServer } from '../support/woodgrove-certificates';
import { runCliProcess as mailpolicy } from './cli-process';

interface PlannedChange {
  readonly cmdlet: string;
  readonly parameters: Record<string, unknown>;
}
interface PlanJson {
  readonly resources: readonly { kind: string; changes: readonly PlannedChange[] }[];
}

const SERVERS = WOODGROVE_SERVERS;

/** A fresh organisation with woodgrove's servers, its branch terminal account, and a certificate for mail.woodgrove.com imported on each server. */
function organisation(): { state: string; thumbprints: Record<WoodgroveServer, string> } {
  const state = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: [...SERVERS], mailboxes: 2 }, (s) => {
    s.mailboxes.push(['branch-terminals', 'branch-terminals@woodgrove.com', 'branch-terminals@woodgrove.com', true, true, null]);
  });
  const thumbprints = {} as Record<WoodgroveServer, string>;
  for (const server of SERVERS) {
    const added = mailpolicy(addCertificateArgs(state, server));
    expect(added.status, added.stderr).toBe(0);
    thumbprints[server] = added.stdout.trim();
  }
  return { state, thumbprints };
}

/** The woodgrove example with each server's imported certificate assigned to POP and SMTP. */
function woodgroveWithCertificates(thumbprints: Record<WoodgroveServer, string>): string {
  const file = path.join(tempDir(), 'woodgrove.mailpolicy.yaml');
  fs.writeFileSync(file, withCertificates(fs.readFileSync(exampleFile('woodgrove-onprem'), 'utf8'), thumbprints));
  return file;
}

const cmdlets = (plan: PlanJson): PlannedChange[] => plan.resources.flatMap((r) => r.changes);

describe("the seed's whole on-premises procedure, through the CLI", () => {
  it('plans the connector, the certificates and the assignment; apply leaves nothing to do; drift finds each change behind its back; an export plans nothing', () => {
    const { state, thumbprints } = organisation();
    const doc = woodgroveWithCertificates(thumbprints);
    const sim = ['--state', state, '--as-of', '2026-12-06'];

    const planned = mailpolicy(['plan', doc, ...sim, '--format', 'json']);
    expect(planned.status, planned.stderr).toBe(1);
    const changes = cmdlets(JSON.parse(planned.stdout) as PlanJson);
    expect(changes).toContainEqual(expect.objectContaining({ cmdlet: 'Set-ReceiveConnector', parameters: expect.objectContaining({ Identity: 'Client Frontend EX01', Fqdn: 'mail.woodgrove.com' }) }));
    for (const server of SERVERS) {
      expect(changes).toContainEqual(expect.objectContaining({ cmdlet: 'Enable-ExchangeCertificate', parameters: { Thumbprint: thumbprints[server], Services: ['POP', 'SMTP'], Server: server, Force: true } }));
    }
    expect(changes).toContainEqual(expect.objectContaining({ cmdlet: 'Set-User', parameters: { Identity: 'branch-terminals@woodgrove.com', AuthenticationPolicy: 'Block legacy POP and IMAP' } }));
    const text = mailpolicy(['plan', doc, ...sim]);
    expect(text.stdout).toContain("Set-ReceiveConnector -Identity 'Client Frontend EX01' -Fqdn 'mail.woodgrove.com'");
    expect(text.stdout).toContain(`Enable-ExchangeCertificate -Thumbprint '${thumbprints.EX01}' -Services 'POP','SMTP' -Server 'EX01' -Force:$true`);
    expect(text.stdout).toContain("Set-User -Identity 'branch-terminals@woodgrove.com' -AuthenticationPolicy 'Block legacy POP and IMAP'");

    const applied = mailpolicy(['apply', doc, ...sim, '--quiet']);
    expect(applied.status, applied.stderr).toBe(0);
    const again = mailpolicy(['plan', doc, ...sim]);
    expect(again.status, again.stdout + again.stderr).toBe(0);

    // An export of the organisation as it now is plans no change against it.
    const exported = path.join(tempDir(), 'exported.mailpolicy.yaml');
    const exportRun = mailpolicy(['export', '--state', state, '-o', exported]);
    expect(exportRun.status, exportRun.stderr).toBe(0);
    const roundTrip = mailpolicy(['plan', exported, ...sim]);
    expect(roundTrip.status, roundTrip.stdout + roundTrip.stderr).toBe(0);

    // Behind mailpolicy's back: the connector's TLS requirement, EX02's POP certificate, the user's policy.
    const invoke = (...argv: string[]): void => {
      const r = mailpolicy(['sim', 'invoke', '--state', state, ...argv]);
      expect(r.status, r.stderr).toBe(0);
    };
    invoke('Set-ReceiveConnector', 'Identity=Client Frontend EX01', 'RequireTLS=false');
    invoke('Set-User', 'Identity=branch-terminals@woodgrove.com', 'AuthenticationPolicy=null');
    const other = mailpolicy(['sim', 'certificate', 'add', '--state', state, '--server', 'EX02', '--subject', 'CN=other.woodgrove.com', '--san', 'other.woodgrove.com']);
    expect(other.status, other.stderr).toBe(0);
    const drift = mailpolicy(['drift', doc, '--state', state, '--format', 'json']);
    expect(drift.status, drift.stderr).toBe(1);
    const repairs = (JSON.parse(drift.stdout) as { drift: { cmdlet?: string; fix?: { cmdlet: string } }[] }).drift.map((d) => JSON.stringify(d));
    expect(repairs.some((d) => d.includes('Set-ReceiveConnector') && d.includes('RequireTLS'))).toBe(true);
    expect(repairs.some((d) => d.includes('Set-User') && d.includes('branch-terminals@woodgrove.com'))).toBe(true);
    // The certificate enabled for nothing is not drift; enabling it for POP takes POP over from the declared one.
    invoke('Enable-ExchangeCertificate', `Thumbprint=${other.stdout.trim()}`, 'Services=["POP"]', 'Server=EX02');
    const undeclared = mailpolicy(['drift', doc, '--state', state, '--format', 'json']);
    const objects = (JSON.parse(undeclared.stdout) as { undeclared: { objects: { object: string; name: string }[] } }).undeclared.objects;
    expect(objects).toContainEqual(expect.objectContaining({ object: 'certificate', name: `EX02 ${other.stdout.trim()}` }));
  });
});
