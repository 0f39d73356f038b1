/**
 * The CrossGuard policies: one per rule, named by the rule ID lowercased (`mp-exo-001`), each
 * wrapping the rule from src/rules. Importing this module starts nothing; index.ts is the
 * entry point that serves them. A policy looks only at resources (stack policies: organisations)
 * that declare a document section its rule reads (Rule.reads), and is not applicable elsewhere.
 *
 * Enforcement: a policy registers the strongest enforcement its rule can have. Findings the
 * rule makes mandatory for the document's cloud are reported at the policy's configured level
 * (`--policy-pack-config '{"mp-exo-003":"advisory"}'` lowers it, "disabled" turns it off);
 * findings that are advisory in that cloud, and waived findings, are reported as advisory.
 * Rules that are advisory everywhere report at the configured level too, so config can raise
 * them to mandatory. Per-policy config properties: `asOf` (YYYY-MM-DD, default today),
 * `waivers` (waivable rules) and `mandatoryEverywhere` (rules with a per-cloud enforcement).
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyConfigSchema,
  PolicyPackArgs,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';
import { pointerSegments } from '../src/model/json-pointer';
import { escapeControls } from '../src/text/escape';
import type { MailPolicy, Waiver } from '../src/model/types';
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';
import { loadSchemaDocument } from '../src/model/schema-document';
import {
  RULES,
  checkPolicy,
  packPolicyName,
  readsAnyOf,
  ruleContext,
  ruleDocsUrl,
  strongestEnforcement,
  versionedId,
  type Finding,
  type Rule,
  type RuleContext,
} from '../src/rules';
import { documentFromResource, documentsFromStack, resourceKind, type ResourceDocument } from './resource-documents';

export const PACK_NAME = 'mailpolicy';

/** What `--policy-pack-config` may set for one policy (besides enforcementLevel). */
export interface MailPolicyConfig {
  readonly asOf?: string;
  /** The document's waivers without `rule`: the policy names the rule. */
  readonly waivers?: readonly Omit<Waiver, 'rule'>[];
  readonly mandatoryEverywhere?: boolean;
}

/** What the schema's `$defs.waiver` is (JSON read from the schema file). */
interface SchemaObject extends PolicyConfigJSONSchema {
  properties: Record<string, PolicyConfigJSONSchema>;
  required: string[];
}

/** The loader's own keyword, meaningless to Pulumi's config validation. */
function withoutLoaderKeywords({ patternErrorMessage: _message, ...rest }: PolicyConfigJSONSchema & { patternErrorMessage?: string }): PolicyConfigJSONSchema {
  return rest;
}

/**
 * A config waiver is the schema's waiver ($defs.waiver, the one definition of a waiver) without
 * `rule`, so config and document refuse the same things (a blank reason among them).
 */
function configWaiverSchema(): SchemaObject {
  const waiver = (loadSchemaDocument().$defs as Readonly<Record<string, SchemaObject>>).waiver;
  const { rule: _rule, ...properties } = waiver.properties;
  return {
    ...waiver,
    properties: Object.fromEntries(Object.entries(properties).map(([key, node]) => [key, withoutLoaderKeywords(node)])),
    required: waiver.required.filter((key) => key !== 'rule'),
  };
}

function configSchema(rule: Rule): PolicyConfigSchema {
  const waiver = configWaiverSchema();
  // The shape of a date as the schema writes `expires`; whether the day exists is checked when the policy runs.
  const datePattern = waiver.properties.expires.pattern;
  const properties: PolicyConfigSchema['properties'] = {
    asOf: { type: 'string', pattern: datePattern, description: 'Day the check is about (YYYY-MM-DD); default today (UTC). Date-dependent rules and waiver expiry use it.' },
  };
  if (rule.waivable) {
    properties.waivers = { type: 'array', description: `Accepted exceptions to ${rule.id}; same meaning as the document's waivers.`, items: waiver };
  }
  if (rule.enforcementByCloud) {
    properties.mandatoryEverywhere = {
      type: 'boolean',
      description: 'Report findings this rule treats as advisory in the document\'s cloud at the policy\'s enforcement level too.',
    };
  }
  return { properties };
}

function contextFrom(rule: Rule, config: MailPolicyConfig): { ctx: RuleContext; waivers: Waiver[] } {
  // Fails the policy (an engine error) rather than guessing a date: reproducibility is the point of asOf.
  const ctx = ruleContext(config.asOf, (message) => new Error(`${packPolicyName(rule)}: config asOf ${message}`));
  return { ctx, waivers: (config.waivers ?? []).map((w) => ({ ...w, rule: rule.id })) };
}

/**
 * The report object @pulumi/policy's server accepts besides a string: its message is shown as is
 * (the string form is prefixed with the policy description), and `enforcementLevel`, when set,
 * overrides the policy's level for this one violation.
 */
interface Violation {
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel?: EnforcementLevel;
}

