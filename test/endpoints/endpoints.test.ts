import { describe, expect, it } from 'vitest';
import {
  clientEndpoints,
  cloudEndpoints,
  legacyEndpointsAvailable,
  onPremisesEndpoints,
  clientEncryption,
  type ClientEndpoint,
} from '../../src/endpoints';
import { CLOUDS, US_GOVERNMENT_CLOUDS, type Cloud } from '../../src/model/types';

/**
 * Transcribed from Microsoft's endpoint lists (docs/exchange-facts.md, "Client endpoints"), independently of
 * the clouds table: [protocol, server, port, encryption, verified].
 */
type Row = [ClientEndpoint['protocol'], string, number, ClientEndpoint['encryption'], boolean];
const MICROSOFT_TABLE: Record<Cloud, Row[]> = {
  worldwide: [
    ['POP3', 'outlook.office365.com', 995, 'SSL/TLS', true],
    ['IMAP4', 'outlook.office365.com', 993, 'SSL/TLS', true],
    ['SMTP', 'smtp.office365.com', 587, 'STARTTLS', true],
  ],
  gcc: [
    ['POP3', 'outlook.office365.com', 995, 'SSL/TLS', true],
    ['IMAP4', 'outlook.office365.com', 993, 'SSL/TLS', true],
    ['SMTP', 'smtp.office365.com', 587, 'STARTTLS', true],
  ],
  gccHigh: [
    ['POP3', 'outlook.office365.us', 995, 'SSL/TLS', true],
    ['IMAP4', 'outlook.office365.us', 993, 'SSL/TLS', true],
    ['SMTP', 'outlook.office365.us', 587, 'STARTTLS', true],
  ],
  dod: [
    ['POP3', 'outlook-dod.office365.us', 995, 'SSL/TLS', true],
    ['IMAP4', 'outlook-dod.office365.us', 993, 'SSL/TLS', true],
    ['SMTP', 'outlook-dod.office365.us', 587, 'STARTTLS', true],
  ],
  china21Vianet: [
    ['POP3', 'partner.outlook.cn', 995, 'SSL/TLS', false],
    ['IMAP4', 'partner.outlook.cn', 993, 'SSL/TLS', false],
    ['SMTP', 'smtp.partner.outlook.cn', 587, 'STARTTLS', false],
  ],
};
const LEGACY_HOSTS: Partial<Record<Cloud, string[]>> = {
  worldwide: ['pop-legacy.office365.com', 'imap-legacy.office365.com', 'smtp-legacy.office365.com'],
  china21Vianet: ['pop-legacy.partner.outlook.cn', 'imap-legacy.partner.outlook.cn', 'smtp-legacy.partner.outlook.cn'],
};

const asRows = (rows: readonly ClientEndpoint[]): Row[] => rows.map((r) => [r.protocol, r.server, r.port, r.encryption, r.verified]);

