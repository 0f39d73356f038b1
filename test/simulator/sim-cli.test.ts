import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { readCasMailboxes, readProtocolSettings, readTransportConfig } from '../../src/exchange/reader';
import { SimulatorBackend } from '../../src/simulator/backend';
import { tempDir } from './helpers';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('mailpolicy sim', () => {
  it('init creates an Exchange Online organisation with the asked cloud and mailboxes, and refuses to overwrite', async () => {
    const state = join(tempDir(), 'org.json');
    const r = await cli('sim', 'init', '--platform', 'exchangeOnline', '--cloud', 'gcc', '--organization', 'agency.onmicrosoft.com', '--mailboxes', '25', '--state', state);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('Exchange Online (gcc) agency.onmicrosoft.com, 25 mailbox(es)');
    const b = new SimulatorBackend({ statePath: state });
    expect(await b.connection()).toEqual({ platform: 'exchangeOnline', cloud: 'gcc', organization: 'agency.onmicrosoft.com' });
    expect(await readCasMailboxes(b)).toHaveLength(25);
    const again = await cli('sim', 'init', '--platform', 'exchangeOnline', '--state', state);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists \(use --force/);
  });

  it('init creates Exchange Server with named servers; --cloud is refused there', async () => {
    const state = join(tempDir(), 'onprem.json');
    expect((await cli('sim', 'init', '--platform', 'exchangeServer', '--servers', 'EX01,EX02', '--mailboxes', '3', '--state', state)).code).toBe(0);
    const b = new SimulatorBackend({ statePath: state });
    expect((await readProtocolSettings(b, 'EX02', 'pop3')).internalConnectionSettings).toEqual(['ex02.contoso.com:995:SSL', 'ex02.contoso.com:110:TLS']);
    const bad = await cli('sim', 'init', '--platform', 'exchangeServer', '--cloud', 'dod', '--state', join(tempDir(), 'x.json'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--cloud applies to --platform exchangeOnline only/);
  });

  it('invoke injects drift and reports Exchange errors with exit 2; show prints the result', async () => {
    const state = join(tempDir(), 'org.json');
    await cli('sim', 'init', '--platform', 'exchangeOnline', '--mailboxes', '3', '--state', state);
    expect((await cli('sim', 'invoke', '--state', state, 'Set-TransportConfig', 'AllowLegacyTLSClients=true')).code).toBe(0);
    expect((await cli('sim', 'invoke', '--state', state, 'Set-CASMailbox', 'Identity=user000002@contoso.com', 'PopEnabled=false', 'SmtpClientAuthenticationDisabled=false')).code).toBe(0);
    const missing = await cli('sim', 'invoke', '--state', state, 'Set-CASMailbox', 'Identity=ghost', 'PopEnabled=false');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/object 'ghost' couldn't be found/);
    const read = await cli('sim', 'invoke', '--state', state, 'Get-TransportConfig');
    expect(JSON.parse(read.out)).toEqual({ AllowLegacyTLSClients: true, SmtpClientAuthenticationDisabled: true });
    expect((await readTransportConfig(new SimulatorBackend({ statePath: state }))).allowLegacyTLSClients).toBe(true);
    const shown = await cli('sim', 'show', '--state', state);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('AllowLegacyTLSClients $true');
    expect(shown.out).toContain('mailboxes: 3 (POP disabled 1, IMAP disabled 0, SMTP AUTH override on 1 / off 0)');
    expect(shown.out).toContain('writes applied: Set-TransportConfig ×1, Set-CASMailbox ×1');
    const json = JSON.parse((await cli('sim', 'show', '--state', state, '--format', 'json')).out) as { mailboxes: { popDisabled: number } };
    expect(json.mailboxes.popDisabled).toBe(1);
    const unknown = await cli('sim', 'invoke', '--state', state, 'Invoke-Expression');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/not in the cmdlet catalog/);
  });

  it('show reports pending restarts on Exchange Server', async () => {
    const state = join(tempDir(), 'onprem.json');
    await cli('sim', 'init', '--platform', 'exchangeServer', '--state', state);
    await cli('sim', 'invoke', '--state', state, 'Set-PopSettings', 'Server=EX01', 'LoginType=PlainTextLogin');
    expect((await cli('sim', 'show', '--state', state)).out).toContain('EX01 POP3: front end Manual/Stopped, back end Manual/Stopped, LoginType PlainTextLogin, pending restart: LoginType');
  });

  it('faults adds and clears injected faults', async () => {
    const state = join(tempDir(), 'org.json');
    await cli('sim', 'init', '--platform', 'exchangeOnline', '--state', state);
    const added = await cli('sim', 'faults', '--state', state, '--add', 'transient', '--cmdlet', 'Get-TransportConfig', '--times', '2', '--latency-ms', '5');
    expect(added.out).toContain('{"kind":"transient","cmdlet":"Get-TransportConfig","times":2}');
    await expect(readTransportConfig(new SimulatorBackend({ statePath: state }))).rejects.toThrow(/server is busy/);
    expect((await cli('sim', 'faults', '--state', state, '--clear')).out).toBe('no faults\n');
    const missing = await cli('sim', 'show', '--state', join(tempDir(), 'none.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such simulator state/);
  });
});
