/**
 * Secrets and the PowerShell child, through the built CLI as a process, the real runner and the
 * stand-in pwsh (which records the environment it was started with): the secret-bearing
 * variables of the CLI's own environment never reach the child, and a secret too short to be
 * redacted safely is refused before anything starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess, type CliProcessRun } from '../cli/cli-process';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import { MIN_SECRET_LENGTH } from '../../src/exchange/redact';
import { openStandIn, TOKEN } from './stand-in';
import { tempDir, writeOrg } from '../simulator/helpers';

const ONLINE = path.resolve(__dirname, '../fixtures/drift/online.mailpolicy.yaml');

/** The CLI through the PowerShell backend and the stand-in pwsh. */
function mailpolicy(args: readonly string[], env: Record<string, string>): CliProcessRun {
  return runCliProcess([...args, '--backend', 'powershell', '--pwsh', STAND_IN_PWSH], { env });
}

/** The environments the stand-in recorded, one per process it ran as. */
function childEnvironments(log: string): Record<string, string>[] {
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('env '))
    .map((line) => JSON.parse(line.slice('env '.length)) as Record<string, string>);
}

describe('the environment of the PowerShell child', () => {
  it('holds none of the secret-bearing variables of the CLI, nor any variable carrying the connection’s secret', () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 3 });
    const log = path.join(tempDir(), 'stand-in.log');
    const secrets = {
      MAILPOLICY_ACCESS_TOKEN: TOKEN,
      MAILPOLICY_CERTIFICATE_PASSWORD: 'pfx-Passw0rd-for-the-test',
      MAILPOLICY_REMOTING_PASSWORD: 'remoting-Passw0rd-for-the-test',
      PULUMI_CONFIG_PASSPHRASE: 'stack-passphrase-for-the-test',
      PULUMI_CONFIG_PASSPHRASE_FILE: '/run/secrets/passphrase-for-the-test',
      PULUMI_ACCESS_TOKEN: 'pul-0123456789abcdef-for-the-test',
      GITHUB_TOKEN: 'ghs_for-the-test-0123456789',
      SYSTEM_ACCESSTOKEN: 'azure-devops-token-for-the-test',
      // Someone's copy of the token under another name: recognised by its value.
      MY_EXCHANGE_TOKEN_COPY: `Bearer ${TOKEN}`,
    };
    const run = mailpolicy(['plan', ONLINE], { ...standInEnv(state, { switches: { LOG: log } }), ...secrets });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);

    const environments = childEnvironments(log);
    expect(environments).toHaveLength(1);
    const env = environments[0] as Record<string, string>;
    // The child did get its ordinary environment.
    expect(env.MAILPOLICY_STANDIN_STATE).toBe(state);
    expect(env.PATH).toBe(process.env.PATH);
    for (const [name, value] of Object.entries(secrets)) {
      expect(Object.keys(env), name).not.toContain(name);
      expect(JSON.stringify(env), name).not.toContain(value);
    }
  });

  it('the runner strips them from extra environment it is given, too', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const log = path.join(tempDir(), 'stand-in.log');
    const backend = openStandIn({ state, switches: { LOG: log }, env: { PULUMI_CONFIG_PASSPHRASE: 'given-as-extra-env', MAILPOLICY_ACCESS_TOKEN: TOKEN } });
    try {
      await backend.connection();
    } finally {
      await backend.close();
    }
    const env = childEnvironments(log)[0] as Record<string, string>;
    expect(env.PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
    expect(env.MAILPOLICY_ACCESS_TOKEN).toBeUndefined();
  });
});

describe('the Exchange Server remoting credential (--remoting-user, $MAILPOLICY_REMOTING_PASSWORD)', () => {
  const ONPREM = path.resolve(__dirname, '../fixtures/drift/onprem.mailpolicy.yaml');
  const PASSWORD = 'R3m0t1ng-Passw0rd-for-the-test';
  const onPrem = (extra: readonly string[], env: Record<string, string>, log: string) => {
    const state = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'], mailboxes: 1 });
    return mailpolicy(['drift', ONPREM, '--connection-uri', 'http://ex01.woodgrove.com/PowerShell/', ...extra], { ...standInEnv(state, { switches: { LOG: log } }), ...env });
  };

  it('is accepted with --authentication; the password reaches neither the output nor the child\'s environment or arguments', () => {
    const log = path.join(tempDir(), 'stand-in.log');
    const run = onPrem(['--remoting-user', 'WOODGROVE\\svc-mailpolicy', '--authentication', 'Negotiate'], { MAILPOLICY_REMOTING_PASSWORD: PASSWORD }, log);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('R3m0t1ng');
    const env = childEnvironments(log)[0] as Record<string, string>;
    expect(env.MAILPOLICY_STANDIN_STATE).toBeDefined();
    expect(JSON.stringify(env)).not.toContain('R3m0t1ng');
    for (const line of fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('argv '))) expect(line).not.toContain('R3m0t1ng');
  });

  it('--remoting-user without its password, a password too short, or --authentication outside the offered ones: exit 2, the reason first, no stack trace, no child started', () => {
    const log = path.join(tempDir(), 'stand-in.log');
    const cases: [readonly string[], Record<string, string>, string][] = [
      [['--remoting-user', 'WOODGROVE\\svc'], {}, 'mailpolicy: --remoting-user needs its password in $MAILPOLICY_REMOTING_PASSWORD'],
      [['--remoting-user', 'WOODGROVE\\svc'], { MAILPOLICY_REMOTING_PASSWORD: 'short' }, `mailpolicy: $MAILPOLICY_REMOTING_PASSWORD is shorter than ${MIN_SECRET_LENGTH} characters`],
      [['--authentication', 'Basic'], {}, 'Basic'],
    ];
    for (const [extra, env, message] of cases) {
      const run = onPrem(extra, env, log);
      expect(run.status, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toContain(message);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
    expect(fs.existsSync(log)).toBe(false);
  });
});

describe('secrets too short to redact', () => {
  const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);

  it(`the CLI refuses a ${MIN_SECRET_LENGTH - 1}-character access token or certificate password: exit 2, one line, no child started`, () => {
    expect(MIN_SECRET_LENGTH).toBeGreaterThanOrEqual(8);
    const state = writeOrg({ platform: 'exchangeOnline' });
    const log = path.join(tempDir(), 'stand-in.log');
    for (const variable of ['MAILPOLICY_ACCESS_TOKEN', 'MAILPOLICY_CERTIFICATE_PASSWORD']) {
      const env = { ...standInEnv(state, { switches: { LOG: log } }), MAILPOLICY_ACCESS_TOKEN: TOKEN, [variable]: short };
      const run = mailpolicy(['plan', ONLINE], env);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `mailpolicy: $${variable} is shorter than ${MIN_SECRET_LENGTH} characters: a secret that short cannot be redacted from messages without mangling them and giving it away; use a longer one\n`,
      );
      expect(run.status).toBe(2);
    }
    expect(fs.existsSync(log)).toBe(false);
  });

  it('the runner refuses one in its settings before starting a process', () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    expect(() => openStandIn({ state, accessToken: short } as Parameters<typeof openStandIn>[0])).toThrow(
      `accessToken is shorter than ${MIN_SECRET_LENGTH} characters: a secret that short cannot be redacted from messages without mangling them and giving it away; use a longer one`,
    );
  });
});
