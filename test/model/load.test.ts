import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOAD_LIMITS } from '../../src/model/limits';
import { formatProblem, loadedOrThrow, loadPolicyFile, loadPolicyFileOrThrow, loadPolicyText, type LoadResult } from '../../src/model/load';
import { EXAMPLE_STACKS } from '../support/example-stacks';

function problems(result: LoadResult): string[] {
  return result.ok ? [] : result.problems.map(formatProblem);
}

const ONLINE = `apiVersion: mailpolicy/v1
kind: MailPolicy
metadata:
  name: test
target:
  platform: exchangeOnline
  cloud: worldwide
  organization: contoso.onmicrosoft.com
`;

/** An on-premises document up to its first server, `EX01`. */
const SERVER_EX01 = `apiVersion: mailpolicy/v1
kind: MailPolicy
metadata: { name: t }
target: { platform: exchangeServer, organization: woodgrove.com }
servers:
  - name: EX01
`;

describe('example stacks', () => {
  for (const name of EXAMPLE_STACKS) {
    it(`${name} validates and names itself after its file`, () => {
      const file = join('stacks', `${name}.mailpolicy.yaml`);
      const policy = loadedOrThrow(loadPolicyFile(file)).policy;
      expect(policy.metadata.name).toBe(name);
    });
  }

  it('contoso-worldwide keeps legacy TLS for the scanner, with a waiver and a mailbox exception', () => {
    const { policy } = loadedOrThrow(loadPolicyFile('stacks/contoso-worldwide.mailpolicy.yaml'));
    expect(policy.target).toEqual({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' });
    expect(policy.transportConfig).toEqual({ allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true });
    expect(policy.authenticationPolicies?.filter((p) => p.default)).toEqual([
      { name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false, default: true },
    ]);
    expect(policy.casMailboxes?.default).toEqual({ popEnabled: false, imapEnabled: false, smtpClientAuthenticationDisabled: null });
    expect(policy.casMailboxes?.exceptions[0]).toEqual({ identities: ['scanner@contoso.com'], smtpClientAuthenticationDisabled: false });
    expect(policy.waivers).toEqual([expect.objectContaining({ rule: 'MP-EXO-002', expires: '2027-03-31' })]);
  });

  it('woodgrove-onprem has two servers with POP3 on 995 SSL and 110 TLS, IMAP4 disabled, and no cloud', () => {
    const { policy } = loadedOrThrow(loadPolicyFile('stacks/woodgrove-onprem.mailpolicy.yaml'));
    expect(policy.target).toEqual({ platform: 'exchangeServer', organization: 'woodgrove.com' });
    expect(policy.servers?.map((s) => s.name)).toEqual(['EX01', 'EX02']);
    for (const server of policy.servers ?? []) {
      expect(server.pop3?.service).toEqual({ startupType: 'Automatic', state: 'Running' });
      expect(server.pop3?.settings?.externalConnectionSettings).toEqual(['mail.woodgrove.com:995:SSL', 'mail.woodgrove.com:110:TLS']);
      expect(server.pop3?.settings?.x509CertificateName).toBe('mail.woodgrove.com');
      expect(server.pop3?.settings?.loginType).toBe('SecureLogin');
      expect(server.imap4).toEqual({ service: { startupType: 'Disabled', state: 'Stopped' } });
    }
  });

  it('fabrikam-gcchigh is strict: no legacy TLS, SMTP AUTH and basic auth off, no exceptions', () => {
    const { policy } = loadedOrThrow(loadPolicyFile('stacks/fabrikam-gcchigh.mailpolicy.yaml'));
    expect(policy.target.cloud).toBe('gccHigh');
    expect(policy.transportConfig).toEqual({ allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true });
    expect(policy.casMailboxes).toEqual({ default: { popEnabled: false, imapEnabled: false, smtpClientAuthenticationDisabled: true }, exceptions: [] });
    expect(policy.waivers).toBeUndefined();
  });

  it('tailspin-21vianet targets the 21Vianet cloud with legacy TLS off', () => {
    const { policy } = loadedOrThrow(loadPolicyFile('stacks/tailspin-21vianet.mailpolicy.yaml'));
    expect(policy.target.cloud).toBe('china21Vianet');
    expect(policy.transportConfig?.allowLegacyTLSClients).toBe(false);
  });

  it('every example starts with the yaml-language-server schema line', async () => {
    const { readFileSync } = await import('node:fs');
    for (const name of EXAMPLE_STACKS) {
      expect(readFileSync(join('stacks', `${name}.mailpolicy.yaml`), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/mailpolicy.schema.json');
    }
  });
});

describe('normalised model', () => {
  it('is deeply frozen', () => {
    const { policy } = loadedOrThrow(loadPolicyFile('stacks/woodgrove-onprem.mailpolicy.yaml'));
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.servers)).toBe(true);
    expect(Object.isFrozen(policy.servers?.[0]?.pop3?.settings?.sslBindings)).toBe(true);
    expect(() => {
      (policy.target as { organization: string }).organization = 'x';
    }).toThrow(TypeError);
  });

  it('keeps absent keys absent and gives casMailboxes an empty exception list', () => {
    const { policy } = loadedOrThrow(loadPolicyText(`${ONLINE}casMailboxes:\n  default:\n    popEnabled: false\n`, 'x.yaml'));
    expect(Object.keys(policy)).toEqual(['apiVersion', 'kind', 'metadata', 'target', 'casMailboxes']);
    expect(policy.casMailboxes).toEqual({ default: { popEnabled: false }, exceptions: [] });
    expect('imapEnabled' in (policy.casMailboxes?.default ?? {})).toBe(false);
  });

  it('normalises timeouts to the form Exchange prints', () => {
    const text = `${SERVER_EX01}    imap4:
      settings:
        authenticatedConnectionTimeout: "0.1:00:00"
        preAuthenticatedConnectionTimeout: "0:05:00"
`;
    const settings = loadedOrThrow(loadPolicyText(text, 'x.yaml')).policy.servers?.[0]?.imap4?.settings;
    expect(settings).toEqual({ authenticatedConnectionTimeout: '01:00:00', preAuthenticatedConnectionTimeout: '00:05:00' });
  });

  it('drops the cloud of nothing and copies no unknown property (such as __proto__) into the model', () => {
    const { policy } = loadedOrThrow(loadPolicyText(ONLINE, 'x.yaml'));
    expect(policy.target.cloud).toBe('worldwide');
    const polluted = loadPolicyText(`${ONLINE}__proto__: { polluted: true }\n`, 'x.yaml');
    expect(problems(polluted)).toEqual(['x.yaml:9:1: unknown top-level key "__proto__"; valid keys here: apiVersion, kind, metadata, target, transportConfig, authenticationPolicies, casMailboxPlans, casMailboxes, servers, waivers']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a wildcard certificate, even one covering the connection hosts (Exchange takes an FQDN there)', () => {
    const text = `${SERVER_EX01}    pop3:
      settings:
        externalConnectionSettings: ["mail.woodgrove.com:995:SSL", "mail.woodgrove.com:110"]
        x509CertificateName: "*.woodgrove.com"
`;
    expect(problems(loadPolicyText(text, 'x.yaml'))).toEqual([expect.stringContaining('"*.woodgrove.com" is a wildcard, which Exchange does not accept here')]);
  });

  it('accepts anchors and aliases within the limits', () => {
    const text = `${SERVER_EX01}    pop3: &pop
      service: { startupType: Automatic, state: Running }
  - name: EX02
    pop3: *pop
`;
    const { policy } = loadedOrThrow(loadPolicyText(text, 'x.yaml'));
    expect(policy.servers?.[1]?.pop3).toEqual({ service: { startupType: 'Automatic', state: 'Running' } });
  });
});

describe('locate', () => {
  const { locate } = loadedOrThrow(loadPolicyFile('stacks/woodgrove-onprem.mailpolicy.yaml'));
  const file = 'stacks/woodgrove-onprem.mailpolicy.yaml';

  it('points at the key of a mapping entry', () => {
    expect(locate('/target/organization')).toEqual({ file, line: 12, column: 3 });
    expect(locate('/servers/0/pop3/settings/loginType')).toEqual({ file, line: 32, column: 9 });
  });

  it('points at the item of a sequence', () => {
    expect(locate('/servers/1')).toEqual({ file, line: 51, column: 5 });
    expect(locate('/servers/0/pop3/settings/sslBindings/1')).toEqual({ file, line: 30, column: 35 });
  });

  it('falls back to the nearest ancestor that exists', () => {
    expect(locate('/servers/0/pop3/settings/maxConnections')).toEqual(locate('/servers/0/pop3/settings'));
    expect(locate('/waivers/0/expires')).toEqual(locate(''));
    expect(locate('')).toEqual({ file, line: 5, column: 1 });
  });
});

describe('hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailpolicy-load-'));

  it(`refuses a file over ${LOAD_LIMITS.maxFileBytes} bytes without reading it all`, () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, `${ONLINE}# ${'x'.repeat(LOAD_LIMITS.maxFileBytes)}\n`);
    expect(problems(loadPolicyFile(path))).toEqual([`${path}:1:1: file is larger than the 1 MiB limit (1048576 bytes)`]);
    expect(problems(loadPolicyText(`# ${'é'.repeat(LOAD_LIMITS.maxFileBytes / 2)}`, 'text.yaml'))).toEqual(['text.yaml:1:1: file is larger than the 1 MiB limit (1048576 bytes)']);
  });

  it('refuses more aliases than the limit', () => {
    const aliases = Array.from({ length: LOAD_LIMITS.maxAliases + 1 }, () => '*a').join(', ');
    const result = loadPolicyText(`${ONLINE}x: &a 1\ny: [${aliases}]\n`, 'x.yaml');
    expect(problems(result)).toEqual([`x.yaml:10:${5 + 4 * LOAD_LIMITS.maxAliases}: more than 1000 aliases: refusing the document (alias/anchor expansion bomb?)`]);
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = `${'['.repeat(LOAD_LIMITS.maxDepth + 1)}${']'.repeat(LOAD_LIMITS.maxDepth + 1)}`;
    expect(problems(loadPolicyText(`${ONLINE}x: ${deep}\n`, 'x.yaml'))).toEqual([`x.yaml:9:${4 + LOAD_LIMITS.maxDepth - 1}: YAML syntax error: nesting exceeded maxDepth (64)`]);
  });

  it('reads Windows line endings with the same positions', () => {
    const text = `${ONLINE}transportConfig:\n  allowLegacyTlsClient: true\n`.replace(/\n/g, '\r\n');
    expect(problems(loadPolicyText(text, 'crlf.yaml'))).toEqual(['crlf.yaml:10:3: transportConfig: unknown key "allowLegacyTlsClient" (did you mean "allowLegacyTLSClients"?)']);
  });

  it('drops a UTF-8 byte order mark', () => {
    expect(problems(loadPolicyText(`\uFEFF${ONLINE}`, 'x.yaml'))).toEqual([]);
    const path = join(dir, 'bom.yaml');
    writeFileSync(path, `\uFEFF${ONLINE}`);
    expect(loadPolicyFile(path).ok).toBe(true);
  });

  it('counts columns of the first line after a byte order mark from the first character, read from text or file', () => {
    const text = `\uFEFF{ apiVersion: mailpolicy/v2, kind: MailPolicy }\n`;
    const path = join(dir, 'bom-line-one.yaml');
    writeFileSync(path, text);
    const expected = (file: string): string[] => [
      `${file}:1:1: missing required top-level key "metadata"`,
      `${file}:1:1: missing required top-level key "target"`,
      `${file}:1:3: apiVersion: must be "mailpolicy/v1", got the string "mailpolicy/v2"`,
    ];
    expect(problems(loadPolicyText(text, 'bom.yaml'))).toEqual(expected('bom.yaml'));
    expect(problems(loadPolicyFile(path))).toEqual(expected(path));
  });

  it('reports a file it cannot read as unreadable, without a position', () => {
    const missing = loadPolicyFile(join(dir, 'missing.yaml'));
    expect(missing).toEqual({ ok: false, unreadable: true, problems: [{ file: join(dir, 'missing.yaml'), line: 0, column: 0, message: 'cannot read file: no such file or directory' }] });
    expect(problems(missing)).toEqual([`${join(dir, 'missing.yaml')}: cannot read file: no such file or directory`]);
    expect(problems(loadPolicyFile(dir))).toEqual([`${dir}: cannot read file: is a directory`]);
  });
});

describe('loadPolicyFileOrThrow', () => {
  it('returns the loaded document of a valid file', () => {
    expect(loadPolicyFileOrThrow(join('stacks', 'fabrikam-gcchigh.mailpolicy.yaml')).policy.target.cloud).toBe('gccHigh');
  });

  it('throws every problem as FILE:LINE:COL', () => {
    const file = join('test', 'fixtures', 'invalid', 'authentication-policy-two-defaults.yaml');
    expect(() => loadPolicyFileOrThrow(file)).toThrow(`${file}:15:5: authenticationPolicies[1].default: only one authentication policy can be the default; "Block Basic Auth" (line 12) already is`);
  });
});
