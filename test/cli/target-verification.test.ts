/**
 * Before any read or write, the organisation and the cloud are read from Exchange and compared
 * with the document (or, for export, with --organization and --cloud): through the built CLI as a
 * process, with the simulator backend and with the PowerShell backend (the real runner and the
 * stand-in pwsh). A mismatch is exit 2 with one clear line, and nothing is read beyond the
 * check or written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess, type CliProcessRun } from './cli-process';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import type { Cloud, Platform } from '../../src/model/types';
import type { SimulatorState } from '../../src/simulator/state';
import { TOKEN } from '../exchange/stand-in';
import { tempDir, writeOrg } from '../simulator/helpers';

/** Through the PowerShell backend, the stand-in pwsh serving `state`; `log` records what it received. */
function viaPowerShell(args: readonly string[], state: string, log: string): CliProcessRun {
  return runCliProcess([...args, '--backend', 'powershell', '--pwsh', STAND_IN_PWSH], { env: { ...standInEnv(state, { switches: { LOG: log } }), MAILPOLICY_ACCESS_TOKEN: TOKEN } });
}

interface DocTarget {
  readonly platform: Platform;
  readonly cloud?: Cloud;
  readonly organization: string;
}

/** A small document for `target` that changes something in a fresh organisation. */
function documentFor(target: DocTarget): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  const lines = [
    'apiVersion: mailpolicy/v1',
    'kind: MailPolicy',
    'metadata: { name: verify }',
    `target: { platform: ${target.platform}${target.cloud ? `, cloud: ${target.cloud}` : ''}, organization: ${target.organization} }`,
    // Compliant in every cloud, so no rule stops `apply` before the organisation check.
    'casMailboxes: { default: { popEnabled: false }, exceptions: [] }',
  ];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function state(file: string): SimulatorState {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SimulatorState;
}

/** The cmdlets the stand-in was asked to run, in order (connect requests included). */
function cmdletsReceived(log: string): string[] {
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('request '))
    .map((l) => String((JSON.parse(l.slice('request '.length)) as { cmdlet?: string }).cmdlet));
}