describe('Exchange Online endpoints per cloud', () => {
  for (const cloud of CLOUDS) {
    it(`${cloud}: standard endpoints match Microsoft's lists, no legacy rows without the opt-in`, () => {
      for (const optIn of [undefined, false]) {
        const rows = cloudEndpoints(cloud, optIn);
        expect(asRows(rows)).toEqual(MICROSOFT_TABLE[cloud]);
        expect(rows.every((r) => !r.legacy)).toBe(true);
      }
    });

    it(`${cloud}: legacy endpoints with the opt-in only where the cloud has them`, () => {
      const rows = cloudEndpoints(cloud, true);
      const legacy = rows.filter((r) => r.legacy);
      expect(rows.filter((r) => !r.legacy).map((r) => r.server)).toEqual(MICROSOFT_TABLE[cloud].map((r) => r[1]));
      expect(legacy.map((r) => r.server)).toEqual(LEGACY_HOSTS[cloud] ?? []);
      expect(legacyEndpointsAvailable(cloud)).toBe(LEGACY_HOSTS[cloud] !== undefined);
      // Legacy endpoints keep the standard ports and encryption of their protocol.
      for (const row of legacy) {
        const standard = rows.find((r) => !r.legacy && r.protocol === row.protocol);
        expect([row.port, row.encryption]).toEqual([standard?.port, standard?.encryption]);
      }
    });
  }

  it('never lists legacy endpoints in US government clouds, whatever the document says', () => {
    expect(US_GOVERNMENT_CLOUDS.length).toBeGreaterThan(0);
    for (const cloud of US_GOVERNMENT_CLOUDS) {
      const rows = clientEndpoints({ target: { platform: 'exchangeOnline', cloud, organization: 'x' }, transportConfig: { allowLegacyTLSClients: true } });
      expect(rows.some((r) => r.legacy || r.server.includes('legacy'))).toBe(false);
    }
  });

  it('notes the POP/IMAP legacy retirement but not for SMTP', () => {
    const legacy = cloudEndpoints('worldwide', true).filter((r) => r.legacy);
    expect(legacy.filter((r) => r.note !== undefined).map((r) => r.protocol)).toEqual(['POP3', 'IMAP4']);
  });

  it('reads the cloud and opt-in from the document', () => {
    const rows = clientEndpoints({
      target: { platform: 'exchangeOnline', cloud: 'china21Vianet', organization: 'contoso.partner.onmschina.cn' },
      transportConfig: { allowLegacyTLSClients: true },
    });
    expect(rows).toHaveLength(6);
    expect(rows[3]).toEqual({
      protocol: 'POP3',
      server: 'pop-legacy.partner.outlook.cn',
      port: 995,
      encryption: 'SSL/TLS',
      legacy: true,
      verified: true,
      note: expect.stringContaining('MC1293480'),
    });
  });
});

describe('on-premises endpoints', () => {
  it('maps SSL, TLS and no suffix to what users select in their mail program', () => {
    expect([clientEncryption('SSL'), clientEncryption('TLS'), clientEncryption(undefined)]).toEqual(['SSL/TLS', 'STARTTLS', 'none (plain text)']);
  });

  it('rejects entries that are not host:port[:SSL|TLS], naming the server', () => {
    for (const bad of ['mail.contoso.com', 'mail.contoso.com:', 'mail.contoso.com:110:', 'mail:99999:SSL', 'mail:abc:TLS']) {
      expect(() => onPremisesEndpoints([{ name: 'EX1', pop3: { settings: { externalConnectionSettings: [bad] } } }]), bad).toThrow(/^EX1 POP3: /);
    }
  });

  it('lists each published endpoint once across servers, POP3 before IMAP4', () => {
    const settings = (pop: string[], imap: string[]) => ({ pop3: { settings: { externalConnectionSettings: pop } }, imap4: { settings: { externalConnectionSettings: imap } } });
    const rows = onPremisesEndpoints([
      { name: 'EX1', ...settings(['mail.contoso.com:995:SSL', 'mail.contoso.com:110:TLS'], ['mail.contoso.com:993:SSL']) },
      { name: 'EX2', ...settings(['MAIL.contoso.com:995:SSL'], ['mail.contoso.com:993:SSL', 'mail.contoso.com:143']) },
      { name: 'EX3' },
    ]);
    expect(rows.map((r) => `${r.protocol} ${r.server}:${r.port} ${r.encryption}`)).toEqual([
      'POP3 mail.contoso.com:995 SSL/TLS',
      'POP3 mail.contoso.com:110 STARTTLS',
      'IMAP4 mail.contoso.com:993 SSL/TLS',
      'IMAP4 mail.contoso.com:143 none (plain text)',
    ]);
    expect(rows.every((r) => !r.legacy && r.verified)).toBe(true);
  });

  it('uses the servers of an exchangeServer document and ignores the transport config', () => {
    const rows = clientEndpoints({
      target: { platform: 'exchangeServer', organization: 'contoso' },
      transportConfig: { allowLegacyTLSClients: true },
      servers: [{ name: 'EX1', pop3: { settings: { externalConnectionSettings: ['pop.contoso.com:995:SSL'] } } }],
    });
    expect(rows).toEqual([{ protocol: 'POP3', server: 'pop.contoso.com', port: 995, encryption: 'SSL/TLS', legacy: false, verified: true }]);
    expect(clientEndpoints({ target: { platform: 'exchangeServer', organization: 'contoso' } })).toEqual([]);
  });
});
