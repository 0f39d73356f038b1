/**
 * The clouds table (src/model/clouds.ts) is the one list of Exchange Online clouds: the schemas'
 * enums, the CLI's choices, the catalog's environment names and every test matrix follow it.
 * Adding a cloud to the table without the rest fails here (or fails to compile).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/exchange/catalog';
import { CLOUD_TABLE, CLOUDS, EXCHANGE_ENVIRONMENTS, US_GOVERNMENT_CLOUDS, cloudFacts, cloudOfConnectionUri, connectionUriOfCloud } from '../../src/model/clouds';
import { RULE_CASES, PLACES } from '../rules/rule-cases';
import { runCli } from '../cli/run-cli';

const ROOT = join(__dirname, '..', '..');
type Node = { readonly [key: string]: Node | undefined } & { readonly enum?: readonly string[]; readonly description?: string };
const schema = (name: string): Node => JSON.parse(readFileSync(join(ROOT, 'schema', name), 'utf8')) as Node;

describe('the clouds table', () => {
  it('has five clouds, in the order every list shows them', () => {
    expect(CLOUDS).toEqual(['worldwide', 'gcc', 'gccHigh', 'dod', 'china21Vianet']);
    expect(CLOUDS).toEqual(Object.keys(CLOUD_TABLE));
  });

  it('drives the document schema and the simulator-state schema: same enum, every cloud and its environment described', () => {
    const target = schema('mailpolicy.schema.json').properties?.target?.properties?.cloud;
    expect(target?.enum).toEqual(CLOUDS);
    for (const cloud of CLOUDS) {
      expect(target?.description).toContain(cloud);
      expect(target?.description).toContain(cloudFacts(cloud).exchangeEnvironmentName);
    }
    const state = schema('simulator-state.schema.json').properties?.organization?.properties?.cloud;
    expect(state?.enum).toEqual(CLOUDS);
    for (const cloud of US_GOVERNMENT_CLOUDS) expect(state?.description).toContain(cloud);
  });

  it('drives the rule test matrix: one place per cloud plus on-premises, and every rule case has an outcome for each', () => {
    expect(PLACES).toEqual([...CLOUDS, 'exchangeServer']);
    expect(RULE_CASES.length).toBeGreaterThan(0);
    for (const c of RULE_CASES) expect(Object.keys(c.outcomes).sort(), c.id).toEqual([...PLACES].sort());
  });

  it('drives the catalog: Connect-ExchangeOnline -ExchangeEnvironmentName accepts exactly the environments of the clouds', () => {
    const spec = CATALOG['Connect-ExchangeOnline'].parameters.ExchangeEnvironmentName;
    expect(spec?.type === 'enum' ? [...spec.values].sort() : spec).toEqual([...new Set(CLOUDS.map((c) => cloudFacts(c).exchangeEnvironmentName))].sort());
    expect(EXCHANGE_ENVIRONMENTS.length).toBe(4);
  });

  it('drives the CLI: --cloud offers every cloud (sim init --help, through the CLI)', async () => {
    const r = await runCli(['sim', 'init', '--help']);
    expect(r.code).toBe(0);
    const choices = /--cloud <cloud>[\s\S]*?\(choices: ([^)]*)\)/.exec(r.stdout)?.[1]?.replace(/\s+/g, ' ');
    expect(choices).toBe(CLOUDS.map((c) => `"${c}"`).join(', '));
  });

  it('keeps its own invariants: three client endpoints per cloud, no legacy TLS in US government clouds, distinct labels, ConnectionUri round trip', () => {
    expect(US_GOVERNMENT_CLOUDS).toEqual(['gcc', 'gccHigh', 'dod']);
    expect(new Set(CLOUDS.map((c) => cloudFacts(c).label)).size).toBe(CLOUDS.length);
    for (const cloud of CLOUDS) {
      const facts = cloudFacts(cloud);
      expect(facts.clientEndpoints.map((e) => e.protocol), cloud).toEqual(['POP3', 'IMAP4', 'SMTP']);
      if (facts.usGovernment) expect(facts.legacyTls, cloud).toBeNull();
      expect(cloudOfConnectionUri(connectionUriOfCloud(cloud), cloud)).toBe(cloud);
      for (const host of facts.connectionHosts) expect(cloudOfConnectionUri(`https://${host}`, cloud)).toBe(cloud);
    }
  });
});
