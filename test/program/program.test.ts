/**
 * The compiled Pulumi program under pulumi.runtime.setMocks, one plain Node process per stack
 * (test/program/mocked-program.js), with each example stack's own config file: the resource
 * graph it declares, the dependencies between resources, and the stack outputs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { providerShimText } from '../../providers/shim';
import { typeToken, type ResourceKind } from '../../providers/resource-types';
import { assertBuilt, ROOT } from '../providers/provider-plugin';
import { EXAMPLE_STACKS } from '../reconcile/simulated';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

interface ProgramRun {
  readonly resources?: readonly Registered[];
  readonly dependencies?: Record<string, string[]>;
  readonly outputs?: {
    organisation: Record<string, string>;
    clientEndpoints: { protocol: string; server: string; port: number; encryption: string; legacy: boolean }[];
    managedResources: { kind: string; name: string; type: string }[];
  };
  readonly error?: { name: string; message: string };
}

function stackConfig(stack: string): Record<string, string> {
  const file = load(fs.readFileSync(path.join(ROOT, 'stacks', `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, string> };
  return file.config;
}

function runProgram(stack: string, config: Record<string, string>, secretKeys: string[] = []): ProgramRun & { stderr: string } {
  const args = [path.join(__dirname, 'mocked-program.js'), stack, JSON.stringify(config), JSON.stringify(secretKeys)];
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`mocked program failed: ${child.stderr}`);
  return { ...(JSON.parse(child.stdout) as ProgramRun), stderr: child.stderr };
}

const token = (kind: ResourceKind): string => typeToken(kind);

/** Expected graph per example: [type, name, names it depends on]. */
const EXPECTED: Record<(typeof EXAMPLE_STACKS)[number], [ResourceKind, string, string[]][]> = {
  'contoso-worldwide': [
    ['TransportConfig', 'transport-config', []],
    ['AuthenticationPolicy', 'auth-policy-block-basic-auth', []],
    ['CasMailboxPlan', 'cas-mailbox-plan-exchangeonlineenterprise', []],
    ['CasMailboxPlan', 'cas-mailbox-plan-exchangeonline', []],
    ['CasMailboxProtocol', 'cas-mailboxes', []],
  ],
  'fabrikam-gcchigh': [
    ['TransportConfig', 'transport-config', []],
    ['AuthenticationPolicy', 'auth-policy-block-all-basic-auth', []],
    ['CasMailboxPlan', 'cas-mailbox-plan-exchangeonlineenterprise', []],
    ['CasMailboxPlan', 'cas-mailbox-plan-exchangeonline', []],
    ['CasMailboxPlan', 'cas-mailbox-plan-exchangeonlinedeskless', []],
    ['CasMailboxProtocol', 'cas-mailboxes', []],
  ],
  'tailspin-21vianet': [
    ['TransportConfig', 'transport-config', []],
    ['AuthenticationPolicy', 'auth-policy-block-basic-auth', []],
    ['CasMailboxPlan', 'cas-mailbox-plan-exchangeonlineenterprise', []],
    ['CasMailboxProtocol', 'cas-mailboxes', []],
  ],
  'woodgrove-onprem': [
    // The example assigns an Exchange Server authentication policy (issue 14).
    ['AuthenticationPolicy', 'auth-policy-block-legacy-pop-and-imap', []],
    ['PopSettings', 'ex01-pop3-settings', []],
    ['ProtocolService', 'ex01-pop3-service', ['ex01-pop3-settings']],
    ['ProtocolService', 'ex01-imap4-service', []],
    ['ReceiveConnector', 'ex01-client-frontend', []],
    ['PopSettings', 'ex02-pop3-settings', []],
    ['ProtocolService', 'ex02-pop3-service', ['ex02-pop3-settings']],
    ['ProtocolService', 'ex02-imap4-service', []],
    ['ReceiveConnector', 'ex02-client-frontend', []],
    ['CasMailboxProtocol', 'cas-mailboxes', []],
  ],
};

