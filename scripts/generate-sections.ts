/**
 * The keyed sections besides POP3/IMAP4 (transportConfig, casMailboxPlans[], servers[].smtpClientSubmission,
 * authenticationPolicies[] switches) state their settings once, in the cmdlet catalog
 * (src/exchange/catalog.ts: each parameter's type, `platforms` and `doc`). This generator derives from it
 *   - each setting's key in the document schema (schema/mailpolicy.schema.json): description, value
 *     schema and default, rewritten in place among the section's hand-written keys (a name, an
 *     identity, assignments), and the platform conditions of a parameter narrower than its cmdlet
 *     (the schema's top `allOf`: `"key": false` under the other platform);
 *   - the model's type and key list of each section (src/model/sections.generated.ts), which
 *     src/model/types.ts re-exports (the model cannot import the catalog: it sits below it).
 * `npm run generate` writes both; test/generated.test.ts fails when either is stale.
 */
import { AUTH_POLICY_FLAGS, CAS_MAILBOX_PLAN_SETTINGS, CATALOG, modelKey, RECEIVE_CONNECTOR_SETTINGS, TRANSPORT_CONFIG_SETTINGS, type CmdletName, type SettingSpec } from '../src/exchange/catalog';
import { PLATFORMS, type Platform } from '../src/model/types';
import { packagePath } from '../src/package-root';
import { type Json, memberAt, rewriteMembers } from './schema-text';

export const SECTIONS_MODEL_PATH = packagePath('src', 'model', 'sections.generated.ts');

interface Section {
  /** The cmdlet whose parameters the keys are (the description's `Set-X -Param.`). */
  readonly setCmdlet: CmdletName;
  readonly settings: Readonly<Record<string, SettingSpec>>;
  /** Where the section's `properties` are in the schema. */
  readonly schema: readonly (string | number)[];
  /** Where the section's properties are under a platform condition's `then.properties` (for parameters narrower than their cmdlet). */
  readonly conditionPath: readonly string[];
  /** The model's names: the settings type and its key list. */
  readonly modelType: string;
  readonly keyList: string;
}

export const SECTIONS: readonly Section[] = [
  {
    setCmdlet: 'Set-TransportConfig',
    settings: TRANSPORT_CONFIG_SETTINGS,
    schema: ['properties', 'transportConfig', 'properties'],
    conditionPath: ['transportConfig', 'properties'],
    modelType: 'TransportConfigPolicy',
    keyList: 'TRANSPORT_CONFIG_KEYS',
  },
  {
    setCmdlet: 'Set-CASMailboxPlan',
    settings: CAS_MAILBOX_PLAN_SETTINGS,
    schema: ['$defs', 'casMailboxPlan', 'properties'],
    conditionPath: ['casMailboxPlans', 'items', 'properties'],
    modelType: 'CasMailboxPlanSettings',
    keyList: 'CAS_MAILBOX_PLAN_SETTING_KEYS',
  },
  {
    setCmdlet: 'Set-ReceiveConnector',
    settings: RECEIVE_CONNECTOR_SETTINGS,
    schema: ['$defs', 'smtpClientSubmission', 'properties'],
    conditionPath: ['servers', 'items', 'properties', 'smtpClientSubmission', 'properties'],
    modelType: 'SmtpClientSubmissionPolicy',
    keyList: 'SMTP_CLIENT_SUBMISSION_KEYS',
  },
  {
    setCmdlet: 'Set-AuthenticationPolicy',
    settings: AUTH_POLICY_FLAGS,
    schema: ['$defs', 'authenticationPolicy', 'properties'],
    conditionPath: ['authenticationPolicies', 'items', 'properties'],
    modelType: 'AuthenticationPolicySwitches',
    keyList: 'AUTHENTICATION_POLICY_FLAG_KEYS',
  },
];

/** The JSON Schema of a setting's value: from its type, or its `doc.schema` where the type alone does not say it. */
function valueSchema(spec: SettingSpec): Record<string, Json> {
  if (spec.doc.schema) return spec.doc.schema as Record<string, Json>;
  switch (spec.type) {
    case 'boolean':
      return { type: 'boolean' };
    case 'int': {
      const range = spec.doc.range as { minimum: number; maximum: number } | undefined;
      return { type: 'integer', ...(range ? { minimum: range.minimum, maximum: range.maximum } : {}) };
    }
    case 'enum':
      return { enum: [...(spec.values ?? [])] };
    case 'flags':
      return { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...(spec.values ?? [])] } };
    default:
      throw new Error(`${spec.type} setting without doc.schema: the schema of its value cannot be derived`);
  }
}

