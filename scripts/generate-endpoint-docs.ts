/**
 * Generates the Exchange Online endpoint tables of docs/commands/endpoints.md (between the
 * cloud-endpoints markers) from the clouds table, src/model/clouds.ts, so the page cannot
 * disagree with what `mailpolicy endpoints` prints. Part of `npm run generate`.
 */
import { CLOUDS, cloudFacts, type CloudEndpointFacts } from '../src/model/clouds';

export const ENDPOINT_DOCS = 'docs/commands/endpoints.md';

const START = '<!-- cloud-endpoints:start: generated from src/model/clouds.ts by `npm run generate` -->';
const END = '<!-- cloud-endpoints:end -->';

function cell(endpoint: CloudEndpointFacts): string {
  return `${endpoint.server} ${endpoint.port} ${endpoint.encryption}${endpoint.verified ? '' : ' (unverified)'}`;
}

/** The generated section: standard endpoints per cloud, then the legacy TLS endpoints and their status. */
export function cloudEndpointTables(): string {
  const lines = [START, '', '| cloud | POP3 | IMAP4 | SMTP submission |', '|---|---|---|---|'];
  for (const cloud of CLOUDS) {
    const facts = cloudFacts(cloud);
    lines.push(`| ${facts.label} (\`${cloud}\`) | ${facts.clientEndpoints.map(cell).join(' | ')} |`);
  }
  lines.push('', 'Legacy TLS 1.0/1.1 endpoints (same ports and encryption as the standard ones):', '', '| cloud | protocol | server | status |', '|---|---|---|---|');
  for (const cloud of CLOUDS) {
    const facts = cloudFacts(cloud);
    if (facts.legacyTls === null) {
      lines.push(`| ${facts.label} | — | none: legacy TLS is permanently off | |`);
      continue;
    }
    for (const [protocol, endpoint] of Object.entries(facts.legacyTls.endpoints)) {
      lines.push(`| ${facts.label} | ${protocol} | ${endpoint.server} | ${endpoint.status ?? '—'} |`);
    }
  }
  lines.push('', END);
  return lines.join('\n');
}

/** The page with its generated section replaced. */
export function renderEndpointDocs(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${ENDPOINT_DOCS}: the cloud-endpoints markers are missing`);
  return page.slice(0, start) + cloudEndpointTables() + page.slice(end + END.length);
}