/** Findings reported at the policy's configured level; the rest are lowered to advisory. */
function atConfiguredLevel(rule: Rule, config: MailPolicyConfig, f: Finding): boolean {
  if (f.outcome === 'waived') return false;
  if (f.outcome === 'violation' || strongestEnforcement(rule) === 'advisory') return true;
  return config.mandatoryEverywhere === true;
}

function report(rule: Rule, config: MailPolicyConfig, reportViolation: ReportViolation, f: Finding, where: { urn?: string; property?: string }): void {
  const at = where.property ? ` [${where.property}]` : '';
  const message = escapeControls(`${f.outcome === 'waived' ? 'waived: ' : ''}${versionedId(f.rule)}: ${f.message}${at}`);
  const violation: Violation = atConfiguredLevel(rule, config, f) ? { message, urn: where.urn } : { message, urn: where.urn, enforcementLevel: 'advisory' };
  // The typings of ReportViolation name only the string form; the server handles the object (server.js makeReportViolationFun).
  (reportViolation as unknown as (v: Violation) => void)(violation);
}

/** `waiverProblems: false` leaves out the findings about the config's waivers (already reported for this stack). */
function run(rule: Rule, doc: ResourceDocument, config: MailPolicyConfig, reportViolation: ReportViolation, where: { urn?: string; waiverProblems: boolean }): void {
  const { ctx, waivers } = contextFrom(rule, config);
  const policy: MailPolicy = { ...doc.policy, waivers };
  const result = checkPolicy(policy, ctx, { rules: [rule] });
  for (const f of result.findings) {
    // Waiver problems point into the config (the waivers above), not a resource.
    const [section, waiverIndex] = pointerSegments(f.pointer);
    if (section === 'waivers' && !where.waiverProblems) continue;
    const origin = section === 'waivers' ? undefined : doc.origin(f.pointer);
    const property = section === 'waivers' ? `config ${packPolicyName(rule)}.waivers[${waiverIndex}]` : origin?.property;
    report(rule, config, reportViolation, f, { urn: origin?.urn ?? where.urn, property });
  }
}

const readsNothingOf = (rule: Rule, what: string) => `${rule.id} reads ${rule.reads.join(', ')}, which ${what} does not declare`;

function basePolicy(rule: Rule) {
  return {
    name: packPolicyName(rule),
    description: `${versionedId(rule)}: ${rule.title}`,
    displayName: `${rule.id} ${rule.title}`,
    enforcementLevel: strongestEnforcement(rule) as EnforcementLevel,
    severity: rule.severity,
    remediationSteps: rule.remediation,
    url: ruleDocsUrl(rule.id),
    tags: ['mailpolicy', 'exchange'],
    configSchema: configSchema(rule),
  };
}

export function resourcePolicy(rule: Rule): ResourceValidationPolicy {
  return {
    ...basePolicy(rule),
    validateResource: (args, reportViolation) => {
      if (!resourceKind(args.type)) return args.notApplicable('not a mailpolicy resource');
      const doc = documentFromResource({ type: args.type, urn: args.urn, props: args.props });
      if (!doc) return args.notApplicable('resource has no mailpolicy target');
      // Not even the config's waiver problems: they belong on the resources the rule is about.
      if (!readsAnyOf(rule, doc.policy)) return args.notApplicable(readsNothingOf(rule, 'this resource'));
      run(rule, doc, args.getConfig<MailPolicyConfig>(), reportViolation, { urn: args.urn, waiverProblems: true });
    },
  };
}

export function stackPolicy(rule: Rule): StackValidationPolicy {
  return {
    ...basePolicy(rule),
    validateStack: (args, reportViolation) => {
      const docs = documentsFromStack(args.resources.map((r) => ({ type: r.type, urn: r.urn, props: r.props })));
      if (docs.length === 0) return args.notApplicable('the stack has no mailpolicy resources');
      const relevant = docs.filter((doc) => readsAnyOf(rule, doc.policy));
      if (relevant.length === 0) return args.notApplicable(readsNothingOf(rule, 'the stack'));
      const config = args.getConfig<MailPolicyConfig>();
      // The waivers come from the policy's config, the same for every organisation: report their problems once.
      relevant.forEach((doc, i) => run(rule, doc, config, reportViolation, { waiverProblems: i === 0 }));
    },
  };
}

export const POLICIES: Policies = RULES.map((rule) => (rule.crossResource ? stackPolicy(rule) : resourcePolicy(rule)));

export const PACK_ARGS: PolicyPackArgs = {
  description: 'Exchange mail-protocol policy rules (legacy TLS, SMTP AUTH, POP3/IMAP4, basic auth, on-premises bindings) from mailpolicy.',
  displayName: 'mailpolicy',
  enforcementLevel: 'advisory',
  policies: POLICIES,
  tags: ['exchange', 'email', 'security'],
};
