/** The endpoint table as text (terminals), markdown (wikis, tickets) or JSON (programs). */
import { cloudLabel } from '../model/clouds';
import type { Target } from '../model/types';
import { jsonText } from '../text/escape';
import { markdownTable, textTable, type Table } from '../report/table';
import type { ClientEndpoint } from './types';

export const ENDPOINT_FORMATS = ['text', 'json', 'markdown'] as const;
export type EndpointFormat = (typeof ENDPOINT_FORMATS)[number];

export function targetLabel(target: Target): string {
  return target.platform === 'exchangeServer'
    ? `${target.organization} (Exchange Server)`
    : `${target.organization} (Exchange Online, ${cloudLabel(target.cloud ?? 'worldwide')})`;
}

function notes(row: ClientEndpoint): string {
  const parts: string[] = [];
  if (row.legacy) parts.push('legacy TLS 1.0/1.1, opt-in');
  if (!row.verified) parts.push('unverified: no official page states it');
  if (row.note !== undefined) parts.push(row.note);
  return parts.join('; ');
}

function table(rows: readonly ClientEndpoint[]): Table {
  return {
    headers: ['Protocol', 'Server', 'Port', 'Encryption', 'Notes'],
    rows: rows.map((r) => [r.protocol, r.server, String(r.port), r.encryption, notes(r)]),
  };
}

const EMPTY_ON_PREM = 'no endpoints: no server declares POP3/IMAP4 externalConnectionSettings or an smtpClientSubmission fqdn';

export function formatEndpoints(target: Target, rows: readonly ClientEndpoint[], format: EndpointFormat): string {
  switch (format) {
    case 'json':
      return jsonText({ organization: target.organization, platform: target.platform, ...(target.cloud ? { cloud: target.cloud } : {}), endpoints: rows });
    case 'markdown':
      return `## Mail client settings for ${targetLabel(target)}\n\n${rows.length === 0 ? `${EMPTY_ON_PREM}\n` : markdownTable(table(rows))}`;
    case 'text':
      return `Client endpoints for ${targetLabel(target)}\n${rows.length === 0 ? `${EMPTY_ON_PREM}\n` : textTable(table(rows))}`;
  }
}
