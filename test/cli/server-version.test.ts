/**
 * Exchange Server versions (issue 12, item 7): Exchange Server 2016 and 2019 are out of support
 * since 2025-10-14 and Exchange Server SE is the supported version. The document states the
 * lowest build it expects (`target.minimumServerVersion`); `check` judges that statement
 * (MP-SRV-006), `drift` compares each server's AdminDisplayVersion (Get-ExchangeServer) with it,
 * `export` writes what the servers run. All through the CLI as a real process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-server-version-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function file(text: string, ext = 'mailpolicy.yaml'): string {
  const p = path.join(tmp, `f${++n}.${ext}`);
  fs.writeFileSync(p, text);
  return p;
}

const SERVER_DOC = (minimum?: string) =>
  [
    'apiVersion: mailpolicy/v1',
    'kind: MailPolicy',
    'metadata: { name: woodgrove }',
    'target:',
    '  platform: exchangeServer',
    '  organization: woodgrove.com',
    ...(minimum ? [`  minimumServerVersion: "${minimum}"`] : []),
    'servers:',
    '  - name: EX01',
    '    pop3:',
    '      service: { startupType: Manual, state: Stopped }',
    '',
  ].join('\n');

function simInit(extra: string[] = []): string {
  const state = path.join(tmp, `state${++n}.json`);
  const r = runCliProcess(['sim', 'init', '--state', state, '--platform', 'exchangeServer', '--organization', 'woodgrove.com', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return state;
}

describe('check: MP-SRV-006, the minimum version a document states', () => {
  it('a minimum below Exchange Server SE accepts a version out of support since 2025-10-14 (advisory, at the key)', () => {
    const doc = file(SERVER_DOC('15.2.1748.24'));
    const r = runCliProcess(['check', '--as-of', '2026-12-06', doc]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `${doc}:7:3: advisory MP-SRV-006v1: minimumServerVersion 15.2.1748.24 accepts Exchange Server 2019, out of support since 2025-10-14; Exchange Server SE (15.2.2562.17 or later) is the supported version`,
    );
  });
  it('before 2025-10-14 it says when support ends', () => {
    const r = runCliProcess(['check', '--as-of', '2025-10-13', file(SERVER_DOC('15.1.2507.6'))]);
    expect(r.stdout).toContain('minimumServerVersion 15.1.2507.6 accepts Exchange Server 2016, whose support ends on 2025-10-14');
  });
  it('an Exchange Server SE minimum, or none, gives no finding', () => {
    for (const doc of [file(SERVER_DOC('15.2.2562.17')), file(SERVER_DOC())]) {
      const r = runCliProcess(['check', '--as-of', '2026-12-06', doc]);
      expect(r.stdout).not.toContain('MP-SRV-006');
    }
  });
  it('validate refuses a minimum that is not a build number, and one on an Exchange Online document', () => {
    const bad = file(SERVER_DOC('2019'));
    const r = runCliProcess(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain(`${bad}:7:3: target.minimumServerVersion: must be an Exchange build number, e.g. 15.2.2562.17`);
    const online = file('apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: c }\ntarget: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com, minimumServerVersion: "15.2.2562.17" }\n');
    const o = runCliProcess(['validate', online]);
    expect(o.code).toBe(1);
    expect(o.stderr + o.stdout).toContain('minimumServerVersion: valid only for platform exchangeServer');
  });
});

describe('the simulator: servers have a version', () => {
  it('sim init gives Exchange Server SE by default; Get-ExchangeServer prints AdminDisplayVersion as Exchange does', () => {
    const state = simInit();
    const r = runCliProcess(['sim', 'invoke', '--state', state, 'Get-ExchangeServer']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Version 15.2 (Build 2562.17)');
  });
  it('--server-version sets the servers\' build, for tests and demos; a malformed one is a usage error', () => {
    const state = simInit(['--servers', 'EX01,EX02', '--server-version', '15.2.1748.24']);
    const r = runCliProcess(['sim', 'invoke', '--state', state, 'Get-ExchangeServer']);
    expect(r.stdout.match(/Version 15\.2 \(Build 1748\.24\)/g)).toHaveLength(2);
    const bad = runCliProcess(['sim', 'init', '--state', path.join(tmp, 'bad.json'), '--platform', 'exchangeServer', '--server-version', 'CU15']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--server-version');
    const online = runCliProcess(['sim', 'init', '--state', path.join(tmp, 'bad2.json'), '--platform', 'exchangeOnline', '--server-version', '15.2.2562.17']);
    expect(online.code).toBe(2);
  });
});

describe('drift: each server\'s version against the document', () => {
  it('a server below minimumServerVersion is drift (exit 1), located at the key; no cmdlet fixes it', () => {
    const doc = file(SERVER_DOC('15.2.2562.17'));
    const state = simInit(['--server-version', '15.2.1748.24']);
    const r = runCliProcess(['drift', doc, '--state', state]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${doc}:7:3: EX01 runs Exchange Server 2019 (15.2.1748.24), below minimumServerVersion 15.2.2562.17`);
    expect(r.stdout).toContain('out of support since 2025-10-14');
    const json = JSON.parse(runCliProcess(['drift', doc, '--state', state, '-f', 'json']).stdout);
    expect(json.inSync).toBe(false);
    expect(json.servers).toEqual([{ name: 'EX01', version: '15.2.1748.24', product: 'Exchange Server 2019', supported: false, belowMinimum: true }]);
  });
  it('without a stated minimum an out-of-support server is reported but is not drift (exit 0)', () => {
    const r = runCliProcess(['drift', file(SERVER_DOC()), '--state', simInit(['--server-version', '15.1.2507.6'])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EX01 runs Exchange Server 2016 (15.1.2507.6): out of support since 2025-10-14');
  });
  it('an Exchange Server SE server at or above the minimum is in sync', () => {
    const r = runCliProcess(['drift', file(SERVER_DOC('15.2.2562.17')), '--state', simInit(), '-f', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).servers).toEqual([{ name: 'EX01', version: '15.2.2562.17', product: 'Exchange Server SE', supported: true, belowMinimum: false }]);
  });
});

describe('export: what the servers run', () => {
  it('writes the lowest server version as minimumServerVersion and warns about a server out of support', () => {
    const state = simInit(['--servers', 'EX01,EX02', '--server-version', '15.2.1748.24']);
    const out = path.join(tmp, 'exported.mailpolicy.yaml');
    const r = runCliProcess(['export', '--state', state, '-o', out]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/minimumServerVersion: "?15\.2\.1748\.24"?/);
    expect(r.stderr).toContain('EX01 runs Exchange Server 2019 (15.2.1748.24): out of support since 2025-10-14');
    // The exported document checks: its stated minimum is the finding.
    expect(runCliProcess(['check', '--as-of', '2026-12-06', out]).stdout).toContain('MP-SRV-006v1: minimumServerVersion 15.2.1748.24 accepts Exchange Server 2019');
  });
  it('an Exchange Server 2016 organisation has no Get-AuthenticationPolicy: export leaves the section out and says why, and still exits 0', () => {
    const state = simInit(['--server-version', '15.1.2507.6']);
    // The simulator answers as Exchange 2016 does: the cmdlet does not exist there.
    const probe = runCliProcess(['sim', 'invoke', '--state', state, 'Get-AuthenticationPolicy']);
    expect(probe.code).toBe(2);
    expect(probe.stderr).toContain("The term 'Get-AuthenticationPolicy' is not recognized");
    const out = path.join(tmp, 'exported-2016.mailpolicy.yaml');
    const r = runCliProcess(['export', '--state', state, '-o', out]);
    expect(r.stderr).toContain('authentication policies: not exported: this organisation has no Get-AuthenticationPolicy (Exchange Server 2019 and SE have authentication policies, Exchange Server 2016 does not)');
    expect(r.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).not.toContain('authenticationPolicies');
    expect(text).toContain('servers:');
  });
});