function propertySchema(cmdlet: CmdletName, parameter: string, spec: SettingSpec): Record<string, Json> {
  return {
    description: `${cmdlet} -${parameter}. ${spec.doc.text}`,
    ...valueSchema(spec),
    ...(spec.doc.default === undefined ? {} : { default: spec.doc.default as Json }),
  };
}

/** The platforms a setting applies to: its own `platforms`, else its cmdlet's. */
function platformsOf(section: Section, spec: SettingSpec): readonly Platform[] {
  return spec.platforms ?? CATALOG[section.setCmdlet].platforms;
}

/** The schema's text with every section's generated keys and platform conditions rewritten from the catalog. */
export function schemaWithSections(text: string): string {
  let out = text;
  for (const section of SECTIONS) {
    const entries = Object.entries(section.settings).map(([parameter, spec]) => [modelKey(parameter), propertySchema(section.setCmdlet, parameter, spec)] as const);
    out = rewriteMembers(out, section.schema, entries, new Set(entries.map(([key]) => key)));
  }
  // The top allOf: one `if platform is P then …` per platform; a setting valid elsewhere only is `false` under P.
  for (const [index, platform] of conditionOrder(out).entries()) {
    for (const section of SECTIONS) {
      const owned = Object.keys(section.settings).map(modelKey);
      const refused = Object.entries(section.settings).filter(([, spec]) => !platformsOf(section, spec).includes(platform)).map(([parameter]) => [modelKey(parameter), false] as const);
      if (!platformsIncludeAny(section, platform)) continue; // the whole section is refused there (hand-written)
      const path = ['allOf', index, 'then', 'properties', ...section.conditionPath];
      if (refused.length === 0 && memberAt(out, path) === undefined) continue;
      out = rewriteMembers(out, path, refused, new Set(owned));
    }
  }
  return out;
}

function platformsIncludeAny(section: Section, platform: Platform): boolean {
  return CATALOG[section.setCmdlet].platforms.includes(platform);
}

/** The platform each of the top allOf's conditions is about, in their order. */
function conditionOrder(text: string): Platform[] {
  const schema = JSON.parse(text) as { allOf: { if: { properties: { target: { properties: { platform: { const: Platform } } } } } }[] };
  return schema.allOf.map((c) => c.if.properties.target.properties.platform.const).filter((p) => (PLATFORMS as readonly string[]).includes(p));
}

/** The TypeScript type of a setting's value in the model (every generated section's, POP3/IMAP4's too). */
export function modelType(spec: SettingSpec): string {
  const union = (spec.values ?? []).map((v) => `'${v}'`).join(' | ');
  switch (spec.type) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'number';
    case 'enum':
      return union;
    case 'flags':
      return `readonly (${union})[]`;
    case 'stringList':
    case 'endpointList':
    case 'bindingList':
      return 'readonly string[]';
    default:
      return 'string';
  }
}

/** src/model/sections.generated.ts: each section's settings type and key list, from the catalog. */
export function generateSectionsModel(): string {
  const lines = [
    '// Generated from src/exchange/catalog.ts by scripts/generate-sections.ts: do not edit.',
    '// Regenerate with `npm run generate`. The catalog says what each setting means and where it comes from.',
  ];
  for (const section of SECTIONS) {
    const entries = Object.entries(section.settings);
    lines.push(
      '',
      `/** ${section.setCmdlet}: the parameters the document states, under their model keys. */`,
      `export interface ${section.modelType} {`,
      ...entries.map(([parameter, spec]) => `  /** ${section.setCmdlet} -${parameter}${spec.platforms ? ` (${spec.platforms.join(', ')} only)` : ''}. */\n  readonly ${modelKey(parameter)}?: ${modelType(spec)};`),
      '}',
      '',
      `/** Every ${section.modelType} key, in the catalog's order. */`,
      `export const ${section.keyList} = [${entries.map(([p]) => `'${modelKey(p)}'`).join(', ')}] as const satisfies readonly (keyof ${section.modelType})[];`,
    );
  }
  return `${lines.join('\n')}\n`;
}
