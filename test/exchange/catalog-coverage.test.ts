/**
 * The cmdlet catalog is the one definition of every cmdlet and parameter: no code names a
 * cmdlet outside it, every request built anywhere passes `assertCatalogRequest`, and the
 * PowerShell host's allowlist is exactly the catalog.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG, CMDLET_NAMES, isCmdletName } from '../../src/exchange/catalog';
import { assertCatalogRequest } from '../../src/exchange/request';
import { buildConnectRequest } from '../../src/exchange/connection';
import { hostConfig } from '../../src/exchange/host-config';
import { readCasMailboxes, readServers } from '../../src/exchange/reader';
import { readAuthenticationPolicies } from '../../src/reconcile/kinds/authentication-policy-read';
import { readCasMailboxPlans } from '../../src/reconcile/kinds/cas-mailbox-plan-read';
import { readProtocolService } from '../../src/reconcile/kinds/protocol-service-read';
import { readProtocolSettings } from '../../src/reconcile/kinds/protocol-settings-read';
import { readTransportConfig } from '../../src/reconcile/kinds/transport-config-read';
import type { BatchItemResult, CmdletRequest, ExchangeBackend, JsonValue } from '../../src/exchange/types';
import { SimulatorBackend } from '../../src/simulator/backend';
import { writeOrg } from '../simulator/helpers';

const ROOT = join(__dirname, '..', '..');
const CODE_DIRS = ['src', 'providers', 'policies', 'program', 'scripts', 'bench'];

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** A string literal that is exactly a Verb-Noun command name. */
const WHOLE_CMDLET_LITERAL = /(['"`])((?:Get|Set|New|Remove|Start|Stop|Restart|Connect|Disconnect|Import|Invoke|Enable|Disable|Add|Test|Clear|Update)-[A-Za-z0-9]+)\1/g;
/** A request object written by hand: `cmdlet: 'Set-…'`. */
const HAND_BUILT_REQUEST = /\bcmdlet\s*:\s*['"`]/;

describe('cmdlet catalog coverage', () => {
  const files = CODE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)));

  it('no code names a cmdlet the catalog does not define', () => {
    const strays: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(WHOLE_CMDLET_LITERAL)) {
        if (!isCmdletName(m[2] as string)) strays.push(`${relative(ROOT, file)}: ${m[2]}`);
      }
    }
    expect(files.length).toBeGreaterThan(10);
    expect(strays).toEqual([]);
  });

  it('no code builds a request by hand instead of with buildRequest', () => {
    const handBuilt = files.filter((f) => !f.endsWith(join('src', 'exchange', 'request.ts')) && HAND_BUILT_REQUEST.test(readFileSync(f, 'utf8')));
    expect(handBuilt.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('every request the reader and the connection builder make is a catalog request', async () => {
    const seen: CmdletRequest[] = [];
    const recording = (inner: ExchangeBackend): ExchangeBackend => ({
      kind: inner.kind,
      describe: () => inner.describe(),
      connection: () => inner.connection(),
      stats: () => inner.stats(),
      close: () => inner.close(),
      invoke: (r: CmdletRequest): Promise<JsonValue> => {
        seen.push(r);
        return inner.invoke(r);
      },
      invokeBatch: (rs: readonly CmdletRequest[]): Promise<readonly BatchItemResult[]> => {
        seen.push(...rs);
        return inner.invokeBatch(rs);
      },
    });
    const online = recording(new SimulatorBackend({ statePath: writeOrg({ platform: 'exchangeOnline', mailboxes: 2 }) }));
    await readTransportConfig(online);
    await readAuthenticationPolicies(online);
    await readCasMailboxPlans(online);
    await readCasMailboxes(online);
    const onPrem = recording(new SimulatorBackend({ statePath: writeOrg({ platform: 'exchangeServer', mailboxes: 2 }) }));
    await readCasMailboxes(onPrem);
    await readServers(onPrem);
    for (const protocol of ['pop3', 'imap4'] as const) {
      await readProtocolSettings(onPrem, 'EX01', protocol);
      await readProtocolService(onPrem, 'EX01', protocol);
    }
    seen.push(buildConnectRequest({ platform: 'exchangeOnline', cloud: 'dod', organization: 'x.onmicrosoft.us', appId: 'app', certificateFilePath: '/c.pfx', certificatePassword: 'pfx-password!' }));
    seen.push(buildConnectRequest({ platform: 'exchangeOnline', organization: 'x.onmicrosoft.com', managedIdentity: true }));
    seen.push(buildConnectRequest({ platform: 'exchangeServer', organization: 'Contoso', connectionUri: 'http://ex01/PowerShell/' }));
    expect(seen.length).toBeGreaterThan(12);
    for (const r of seen) expect(() => assertCatalogRequest(r)).not.toThrow();
  });

  // That the shipped file equals hostConfig() is test/generated.test.ts's job (every generated file at once).
  it('the host allowlist is exactly the catalog', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'powershell', 'host-config.json'), 'utf8')) as ReturnType<typeof hostConfig>;
    expect(Object.keys(shipped.cmdlets).sort()).toEqual([...CMDLET_NAMES].sort());
    for (const name of CMDLET_NAMES) expect(shipped.cmdlets[name]?.parameters).toEqual(Object.keys(CATALOG[name].parameters));
  });
});
