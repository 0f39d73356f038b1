/**
 * The crosswalk in `mailpolicy check`, through the CLI as a real process: a document that
 * enables SMTP AUTH for the whole organisation (MP-EXO-003) is reported with the controls it
 * fails — CIS M365 6.5.4, ScubaGear MS.EXO.5.1v1, Maester CISA.MS.EXO.5.1 — in every format,
 * SARIF the way SARIF 2.1.0 means it (run.taxonomies, rules' relationships, results' taxa) and
 * valid against the SARIF 2.1.0 schema; `--control` keeps only what one baseline asks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';
import { sarifSchemaErrors } from './sarif-schema';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-controls-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DOCUMENT = path.join(tmp, 'smtp-auth.mailpolicy.yaml');
fs.writeFileSync(
  DOCUMENT,
  `apiVersion: mailpolicy/v1
kind: MailPolicy
metadata: { name: contoso }
target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }
transportConfig:
  smtpClientAuthenticationDisabled: false
casMailboxes:
  default: { popEnabled: true }
`,
);

const check = (...args: string[]) => runCliProcess(['check', '--as-of', '2027-01-15', ...args, DOCUMENT]);

interface ToolComponentRef {
  name: string;
  index: number;
}
interface SarifRun {
  tool: { driver: { rules: { id: string; relationships?: { target: { id: string; index: number; toolComponent: ToolComponentRef }; kinds: string[] }[]; properties: { tags: string[] } }[]; supportedTaxonomies: ToolComponentRef[] } };
  taxonomies: { name: string; taxa: { id: string; name: string }[] }[];
  results: { ruleId: string; taxa?: { id: string; index: number; toolComponent: ToolComponentRef }[] }[];
}

describe('check and the compliance crosswalk', () => {
  it('SARIF: valid SARIF 2.1.0 whose MP-EXO-003 rule relates to CIS 6.5.4 and MS.EXO.5.1v1 as taxa of the run', () => {
    const r = check('--format', 'sarif');
    expect(r.code, r.stderr).toBe(0);
    const log = JSON.parse(r.stdout) as { runs: SarifRun[] };
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    const rule = run.tool.driver.rules.find((x) => x.id === 'MP-EXO-003')!;
    // Each relationship resolved the way a SARIF consumer resolves it: toolComponent.index into run.taxonomies, target.index into its taxa.
    const resolved = (rule.relationships ?? []).map((rel) => {
      const taxonomy = run.taxonomies[rel.target.toolComponent.index]!;
      expect(taxonomy.name).toBe(rel.target.toolComponent.name);
      expect(taxonomy.taxa[rel.target.index]!.id).toBe(rel.target.id);
      return { taxonomy: taxonomy.name, id: rel.target.id, kinds: rel.kinds };
    });
    expect(resolved).toContainEqual({ taxonomy: 'CIS Microsoft 365 Foundations Benchmark', id: '6.5.4', kinds: ['equal'] });
    expect(resolved).toContainEqual({ taxonomy: 'CISA SCuBA baselines (ScubaGear)', id: 'MS.EXO.5.1v1', kinds: ['equal'] });
    expect(resolved).toContainEqual({ taxonomy: 'Maester', id: 'CISA.MS.EXO.5.1', kinds: ['equal'] });
    expect(run.tool.driver.supportedTaxonomies.map((t) => t.name)).toEqual(run.taxonomies.map((t) => t.name));
    expect(rule.properties.tags).toEqual(expect.arrayContaining(['6.5.4', 'MS.EXO.5.1v1']));
    // The finding itself is classified by the same taxa, so viewers can filter results by control.
    const result = run.results.find((x) => x.ruleId === 'MP-EXO-003')!;
    expect(result.taxa?.map((t) => `${run.taxonomies[t.toolComponent.index]!.taxa[t.index]!.id}`)).toEqual(['6.5.4', 'MS.EXO.5.1v1', 'CISA.MS.EXO.5.1']);
    // A rule no baseline has a control for relates to nothing.
    expect(run.tool.driver.rules.find((x) => x.id === 'MP-MBX-001')!.relationships).toBeUndefined();
  });

  it('text: the controls under the finding', () => {
    const r = check();
    expect(r.stdout).toContain('    controls: implements CIS M365 6.5.4, ScubaGear MS.EXO.5.1v1, Maester CISA.MS.EXO.5.1\n');
  });

  it('markdown: a Controls table; JSON: each finding with its controls and their sources', () => {
    const md = check('--format', 'markdown').stdout;
    expect(md).toContain('### Controls');
    expect(md).toMatch(/\| MP-EXO-003v1 \| \[CIS M365 6\.5\.4\]\(https:\/\/www\.cisecurity\.org\/[^)]*\) \| CIS Microsoft 365 Foundations Benchmark \| \(L1\) Ensure SMTP AUTH is disabled \| implements \|/);
    const json = JSON.parse(check('--format', 'json').stdout) as { files: { findings: { ruleId: string; controls: { id: string; verified: boolean }[] }[] }[] };
    const finding = json.files[0]!.findings.find((f) => f.ruleId === 'MP-EXO-003')!;
    expect(finding.controls.map((c) => c.id)).toEqual(['6.5.4', 'MS.EXO.5.1v1', 'CISA.MS.EXO.5.1']);
    expect(finding.controls[0]!.verified).toBe(false);
    expect(json.files[0]!.findings.find((f) => f.ruleId === 'MP-MBX-001')!.controls).toEqual([]);
  });

  it('--control keeps the findings of rules mapped to that control (version suffix optional); an unknown control is a usage error', () => {
    const ids = (r: { stdout: string }) => (JSON.parse(r.stdout) as { files: { findings: { ruleId: string }[] }[] }).files[0]!.findings.map((f) => f.ruleId);
    expect(ids(check('--format', 'json'))).toEqual(expect.arrayContaining(['MP-EXO-003', 'MP-MBX-001']));
    expect(ids(check('--format', 'json', '--control', '6.5.4'))).toEqual(['MP-EXO-003']);
    expect(ids(check('--format', 'json', '--control', 'ms.exo.5.1'))).toEqual(['MP-EXO-003']);
    expect(ids(check('--format', 'json', '--control', 'MS.AAD.1.1v1'))).toEqual([]);
    const bad = check('--control', '9.9.9');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mailpolicy: --control 9\.9\.9: no rule maps to that control; known controls: .*6\.5\.4/);
    expect(bad.stdout).toBe('');
  });
});
