import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { exampleFile, organisationFor, saveOrganisation, tempDir } from './simulated';

const dir = tempDir('plan');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (...argv: string[]) => runCli(argv);

function policyOf(stack: string) {
  return loadPolicyFileOrThrow(exampleFile(stack)).policy;
}

describe('mailpolicy plan / apply', () => {
  it('plans, applies, then has nothing left to do (exit 1, 0, 0)', async () => {
    const file = exampleFile('contoso-worldwide');
    const state = await saveOrganisation(dir, 'contoso', organisationFor(policyOf('contoso-worldwide')));
    const first = await run('plan', file, '--backend', 'simulator', '--state', state);
    expect(first.code).toBe(1);
    const lines = first.stdout.split('\n');
    expect(lines[0]).toBe(`backend: simulator (state: ${state})`);
    expect(first.stdout).toContain('TransportConfig transport-config\n  Set-TransportConfig -AllowLegacyTLSClients:$true\n');
    expect(first.stdout).toContain("New-AuthenticationPolicy -Name 'Block Basic Auth' -AllowBasicAuthPop:$false -AllowBasicAuthImap:$false -AllowBasicAuthSmtp:$false");
    expect(first.stdout).toContain("Set-CASMailbox -Identity 'scanner@contoso.com' -PopEnabled:$false -ImapEnabled:$false -SmtpClientAuthenticationDisabled:$false");

    const applied = await run('apply', file, '--backend', 'simulator', '--state', state);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Applied \d+ change\(s\)\.\nVerified: read back 5 resource\(s\); every applied setting is in place\.\n$/);

    const again = await run('plan', file, '--backend', 'simulator', '--state', state);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
  });

  it('json and markdown carry the same plan, the backend on the first line', async () => {
    const file = exampleFile('woodgrove-onprem');
    const state = await saveOrganisation(dir, 'woodgrove', organisationFor(policyOf('woodgrove-onprem')));
    const json = await run('plan', file, '--backend', 'simulator', '--state', state, '--format', 'json');
    expect(json.code).toBe(1);
    expect(json.stdout.split('\n')[0]).toContain('"backend": "backend: simulator');
    const doc = JSON.parse(json.stdout) as { resources: { kind: string; changes: { cmdlet: string }[] }[] };
    const service = doc.resources.find((r) => r.kind === 'ProtocolService' && r.changes.some((c) => c.cmdlet === 'Start-Service'));
    expect(service?.changes.map((c) => c.cmdlet)).toEqual(['Set-Service', 'Set-Service', 'Start-Service']);
    const md = await run('plan', file, '--backend', 'simulator', '--state', state, '--format', 'markdown');
    expect(md.stdout.split('\n')[0]).toBe(`backend: simulator (state: ${state})`);
    expect(md.stdout).toContain('### PopSettings `ex01-pop3-settings`');
  });

  it('an invalid document: FILE:LINE:COL and exit 2, nothing read', async () => {
    const file = path.join(dir, 'bad.mailpolicy.yaml');
    fs.writeFileSync(file, 'apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: bad }\ntarget: { platform: exchangeOnline, cloud: worldwide, organization: x.onmicrosoft.com }\ntransportConfig:\n  allowLegacyTlsClient: true\n');
    const result = await run('plan', file, '--backend', 'simulator', '--state', path.join(dir, 'none.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:3: .*allowLegacyTLSClients`));
  });

  it('a missing simulator state: exit 2 with the reason, after the backend line', async () => {
    const missing = path.join(dir, 'missing.json');
    const result = await run('plan', exampleFile('contoso-worldwide'), '--backend', 'simulator', '--state', missing);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`backend: simulator (state: ${missing})\nmailpolicy plan: ${missing}: no such simulator state`);
  });

  it('a worldwide document for an organisation really in GCC High: refused at plan time (exit 2), before legacy TLS is even planned', async () => {
    const policy = policyOf('contoso-worldwide');
    const gcc = organisationFor({ ...policy, target: { ...policy.target, cloud: 'gccHigh' } });
    const state = await saveOrganisation(dir, 'really-gcchigh', gcc);
    const result = await run('plan', exampleFile('contoso-worldwide'), '--backend', 'simulator', '--state', state);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('wrong organisation: the document targets the worldwide cloud, but contoso.onmicrosoft.com is in the gccHigh cloud');
  });

  it('--state is required with the simulator', async () => {
    const result = await run('plan', exampleFile('contoso-worldwide'), '--backend', 'simulator');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--state PATH is required');
  });
});
