/**
 * SARIF 2.1.0 for code scanning: every rule's metadata in tool.driver.rules, one result per
 * finding at the offending key (error = mandatory, warning = advisory, note + an accepted
 * in-source suppression = waived), waivers in run.properties, and documents that could not be
 * checked as tool execution notifications. The SARIF shape itself is src/report/sarif.ts's.
 */
import { renderSarif as renderSarifLog, artifactUri, type SarifLevel, type SarifResult, type SarifRule, type SarifTaxonomy } from '../../report/sarif';
import { allControls, crosswalkOf, FRAMEWORK_IDS, FRAMEWORKS, testName, type ControlRelationship } from '../../rules/crosswalk';
import { escapeControls } from '../../text/escape';
import { ALL_RULE_METADATA } from '../../rules/rule-set';
import { RULE_DOCS_BASE_URL, ruleDocsUrl } from '../../rules/docs-url';
import { versionedId } from '../../rules/ids';
import type { Outcome, RuleMetadata, Severity } from '../../rules';
import type { LocatedFinding, LocatedWaiver } from '../../report/findings';
import { countOf, type CheckReport } from './check-report';

const LEVEL: Readonly<Record<Outcome, SarifLevel>> = { violation: 'error', advisory: 'warning', waived: 'note' };

/** GitHub code scanning ranks security alerts by this 0-10 score. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { high: '8.0', medium: '5.5', low: '3.0' };

function ruleName(rule: RuleMetadata): string {
  return rule.title
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** implements: the rule checks what the control asks (SARIF `equal`); relatesTo: `relevant`. */
const RELATIONSHIP_KINDS: Readonly<Record<ControlRelationship, readonly string[]>> = { implements: ['equal'], relatesTo: ['relevant'] };

/** One taxonomy per baseline the crosswalk names (src/rules/crosswalk.ts), with the controls it maps. */
function taxonomies(): SarifTaxonomy[] {
  const controls = allControls();
  return FRAMEWORK_IDS.map((id) => ({
    name: FRAMEWORKS[id].name,
    organization: FRAMEWORKS[id].organization,
    ...(FRAMEWORKS[id].version === undefined ? {} : { version: FRAMEWORKS[id].version }),
    informationUri: FRAMEWORKS[id].informationUri,
    taxa: controls
      .filter((c) => c.framework === id)
      .map((c) => ({ id: c.id, name: c.title, shortDescription: `${c.title}${c.testUrl ? ` (${testName(c)})` : ''}`, helpUri: c.source.url })),
  }));
}

function sarifRule(rule: RuleMetadata): SarifRule {
  const controls = crosswalkOf(rule.id).controls;
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: `${versionedId(rule)}: ${rule.title}`,
    fullDescription: rule.rationale,
    help: `${rule.remediation}\n\nSee ${ruleDocsUrl(rule.id)}`,
    helpUri: ruleDocsUrl(rule.id),
    defaultLevel: rule.enforcement === 'mandatory' ? 'error' : 'warning',
    properties: {
      version: rule.version,
      severity: rule.severity,
      enforcement: rule.enforcement,
      ...(rule.enforcementByCloud ? { enforcementByCloud: rule.enforcementByCloud } : {}),
      waivable: rule.waivable,
      'security-severity': SECURITY_SEVERITY[rule.severity],
      // Code-scanning viewers filter alerts by tag: the control IDs are tags too.
      tags: ['security', 'exchange', 'mailpolicy', ...controls.map((c) => c.id)],
      ...(controls.length ? { controls: controls.map((c) => ({ framework: c.framework, id: c.id, relationship: c.relationship })) } : {}),
    },
    relationships: controls.map((c) => ({ taxonomy: FRAMEWORKS[c.framework].name, id: c.id, kinds: RELATIONSHIP_KINDS[c.relationship] })),
  };
}

function sarifResult(f: LocatedFinding, waivers: readonly LocatedWaiver[], baseDir: string): SarifResult {
  const waiver = f.outcome === 'waived' ? waivers.find((w) => w.index === f.waiverIndex) : undefined;
  return {
    ruleId: f.rule.id,
    level: LEVEL[f.outcome],
    message: escapeControls(`${versionedId(f.rule)}: ${f.message}`),
    location: f.location,
    // Same finding across runs: same rule, same file (as the log names it, however it was typed), same node, same subject.
    fingerprint: [f.rule.id, artifactUri(f.location.file, baseDir), f.pointer, f.scope ?? ''].join('|'),
    ...(f.outcome === 'waived'
      ? { suppression: { kind: 'inSource', justification: waiver ? escapeControls(`${waiver.waiver.reason} (waiver expires ${waiver.waiver.expires})`) : 'waived' } }
      : {}),
    properties: { outcome: f.outcome, enforcement: f.enforcement, severity: f.rule.severity, pointer: f.pointer, ...(f.scope !== undefined ? { scope: f.scope } : {}) },
    taxa: crosswalkOf(f.rule.id).controls.map((c) => ({ taxonomy: FRAMEWORKS[c.framework].name, id: c.id })),
  };
}

export function renderSarif(report: CheckReport, baseDir: string = process.cwd()): string {
  const tool = { name: report.tool.name, version: report.tool.version, informationUri: RULE_DOCS_BASE_URL, rules: ALL_RULE_METADATA.map(sarifRule), taxonomies: taxonomies() };
  // Each finding with its own file's waivers, which a waived finding's waiverIndex points into.
  const results = report.files.flatMap((file) => (file.valid ? file.findings.map((f) => sarifResult(f, file.waivers, baseDir)) : []));
  const problems = report.files.flatMap((file) => (file.valid ? [] : file.problems));
  return renderSarifLog(tool, results, {
    baseDir,
    invocation: {
      executionSuccessful: problems.length === 0,
      notifications: problems.map((p) => ({ level: 'error', message: escapeControls(`invalid document: ${p.message}`), location: p })),
      properties: { asOf: report.asOf },
    },
    properties: {
      asOf: report.asOf,
      summary: countOf(report),
      waivers: report.files.flatMap((file) =>
        file.valid
          ? file.waivers.map((w) => ({ file: artifactUri(file.file, baseDir), line: w.location.line, ...w.waiver, status: w.status, applied: w.applied }))
          : [],
      ),
    },
  });
}