describe('simulator backend: the cloud and the organisation of the document against the simulated one', () => {
  it.each<[string, Cloud, Cloud]>([
    ['worldwide document, GCC High organisation', 'worldwide', 'gccHigh'],
    ['worldwide document, GCC organisation (the simulator knows its cloud)', 'worldwide', 'gcc'],
    ['GCC document, worldwide organisation', 'gcc', 'worldwide'],
  ])('%s: plan, drift and apply exit 2 naming both clouds; nothing written', (_name, documentCloud, organisationCloud) => {
    const org = writeOrg({ platform: 'exchangeOnline', cloud: organisationCloud, mailboxes: 2 });
    const doc = documentFor({ platform: 'exchangeOnline', cloud: documentCloud, organization: 'contoso.onmicrosoft.com' });
    const before = fs.readFileSync(org, 'utf8');
    for (const command of ['plan', 'drift', 'apply']) {
      const run = runCliProcess([command, doc, '--state', org]);
      expect(run.stdout, command).toBe('');
      expect(run.stderr, command).toBe(
        `backend: simulator (state: ${org})\nmailpolicy ${command}: wrong organisation: the document targets the ${documentCloud} cloud, but contoso.onmicrosoft.com is in the ${organisationCloud} cloud\n`,
      );
      expect(run.status, command).toBe(2);
    }
    expect(fs.readFileSync(org, 'utf8')).toBe(before);
  });

  it('another organisation: exit 2 naming the accepted domains, nothing written', () => {
    const org = writeOrg({ platform: 'exchangeOnline', organization: 'fabrikam.onmicrosoft.com' });
    const doc = documentFor({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' });
    const run = runCliProcess(['apply', doc, '--state', org]);
    expect(run.stderr).toBe(
      `backend: simulator (state: ${org})\nmailpolicy apply: wrong organisation: the document targets contoso.onmicrosoft.com, which is not an accepted domain of the connected organisation (accepted domains: fabrikam.onmicrosoft.com)\n`,
    );
    expect(run.status).toBe(2);
    expect(state(org).writes).toBeUndefined();
  });

  it('another platform: exit 2 before anything is read', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'contoso.onmicrosoft.com' });
    const doc = documentFor({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' });
    const run = runCliProcess(['plan', doc, '--state', org]);
    expect(run.stderr).toContain('mailpolicy plan: wrong organisation: the document targets exchangeOnline, but the connected organisation is exchangeServer\n');
    expect(run.status).toBe(2);
  });

  it('a document naming any accepted domain of the organisation (case-insensitively) is its organisation', () => {
    const org = writeOrg({ platform: 'exchangeOnline', organization: 'contoso.onmicrosoft.com', mailboxes: 2 }, (s) => {
      s.organization.acceptedDomains = ['contoso.onmicrosoft.com', 'Contoso.com'];
    });
    const doc = documentFor({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.COM' });
    const run = runCliProcess(['apply', doc, '--state', org]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(state(org).writes).toEqual({ 'Set-CASMailbox': 2 });
  });

  it('export checks --organization and --cloud when given; nothing is written on a mismatch', () => {
    const org = writeOrg({ platform: 'exchangeOnline', cloud: 'gccHigh', organization: 'fabrikam.onmicrosoft.us' });
    const dir = tempDir();
    const out = path.join(dir, 'exported.yaml');
    const wrongOrg = runCliProcess(['export', '--state', org, '--organization', 'contoso.onmicrosoft.com', '--output', out]);
    expect(wrongOrg.stderr).toBe(
      `backend: simulator (state: ${org})\nmailpolicy export: wrong organisation: --organization names contoso.onmicrosoft.com, which is not an accepted domain of the connected organisation (accepted domains: fabrikam.onmicrosoft.us)\n`,
    );
    expect(wrongOrg.status).toBe(2);
    const wrongCloud = runCliProcess(['export', '--state', org, '--cloud', 'worldwide', '--output', out]);
    expect(wrongCloud.stderr).toBe(`backend: simulator (state: ${org})\nmailpolicy export: wrong organisation: --cloud names the worldwide cloud, but fabrikam.onmicrosoft.us is in the gccHigh cloud\n`);
    expect(wrongCloud.status).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
    const right = runCliProcess(['export', '--state', org, '--organization', 'FABRIKAM.onmicrosoft.us', '--cloud', 'gccHigh', '--output', out]);
    expect(right.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('cloud: gccHigh');
  });
});

describe('PowerShell backend: the organisation is read from Exchange, not taken from the document', () => {
  it('an Exchange Server document for woodgrove.com against fabrikam.com: apply exits 2 after Get-AcceptedDomain, nothing written', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'fabrikam.com', mailboxes: 3 });
    const doc = documentFor({ platform: 'exchangeServer', organization: 'woodgrove.com' });
    const log = path.join(tempDir(), 'stand-in.log');
    const run = viaPowerShell(['apply', doc, '--connection-uri', 'http://ex01.woodgrove.com/PowerShell/'], org, log);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `backend: powershell (Exchange Server http://ex01.woodgrove.com/PowerShell/, organization: woodgrove.com, pwsh: ${STAND_IN_PWSH})\nmailpolicy apply: wrong organisation: the document targets woodgrove.com, which is not an accepted domain of the connected organisation (accepted domains: fabrikam.com)\n`,
    );
    expect(run.status).toBe(2);
    expect(cmdletsReceived(log)).toEqual(['New-PSSession', 'Get-AcceptedDomain']);
    expect(state(org).writes).toBeUndefined();
  });

  it('export of an Exchange Server organisation checks --organization against its accepted domains', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'fabrikam.com', mailboxes: 3 });
    const dir = tempDir();
    const log = path.join(dir, 'stand-in.log');
    const out = path.join(dir, 'exported.yaml');
    const run = viaPowerShell(['export', '--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--connection-uri', 'http://ex01.woodgrove.com/PowerShell/', '--output', out], org, log);
    expect(run.stderr).toContain('mailpolicy export: wrong organisation: --organization names woodgrove.com, which is not an accepted domain of the connected organisation (accepted domains: fabrikam.com)\n');
    expect(run.status).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    expect(cmdletsReceived(log)).toEqual(['New-PSSession', 'Get-AcceptedDomain']);
  });

  it('Exchange Online: the tenant and its cloud are checked (Get-AcceptedDomain, Get-ConnectionInformation) before the first read', () => {
    const org = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 });
    const doc = documentFor({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' });
    const log = path.join(tempDir(), 'stand-in.log');
    const run = viaPowerShell(['plan', doc], org, log);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(cmdletsReceived(log).slice(0, 4)).toEqual(['Connect-ExchangeOnline', 'Get-ConnectionInformation', 'Get-AcceptedDomain', 'Get-EXOCasMailbox']);
  });
});

describe('the schema on target.cloud', () => {
  it('no longer invites a GCC tenant to call itself worldwide', () => {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schema/mailpolicy.schema.json'), 'utf8')) as { properties: { target: { properties: { cloud: { description: string } } } } };
    const description = schema.properties.target.properties.cloud.description;
    expect(description).not.toMatch(/worldwide \([^)]*GCC/);
    expect(description).toContain('worldwide (commercial tenants only');
    expect(description).toContain('a GCC tenant is gcc, never worldwide');
  });
});
