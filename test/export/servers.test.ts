/**
 * Which servers an Exchange Server export covers without --server: every server
 * Get-ExchangeServer lists that has the Mailbox role (the role that runs POP3/IMAP4), never an
 * Edge Transport server, which has no POP3/IMAP4 settings to read.
 */
import { describe, expect, it } from 'vitest';
import { runsMailProtocols } from '../../src/exchange/catalog';
import type { CmdletRequest, ExchangeBackend, JsonValue } from '../../src/exchange/types';
import { exportOrganisation } from '../../src/export/export';
import { SimulatorBackend } from '../../src/simulator/backend';
import { writeOrg } from '../simulator/helpers';

describe('export: the servers of an Exchange Server organisation', () => {
  it('knows the Mailbox role in the forms Exchange prints ServerRole', () => {
    expect(['Mailbox', 'Mailbox, ClientAccess', 'ClientAccess, Mailbox', 'mailbox'].map(runsMailProtocols)).toEqual([true, true, true, true]);
    expect(['Edge', 'ClientAccess', 'HubTransport', '', null].map(runsMailProtocols)).toEqual([false, false, false, false, false]);
  });

  it('exports every Mailbox server Exchange lists, sorted by name, and skips an Edge server with a warning', async () => {
    const simulator = new SimulatorBackend({ statePath: writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX02', 'EX01'], mailboxes: 2 }) });
    // The real simulator, plus the subscribed Edge server a real organisation lists beside its Mailbox servers.
    const seen: string[] = [];
    const withEdge: ExchangeBackend = {
      kind: simulator.kind,
      describe: () => simulator.describe(),
      connection: () => simulator.connection(),
      stats: () => simulator.stats(),
      close: () => simulator.close(),
      invokeBatch: (rs) => simulator.invokeBatch(rs),
      invoke: async (r: CmdletRequest): Promise<JsonValue> => {
        seen.push(`${r.cmdlet} ${JSON.stringify(r.parameters)}`);
        const data = await simulator.invoke(r);
        return r.cmdlet === 'Get-ExchangeServer' ? [...(data as JsonValue[]), { Name: 'EDGE01', Fqdn: 'edge01.woodgrove.com', ServerRole: 'Edge' }] : data;
      },
    };
    const result = await exportOrganisation(withEdge);
    expect(result.policy.servers?.map((s) => s.name)).toEqual(['EX01', 'EX02']);
    expect(result.warnings).toContain('EDGE01 (Edge) is not a Mailbox server: it runs no POP3/IMAP4 and is not exported');
    expect(seen.filter((call) => call.includes('EDGE01'))).toEqual([]);
    // Named servers are exported as named, without listing the organisation's servers.
    seen.length = 0;
    const narrowed = await exportOrganisation(withEdge, { servers: ['EX02'] });
    expect(narrowed.policy.servers?.map((s) => s.name)).toEqual(['EX02']);
    expect(narrowed.warnings).toEqual([]);
    expect(seen.filter((call) => call.startsWith('Get-ExchangeServer'))).toEqual([]);
    await simulator.close();
  });
});
