/** `mailpolicy validate`: in-process through main() with real files, and once as a real process. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';
import { validateCommand } from '../../src/cli/commands/validate';
import { EXAMPLE_STACKS } from '../support/example-stacks';
import { runCli, type CliRun } from './run-cli';

const STACKS = EXAMPLE_STACKS.map((n) => join('stacks', `${n}.mailpolicy.yaml`));
const INVALID = join('test', 'fixtures', 'invalid', 'unknown-key-did-you-mean.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'mailpolicy-validate-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const validate = (...args: string[]): Promise<CliRun> => runCli(['validate', ...args], [validateCommand]);

describe('mailpolicy validate', () => {
  it('exit 0 and one "FILE: valid" line per valid file', async () => {
    const r = await validate(...STACKS);
    expect(r).toEqual({ code: 0, stdout: STACKS.map((f) => `${f}: valid\n`).join(''), stderr: '' });
  });

  it('exit 1 with every problem on stderr as FILE:LINE:COL: message; valid files still reported', async () => {
    const r = await validate(STACKS[0] as string, INVALID);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${STACKS[0]}: valid\n`);
    expect(r.stderr).toBe(`${INVALID}:11:3: transportConfig: unknown key "allowLegacyTlsClient" (did you mean "allowLegacyTLSClients"?)\n`);
  });

  it('exit 2 when a file cannot be read, even beside an invalid one', async () => {
    const missing = join(tmp, 'missing.yaml');
    const r = await validate(INVALID, missing, STACKS[1] as string);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${missing}: cannot read file: no such file or directory\n`);
    expect(r.stdout).toBe(`${STACKS[1]}: valid\n`);
  });

  it('exit 2 on a file without read permission', async () => {
    const locked = join(tmp, 'locked.yaml');
    writeFileSync(locked, 'x: 1\n');
    chmodSync(locked, 0o000);
    const r = await validate(locked);
    // root reads anything: then the document itself is what is wrong.
    expect(r.code).toBe(process.getuid?.() === 0 ? 1 : 2);
  });

  it('exit 2 on usage errors: no file, unknown option, unknown format', async () => {
    expect((await validate()).code).toBe(2);
    expect((await validate('--nope', STACKS[0] as string)).code).toBe(2);
    const r = await validate('--format', 'xml', STACKS[0] as string);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mailpolicy: unknown --format "xml" (choose one of text, json)\n(run with --help for usage)\n');
  });

  it('--format json prints one array of {file, valid, problems} on stdout', async () => {
    const r = await validate('--format', 'json', STACKS[0] as string, INVALID);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      { file: STACKS[0], valid: true, problems: [] },
      {
        file: INVALID,
        valid: false,
        problems: [{ file: INVALID, line: 11, column: 3, message: 'transportConfig: unknown key "allowLegacyTlsClient" (did you mean "allowLegacyTLSClients"?)' }],
      },
    ]);
  });

  it('--help describes the command and its exit status', async () => {
    const r = await validate('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: mailpolicy validate [options] <file...>');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('exit 0 all valid, 1 a document is invalid, 2 a file cannot be read or usage error');
  });

  it('runs as a real process through bin/mailpolicy.js (after npm run build)', () => {
    const run = (...args: string[]) => runCliProcess(['validate', ...args]);
    const ok = run(STACKS[3] as string);
    expect({ status: ok.status, stdout: ok.stdout, stderr: ok.stderr }).toEqual({ status: 0, stdout: `${STACKS[3]}: valid\n`, stderr: '' });
    const bad = run(join('test', 'fixtures', 'invalid', 'not-utf8-latin1.yaml'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('test/fixtures/invalid/not-utf8-latin1.yaml:6:19: file is not valid UTF-8: byte 0xE9 cannot start or continue a character\n');
  });

  it('refuses control characters in an identity, as a real process: the CI commands it carries never reach the log as lines of their own', () => {
    const fixture = join('test', 'fixtures', 'invalid', 'mailbox-identity-injects-ci-commands.yaml');
    const r = runCliProcess(['validate', fixture]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${fixture.replace(/[.]/g, '\\.')}:13:20: casMailboxes\\.exceptions\\[0\\]\\.identities\\[0\\]: must not contain control characters`));
    expect(r.stderr).not.toMatch(/^(##vso|::error)/m);
  });

  it('refuses a wildcard certificate name for POP3/IMAP4, as a real process, saying why', () => {
    const fixture = join('test', 'fixtures', 'invalid', 'certificate-wildcard.yaml');
    const r = runCliProcess(['validate', fixture]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${fixture}:14:9: servers[0].pop3.settings.x509CertificateName: "*.woodgrove.com" is a wildcard, which Exchange does not accept here: it takes the FQDN from the ExternalConnectionSettings or InternalConnectionSettings, and a wildcard certificate must not be assigned to POP or IMAP; name one of the hosts (mail.woodgrove.com)\n`,
    );
  });

  it('refuses calendarItemRetrievalOption Custom without owaServerUrl, as a real process (Set-PopSettings / Set-ImapSettings need both)', () => {
    const fixture = join('test', 'fixtures', 'invalid', 'calendar-custom-without-owa-url.yaml');
    const r = runCliProcess(['validate', fixture]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${fixture}:13:9: servers[0].imap4.settings.calendarItemRetrievalOption: Custom presents calendar items as links to owaServerUrl, which this block does not declare: add owaServerUrl (Set-ImapSettings needs -OwaServerUrl with Custom), or choose iCalendar, IntranetUrl or InternetUrl\n`,
    );
  });

  it('refuses states Exchange cannot be in, as a real process: a Disabled service Running, legacy TLS in a US government cloud', () => {
    const fixture = (name: string) => join('test', 'fixtures', 'invalid', `${name}.yaml`);
    const r = runCliProcess(['validate', fixture('service-running-but-disabled'), fixture('legacy-tls-in-government-cloud')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      `${fixture('service-running-but-disabled')}:14:9: servers[0].imap4.service.state: Running is impossible with startupType Disabled: Windows does not start a disabled service; use startupType Automatic (or Manual) to run it, or state Stopped`,
      `${fixture('legacy-tls-in-government-cloud')}:11:3: transportConfig.allowLegacyTLSClients: must not be true for target.cloud dod: the legacy TLS endpoints do not exist in GCC, GCC High or DoD and legacy TLS is always off there`,
      '',
    ]);
  });
});