beforeAll(() => assertBuilt());

describe.each(EXAMPLE_STACKS)('stack %s', (stack) => {
  let run: ProgramRun;
  beforeAll(() => {
    run = runProgram(stack, stackConfig(stack));
  });

  it('declares one resource per managed part, with the dependency of each restart on its settings', () => {
    expect(run.error).toBeUndefined();
    const graph = EXPECTED[stack].map(([kind, name, deps]) => [token(kind), name, deps]);
    const registered = (run.resources ?? []).map((r) => [r.type, r.name, run.dependencies?.[r.name] ?? []]);
    expect(registered).toEqual(expect.arrayContaining(graph));
    expect(registered).toHaveLength(graph.length);
  });

  it('sends the hand-written shim as __provider and the document as inputs, nothing secret', () => {
    expect(run.resources?.length).toBeGreaterThan(0);
    for (const r of run.resources ?? []) {
      const kind = r.type.split(':').pop() as ResourceKind;
      expect(r.inputs.__provider).toBe(providerShimText(kind));
      expect(r.inputs.target).toMatchObject({ organization: expect.any(String) });
      expect(JSON.stringify(r.inputs)).not.toMatch(/password|secret/i);
    }
  });

  it('exports the organisation, its client endpoints and the managed resources', () => {
    const outputs = run.outputs;
    expect(outputs?.organisation.name).toBe(stack);
    expect(outputs?.organisation.policyFile).toBe(`stacks/${stack}.mailpolicy.yaml`);
    expect(outputs?.managedResources.map((r) => r.name)).toEqual(EXPECTED[stack].map(([, name]) => name));
    expect(outputs?.clientEndpoints.length).toBeGreaterThan(0);
  });
});

