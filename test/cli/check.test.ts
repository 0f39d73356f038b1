/** `mailpolicy check` end to end in-process: real files through the real loader, rules and formats. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/commands/check';
import { runCli, type CliRun } from './run-cli';
import { sarifSchemaErrors } from './sarif-schema';

const FIX = 'test/fixtures/check';
const fixture = (name: string) => path.join(FIX, `${name}.mailpolicy.yaml`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-check-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const check = (...args: string[]): Promise<CliRun> => runCli(['check', ...args], [checkCommand]);

describe('mailpolicy check', () => {
  it('exit 0 when nothing is mandatory: advisories and waived findings are printed', async () => {
    const r = await check('--as-of', '2027-01-15', fixture('worldwide-advisories'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${fixture('worldwide-advisories')}:10:3: advisory MP-EXO-002v1: allowLegacyTLSClients is true`);
    expect(r.stdout).toContain(`${fixture('worldwide-advisories')}:17:20: waived MP-EXO-004v1: SMTP AUTH is enabled for mailbox scanner@contoso.com`);
    expect(r.stdout).toContain('applied to 1 finding (reason: scanner on floor 3 cannot do OAuth; replacement ordered (CHG-1234))');
    expect(r.stdout).toMatch(/1 file checked as of 2027-01-15: 0 mandatory violations, 1 advisory, 1 waived\n$/);
  });

  it('MP-EXO-002 in 21Vianet does not claim the MC1293480 retirement, which Microsoft has not confirmed there', async () => {
    const file = path.join(tmp, 'tailspin-legacy.mailpolicy.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: tailspin }\ntarget: { platform: exchangeOnline, cloud: china21Vianet, organization: tailspin.partner.onmschina.cn }\ntransportConfig: { allowLegacyTLSClients: true }\n',
    );
    for (const asOf of ['2026-05-01', '2027-01-15']) {
      const r = await check('--as-of', asOf, file);
      expect(r.code).toBe(0);
      const line = r.stdout.split('\n').find((l) => l.includes('MP-EXO-002')) ?? '';
      expect(line).toContain('pop-legacy/imap-legacy/smtp-legacy.partner.outlook.cn');
      expect(line).toContain('unconfirmed whether the MC1293480 retirement covers 21Vianet');
      expect(line).toContain('no longer supported after 2023-06-30');
      expect(line).not.toMatch(/completes by|blocked since/);
    }
  });

  it('exit 1 on a mandatory violation, at the offending key; a waiver cannot rescue a non-waivable rule', async () => {
    const r = await check('--as-of', '2027-01-15', fixture('gcchigh-smtp-auth'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${fixture('gcchigh-smtp-auth')}:13:3: mandatory MP-EXO-003v1: SMTP AUTH client submission is enabled for the organisation`);
    expect(r.stdout).toContain(`${fixture('gcchigh-smtp-auth')}:15:5: mandatory MP-WVR-002v1: MP-EXO-001 (Legacy TLS opted in for a US government cloud tenant) cannot be waived`);
  });

  // Behaviour changed on purpose (issue 11, item 4): legacy TLS in a US government cloud no longer
  // loads, so check reports it as validate does (exit 2) instead of as rule MP-EXO-001; the rule
  // stays for the policy pack, which judges resource inputs without the loader.
  it('exit 2 for legacy TLS in a US government cloud: the document itself is refused, at the offending key', async () => {
    const r = await check('--as-of', '2027-01-15', fixture('gcchigh-legacy-tls'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${fixture('gcchigh-legacy-tls')}:11:3: transportConfig.allowLegacyTLSClients: must not be true for target.cloud gccHigh: the legacy TLS endpoints do not exist in GCC, GCC High or DoD and legacy TLS is always off there\n`,
    );
    expect(r.stdout).not.toContain('MP-EXO-001v1');
  });

  it('--as-of decides waiver expiry: valid through its day, failing the day after', async () => {
    const onTheDay = await check('--as-of', '2026-12-31', fixture('dod-expired-waiver'));
    expect(onTheDay.code).toBe(0);
    expect(onTheDay.stdout).toContain('waived MP-EXO-004v1: SMTP AUTH is enabled for mailbox relay@agency.mil');
    const after = await check('--as-of', '2027-01-01', fixture('dod-expired-waiver'));
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(`${fixture('dod-expired-waiver')}:14:20: mandatory MP-EXO-004v1`);
    expect(after.stdout).toContain(`${fixture('dod-expired-waiver')}:19:5: mandatory MP-WVR-001v1: waiver for MP-EXO-004 expired on 2026-12-31 (as of 2027-01-01)`);
  });

  it('--as-of changes date-dependent messages', async () => {
    const before = await check('--as-of', '2026-05-01', fixture('worldwide-advisories'));
    expect(before.stdout).toContain('blocking of the POP/IMAP legacy endpoints rolls out from 2026-07');
    const after = await check('--as-of', '2027-05-01', fixture('worldwide-advisories'));
    expect(after.stdout).toContain('blocked since 2026-12-31');
  });

  it('on-premises findings point into the server blocks', async () => {
    const r = await check('--as-of', '2027-01-15', fixture('woodgrove-onprem'));
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').slice(0, 4)).toEqual([
      `${fixture('woodgrove-onprem')}:11:18: advisory MP-SRV-005v1: EX01 POP3: the services are Running but startupType is Manual, so they will not come back after a reboot`,
      `${fixture('woodgrove-onprem')}:11:39: advisory MP-SRV-004v1: EX01 POP3: the service is declared Running but settings.x509CertificateName is not set, so Exchange chooses the certificate (often self-signed)`,
      `${fixture('woodgrove-onprem')}:13:68: mandatory MP-SRV-001v1: EX01 POP3: external connection setting "mail.woodgrove.com:110" has no :SSL or :TLS, so clients outside connect unencrypted`,
      `${fixture('woodgrove-onprem')}:16:9: mandatory MP-SRV-002v1: EX01 POP3: loginType PlainTextLogin accepts passwords in clear text on unencrypted connections`,
    ]);
  });

  it('exit 2 for an invalid document, reported like validate on stderr; the other files are still checked', async () => {
    const r = await check('--as-of', '2027-01-15', fixture('invalid'), fixture('gcchigh-smtp-auth'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${fixture('invalid')}:10:3: transportConfig: unknown key "allowLegacyTlsClient" (did you mean "allowLegacyTLSClients"?)\n`);
    expect(r.stdout).toContain('mandatory MP-EXO-003v1');
    expect(r.stdout).toContain('2 files checked as of 2027-01-15: 1 invalid document, 2 mandatory violations');
  });

  it('exit 2 for an unreadable file, with no stack trace', async () => {
    const r = await check(path.join(tmp, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.yaml: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exit 2 on misuse: unknown format, bad --as-of, no file, unwritable --output', async () => {
    expect(await check('--format', 'xml', fixture('worldwide-advisories'))).toMatchObject({ code: 2, stderr: 'mailpolicy: unknown --format "xml" (choose one of text, json, sarif, github, markdown, junit)\n(run with --help for usage)\n' });
    expect(await check('--as-of', '2027-02-30', fixture('worldwide-advisories'))).toMatchObject({ code: 2, stderr: 'mailpolicy: --as-of "2027-02-30" is not a calendar date YYYY-MM-DD\n' });
    expect((await check()).code).toBe(2);
    const r = await check('--output', path.join(tmp, 'no/such/dir/report.txt'), fixture('worldwide-advisories'));
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/^mailpolicy: cannot write --output .*report\.txt: ENOENT\n$/) });
  });

  it('--format sarif --output: a file that validates against the SARIF 2.1.0 schema, positions from the loader', async () => {
    const out = path.join(tmp, 'check.sarif');
    const r = await check('--as-of', '2027-01-15', '--format', 'sarif', '--output', out, fixture('worldwide-advisories'), fixture('woodgrove-onprem'), fixture('invalid'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const sarif = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: object } }[]; suppressions?: unknown[] }[];
    const waived = results.find((x) => x.ruleId === 'MP-EXO-004')!;
    expect(waived.level).toBe('note');
    expect(waived.suppressions).toHaveLength(1);
    expect(waived.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/check/worldwide-advisories.mailpolicy.yaml' }, region: { startLine: 17, startColumn: 20 } });
    expect(results.filter((x) => x.level === 'error').map((x) => x.ruleId)).toEqual(['MP-SRV-001', 'MP-SRV-002']);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toContain('unknown key "allowLegacyTlsClient"');
  });

  it('--format sarif: columns are UTF-16 code units, as the log declares (an astral character before the finding)', async () => {
    const file = path.join(tmp, 'fax.mailpolicy.yaml');
    const line = '    - identities: ["📠 fax@contoso.com", scanner@contoso.com]';
    const text = fs.readFileSync(fixture('worldwide-advisories'), 'utf8').replace('    - identities: [scanner@contoso.com]', line);
    fs.writeFileSync(file, text);
    const sarif = JSON.parse((await check('--as-of', '2027-01-15', '--format', 'sarif', file)).stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].columnKind).toBe('utf16CodeUnits');
    const scanner = (sarif.runs[0].results as { ruleId: string; properties: { scope?: string }; locations: { physicalLocation: { region: object } }[] }[]).find(
      (r) => r.ruleId === 'MP-EXO-004' && r.properties.scope === 'scanner@contoso.com',
    )!;
    // 📠 is one code point but two UTF-16 code units: 42 counts units, 41 would count code points.
    expect(line.indexOf('scanner@') + 1).toBe(42);
    expect([...line.slice(0, line.indexOf('scanner@'))].length + 1).toBe(41);
    expect(scanner.locations[0].physicalLocation.region).toEqual({ startLine: 17, startColumn: 42 });
  });

  it('--format sarif: the same finding has the same fingerprint whether the file was named relative or absolute', async () => {
    const fingerprints = async (file: string) => {
      const sarif = JSON.parse((await check('--as-of', '2027-01-15', '--format', 'sarif', file)).stdout);
      return (sarif.runs[0].results as { partialFingerprints: object; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[]).map((r) => ({
        uri: r.locations[0].physicalLocation.artifactLocation.uri,
        partialFingerprints: r.partialFingerprints,
      }));
    };
    const relative = await fingerprints(fixture('worldwide-advisories'));
    expect(relative.length).toBe(2);
    expect(relative[0]).toEqual({ uri: 'test/fixtures/check/worldwide-advisories.mailpolicy.yaml', partialFingerprints: { 'mailpolicy/v1': 'MP-EXO-002|test/fixtures/check/worldwide-advisories.mailpolicy.yaml|/transportConfig/allowLegacyTLSClients|' } });
    expect(await fingerprints(path.resolve(fixture('worldwide-advisories')))).toEqual(relative);
    expect(await fingerprints(`./${fixture('worldwide-advisories')}`)).toEqual(relative);
  });

  it('every format writes something for the same files (json, github, markdown, junit)', async () => {
    const files = [fixture('worldwide-advisories'), fixture('gcchigh-smtp-auth')];
    const json = JSON.parse((await check('--as-of', '2027-01-15', '--format', 'json', ...files)).stdout);
    expect(json.summary).toEqual({ files: 2, invalid: 0, violation: 2, advisory: 1, waived: 1 });
    const github = await check('--as-of', '2027-01-15', '--format', 'github', ...files);
    expect(github.code).toBe(1);
    expect(github.stdout).toContain(`::error file=${fixture('gcchigh-smtp-auth')},line=13,col=3,title=MP-EXO-003v1 `);
    expect((await check('--as-of', '2027-01-15', '--format', 'markdown', ...files)).stdout).toContain('**❌ mandatory violations**');
    expect((await check('--as-of', '2027-01-15', '--format', 'junit', ...files)).stdout).toContain('<testsuites name="mailpolicy check" tests="40" failures="2" errors="0">'); // one testcase per rule and file: MP-SRV-007 (issue 14) added one per file
  });

  describe('several documents on one organisation (MP-ORG-001)', () => {
    const doc = (name: string, organization: string, sections: string): string => {
      const file = path.join(tmp, `${name}.mailpolicy.yaml`);
      fs.writeFileSync(
        file,
        `apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: ${name} }\ntarget: { platform: exchangeOnline, cloud: worldwide, organization: ${organization} }\n${sections}`,
      );
      return file;
    };
    const mailboxes = 'casMailboxes:\n  default: { popEnabled: false, imapEnabled: false }\n';
    const transport = 'transportConfig: { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true }\n';

    it('exit 1 when two documents declare the same section of one organisation, reported at each target, in every format', async () => {
      const a = doc('tenant-a', 'contoso.onmicrosoft.com', mailboxes + transport);
      const b = doc('tenant-b', 'Contoso.onmicrosoft.com', mailboxes);
      const r = await check('--as-of', '2027-01-15', a, b);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${a}:4:55: mandatory MP-ORG-001v1: contoso.onmicrosoft.com is also managed by ${b}, which declares casMailboxes too: the two stacks undo each other's changes`);
      expect(r.stdout).toContain(`${b}:4:55: mandatory MP-ORG-001v1: Contoso.onmicrosoft.com is also managed by ${a}, which declares casMailboxes too`);
      const sarif = JSON.parse((await check('--as-of', '2027-01-15', '--format', 'sarif', a, b)).stdout) as { runs: { results: { ruleId: string }[] }[] };
      expect(sarif.runs[0]?.results.filter((x) => x.ruleId === 'MP-ORG-001')).toHaveLength(2);
    });

    it('exit 0 for one organisation split into sections no two documents share, and for two organisations', async () => {
      expect((await check('--as-of', '2027-01-15', doc('split-a', 'contoso.onmicrosoft.com', mailboxes), doc('split-b', 'contoso.onmicrosoft.com', transport))).code).toBe(0);
      expect((await check('--as-of', '2027-01-15', doc('one', 'contoso.onmicrosoft.com', mailboxes), doc('two', 'fabrikam.onmicrosoft.com', mailboxes))).code).toBe(0);
    });
  });
});