describe('wiring and outputs in detail', () => {
  it('each POP3 service takes its own settings resource change id as input', () => {
    const run = runProgram('woodgrove-onprem', stackConfig('woodgrove-onprem'));
    const service = run.resources?.find((r) => r.name === 'ex02-pop3-service');
    expect(service?.inputs).toMatchObject({ server: 'EX02', protocol: 'pop3', service: { startupType: 'Automatic', state: 'Running' }, settingsChangeId: 'change-of-ex02-pop3-settings' });
    const imap = run.resources?.find((r) => r.name === 'ex02-imap4-service');
    expect(imap, 'the IMAP4 service resource').toBeDefined();
    expect(imap?.inputs).not.toHaveProperty('settingsChangeId');
  });

  it('a POP3 service also restarts for the certificates assigned to POP: their change ids joined with the settings\' as its input', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-program-'));
    const document = path.join(dir, 'certificates.mailpolicy.yaml');
    const pop = (thumbprint: string) => `{ thumbprint: ${thumbprint}, services: [POP, SMTP] }`;
    fs.writeFileSync(
      document,
      [
        'apiVersion: mailpolicy/v1',
        'kind: MailPolicy',
        'metadata: { name: woodgrove-onprem }',
        'target: { platform: exchangeServer, organization: woodgrove.com }',
        'servers:',
        '  - name: EX01',
        `    certificates: [${pop('A'.repeat(40))}, { thumbprint: ${'B'.repeat(40)}, services: [IIS] }]`,
        '    pop3: { service: { state: Running }, settings: { loginType: SecureLogin } }',
        '    imap4: { service: { state: Stopped } }',
        '',
      ].join('\n'),
    );
    const run = runProgram('woodgrove-onprem', { ...stackConfig('woodgrove-onprem'), 'mailpolicy:policyFile': document });
    const certificate = `ex01-certificate-${'a'.repeat(40)}`;
    expect(run.outputs?.managedResources.map((r) => r.name)).toEqual([certificate, `ex01-certificate-${'b'.repeat(40)}`, 'ex01-pop3-settings', 'ex01-pop3-service', 'ex01-imap4-service']);
    const service = run.resources?.find((r) => r.name === 'ex01-pop3-service');
    expect(service?.inputs.settingsChangeId).toBe(`change-of-ex01-pop3-settings+change-of-${certificate}`);
    expect(run.dependencies?.['ex01-pop3-service']).toEqual(['ex01-pop3-settings', certificate]);
    // IMAP4 has no certificate assigned to it: nothing to restart for.
    expect(run.resources?.find((r) => r.name === 'ex01-imap4-service')?.inputs).not.toHaveProperty('settingsChangeId');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a POP3 service with no settings declared still restarts for a certificate assigned to POP', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-program-'));
    const document = path.join(dir, 'service-only.mailpolicy.yaml');
    fs.writeFileSync(
      document,
      [
        'apiVersion: mailpolicy/v1',
        'kind: MailPolicy',
        'metadata: { name: woodgrove-onprem }',
        'target: { platform: exchangeServer, organization: woodgrove.com }',
        'servers:',
        '  - name: EX01',
        `    certificates: [{ thumbprint: ${'A'.repeat(40)}, services: [POP] }]`,
        '    pop3: { service: { startupType: Automatic, state: Running } }',
        '',
      ].join('\n'),
    );
    const run = runProgram('woodgrove-onprem', { ...stackConfig('woodgrove-onprem'), 'mailpolicy:policyFile': document });
    const certificate = `ex01-certificate-${'a'.repeat(40)}`;
    expect(run.resources?.find((r) => r.name === 'ex01-pop3-service')?.inputs.settingsChangeId).toBe(`change-of-${certificate}`);
    expect(run.dependencies?.['ex01-pop3-service']).toEqual([certificate]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('client endpoints follow the cloud and the legacy TLS opt-in', () => {
    const contoso = runProgram('contoso-worldwide', stackConfig('contoso-worldwide')).outputs?.clientEndpoints ?? [];
    expect(contoso).toContainEqual(expect.objectContaining({ protocol: 'SMTP', server: 'smtp.office365.com', port: 587, legacy: false }));
    expect(contoso.some((e) => e.legacy && e.server === 'smtp-legacy.office365.com')).toBe(true);
    const fabrikam = runProgram('fabrikam-gcchigh', stackConfig('fabrikam-gcchigh')).outputs?.clientEndpoints ?? [];
    expect(fabrikam.some((e) => e.legacy)).toBe(false);
    expect(fabrikam).toContainEqual(expect.objectContaining({ protocol: 'POP3', server: 'outlook.office365.us', port: 995 }));
    const woodgrove = runProgram('woodgrove-onprem', stackConfig('woodgrove-onprem')).outputs?.clientEndpoints ?? [];
    expect(woodgrove).toContainEqual(expect.objectContaining({ protocol: 'POP3', server: 'mail.woodgrove.com', port: 110, encryption: 'STARTTLS' }));
    expect(woodgrove).toContainEqual(expect.objectContaining({ protocol: 'SMTP', server: 'mail.woodgrove.com', port: 587, encryption: 'STARTTLS' }));
  });

  it('stack config restoreDefaultsOnDelete becomes every resource\'s input (delete follows the last up, and the preview shows a change); unset is false', () => {
    const run = runProgram('tailspin-21vianet', { ...stackConfig('tailspin-21vianet'), 'mailpolicy:restoreDefaultsOnDelete': 'true' });
    expect(run.resources?.length).toBeGreaterThan(0);
    expect(run.resources?.filter((r) => r.inputs.restoreDefaultsOnDelete !== true)).toEqual([]);
    const unset = runProgram('tailspin-21vianet', stackConfig('tailspin-21vianet'));
    expect(unset.resources?.filter((r) => r.inputs.restoreDefaultsOnDelete !== false)).toEqual([]);
  });

  it('a restoreDefaultsOnDelete that is not a boolean fails the preview', () => {
    const run = runProgram('tailspin-21vianet', { ...stackConfig('tailspin-21vianet'), 'mailpolicy:restoreDefaultsOnDelete': 'yes' });
    expect(run.error).toEqual({ name: 'RunError', message: 'mailpolicy:restoreDefaultsOnDelete must be true or false, not yes' });
  });

  it('a callTimeoutSeconds that is not a whole number of seconds from 1 to 86400 fails the preview', () => {
    const run = runProgram('tailspin-21vianet', { ...stackConfig('tailspin-21vianet'), 'mailpolicy:callTimeoutSeconds': '0' });
    expect(run.error).toEqual({ name: 'RunError', message: 'mailpolicy:callTimeoutSeconds must be a whole number of seconds from 1 to 86400, not 0' });
    expect(runProgram('tailspin-21vianet', { ...stackConfig('tailspin-21vianet'), 'mailpolicy:callTimeoutSeconds': '60' }).error).toBeUndefined();
  });
});

describe('failing cleanly', () => {
  it('an invalid document: every problem as FILE:LINE:COL, then a RunError, no resource', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.mailpolicy-test-'));
    try {
      const file = path.join(dir, 'bad.mailpolicy.yaml');
      fs.writeFileSync(file, 'apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: bad }\ntarget: { platform: exchangeServer, organization: woodgrove.com }\ntransportConfig:\n  allowLegacyTLSClients: yes\n');
      const relative = path.relative(ROOT, file);
      const run = runProgram('bad', { 'mailpolicy:policyFile': relative, 'mailpolicy:simulatorState': 'x.json' });
      expect(run.error).toEqual({ name: 'RunError', message: `${relative}: 2 problem(s) found; nothing was changed` });
      expect(run.stderr).toContain(`${relative}:5:1: transportConfig: valid only for platform exchangeOnline`);
      expect(run.stderr).toContain(`${relative}:6:3: transportConfig.allowLegacyTLSClients: expected true or false`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.resources).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a missing policy file key', { 'mailpolicy:policyFile': undefined }, [], /Missing required configuration variable 'mailpolicy:policyFile'/],
    ['an unknown backend', { 'mailpolicy:backend': 'exchange' }, [], /mailpolicy:backend must be one of simulator, powershell, not exchange/],
    ['the simulator without a state file', { 'mailpolicy:simulatorState': '' }, [], /mailpolicy:simulatorState is required/],
    [
      'a certificate password in plain text',
      { 'mailpolicy:backend': 'powershell', 'mailpolicy:certificatePassword': 'hunter2-hunter2' },
      [],
      /mailpolicy:certificatePassword is stored in plain text: set it with `pulumi config set --secret/,
    ],
    [
      'a certificate password too short to redact',
      { 'mailpolicy:backend': 'powershell', 'mailpolicy:certificatePassword': 'hunter2' },
      ['mailpolicy:certificatePassword'],
      /mailpolicy:certificatePassword is shorter than 8 characters/,
    ],
  ])('%s', (_name, overrides: Record<string, string | undefined>, secretKeys, message) => {
    const config: Record<string, string> = { ...stackConfig('contoso-worldwide') };
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete config[key];
      else config[key] = value;
    }
    const run = runProgram('contoso-worldwide', config, secretKeys);
    expect(run.error?.message).toMatch(message);
    expect(run.error?.message).not.toContain('hunter2');
  });

  it('a certificate password set as a secret is accepted and never reaches resource inputs', () => {
    const config = { ...stackConfig('contoso-worldwide'), 'mailpolicy:backend': 'powershell', 'mailpolicy:certificatePassword': 'hunter2-hunter2' };
    const run = runProgram('contoso-worldwide', config, ['mailpolicy:certificatePassword']);
    expect(run.error).toBeUndefined();
    expect(JSON.stringify(run.resources)).not.toContain('hunter2-hunter2');
    expect(JSON.stringify(run.outputs)).not.toContain('hunter2-hunter2');
  });
});
