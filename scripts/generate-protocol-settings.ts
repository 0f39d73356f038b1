/**
 * POP3/IMAP4 settings are stated once, in the cmdlet catalog (src/exchange/catalog.ts: each
 * Set-PopSettings / Set-ImapSettings parameter's type and `doc`). This generator derives from it
 *   - the document schema's definitions pop3Protocol, pop3Settings, imap4Protocol, imap4Settings
 *     (schema/mailpolicy.schema.json, rewritten in place between the definitions around them),
 *   - the model's settings type and key lists (src/model/protocol-settings.generated.ts), which the
 *     model cannot import from the catalog (the model sits below it),
 * so a new setting is its catalog entry (plus Microsoft's reference extract and the facts page).
 * `npm run generate` writes both; test/generated.test.ts fails when either is stale.
 */
import { readFileSync } from 'node:fs';
import { forProtocol, PROTOCOL_SETTINGS, PROTOCOL_SETTINGS_CMDLETS, PROTOCOL_SETTINGS_OF, modelKey, type ProtocolSettingSpec } from '../src/exchange/catalog';
import { schemaPath } from '../src/model/schema-document';
import { PROTOCOLS, type Protocol } from '../src/model/types';
import { packagePath } from '../src/package-root';
import { modelType } from './generate-sections';

export const PROTOCOL_SETTINGS_MODEL_PATH = packagePath('src', 'model', 'protocol-settings.generated.ts');

const LABEL: Readonly<Record<Protocol, string>> = { pop3: 'POP3', imap4: 'IMAP4' };
const SERVICES: Readonly<Record<Protocol, string>> = { pop3: 'MSExchangePOP3 / MSExchangePOP3BE', imap4: 'MSExchangeIMAP4 / MSExchangeIMAP4BE' };

/** The generated definitions, in the order they appear in the schema's `$defs`. */
export const GENERATED_DEFS = PROTOCOLS.flatMap((p) => [`${p}Protocol`, `${p}Settings`]);

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** The JSON Schema of one setting's value under one protocol. */
function valueSchema(spec: ProtocolSettingSpec, protocol: Protocol): Record<string, Json> {
  switch (spec.type) {
    case 'boolean':
      return { type: 'boolean' };
    case 'int': {
      const range = spec.doc.range === undefined ? undefined : forProtocol(spec.doc.range, protocol);
      return { type: 'integer', ...(range ? { minimum: range.minimum, maximum: range.maximum } : {}) };
    }
    case 'enum':
      return { enum: [...(spec.values ?? [])] };
    default:
      if (!spec.doc.schema) throw new Error(`${spec.type} setting without doc.schema: the schema of its value cannot be derived`);
      return spec.doc.schema as Record<string, Json>;
  }
}

function settingsDef(protocol: Protocol): Record<string, Json> {
  const cmdlet = PROTOCOL_SETTINGS_CMDLETS[protocol].set;
  const properties: Record<string, Json> = {};
  for (const [parameter, spec] of Object.entries(PROTOCOL_SETTINGS_OF[protocol])) {
    const defaultValue = spec.doc.default === undefined ? undefined : forProtocol(spec.doc.default, protocol);
    properties[modelKey(parameter)] = {
      description: `${cmdlet} -${parameter}. ${spec.doc.text}`,
      ...valueSchema(spec, protocol),
      ...(defaultValue === undefined ? {} : { default: defaultValue as Json }),
    };
  }
  return { type: 'object', additionalProperties: false, properties };
}

function protocolDef(protocol: Protocol): Record<string, Json> {
  const cmdlet = PROTOCOL_SETTINGS_CMDLETS[protocol].set;
  return {
    $comment: `Generated from src/exchange/catalog.ts by scripts/generate-protocol-settings.ts (npm run generate), as is ${protocol}Settings: do not edit.`,
    type: 'object',
    additionalProperties: false,
    properties: {
      service: {
        description: `Set-Service. The ${LABEL[protocol]} Windows services (${SERVICES[protocol]}): front end and back end always move together.`,
        $ref: '#/$defs/service',
      },
      settings: { description: `${cmdlet}. ${LABEL[protocol]} settings; a change takes effect after the services restart.`, $ref: `#/$defs/${protocol}Settings` },
    },
  };
}

const isRefOnly = (value: Json): boolean => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && '$ref' in value;
const isScalar = (value: Json): boolean => value === null || typeof value !== 'object';

/** JSON laid out as the schema file is: objects one key a line, lists of scalars and `{ "$ref": … }` on one line. */
function layout(value: Json, indent: string): string {
  if (isScalar(value)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value as readonly Json[];
    if (items.every((item) => isScalar(item) || isRefOnly(item))) return `[${items.map((item) => layout(item, indent)).join(', ')}]`;
    return `[\n${items.map((item) => `${indent}  ${layout(item, `${indent}  `)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, Json>);
  if (isRefOnly(value)) return `{ ${JSON.stringify('$ref')}: ${JSON.stringify((value as { $ref: string }).$ref)} }`;
  return `{\n${entries.map(([key, child]) => `${indent}  ${JSON.stringify(key)}: ${layout(child, `${indent}  `)}`).join(',\n')}\n${indent}}`;
}

/** Where a definition `"name": {…}` of `$defs` begins and ends (after its closing brace) in the schema's text. */
function defSpan(text: string, name: string): { readonly start: number; readonly end: number } {
  const opener = `\n    ${JSON.stringify(name)}: {`;
  const at = text.indexOf(opener);
  if (at < 0) throw new Error(`schema/mailpolicy.schema.json has no definition ${name}`);
  let depth = 0;
  let inString = false;
  for (let i = at + opener.length - 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return { start: at + 1, end: i + 1 };
  }
  throw new Error(`definition ${name} is not closed`);
}

/** The schema's text with the generated definitions rewritten from the catalog. */
export function schemaWithProtocolDefs(text: string = readFileSync(schemaPath(), 'utf8')): string {
  const first = defSpan(text, GENERATED_DEFS[0] as string);
  const last = defSpan(text, GENERATED_DEFS[GENERATED_DEFS.length - 1] as string);
  const defs = PROTOCOLS.flatMap((p) => [[`${p}Protocol`, protocolDef(p)] as const, [`${p}Settings`, settingsDef(p)] as const]);
  const generated = defs.map(([name, def]) => `    ${JSON.stringify(name)}: ${layout(def, '    ')}`).join(',\n');
  return text.slice(0, first.start) + generated + text.slice(last.end);
}

const keysOfType = (type: string): string[] => Object.entries(PROTOCOL_SETTINGS).filter(([, s]) => s.type === type).map(([p]) => modelKey(p));

const list = (keys: readonly string[]): string => `[${keys.map((k) => `'${k}'`).join(', ')}]`;

/** src/model/protocol-settings.generated.ts: the model's POP3/IMAP4 settings, from the catalog. */
export function generateProtocolSettingsModel(): string {
  const entries = Object.entries(PROTOCOL_SETTINGS) as [string, ProtocolSettingSpec][];
  const only = (protocol: Protocol): string[] =>
    entries.filter(([p]) => !Object.prototype.hasOwnProperty.call(PROTOCOL_SETTINGS_OF[PROTOCOLS.find((q) => q !== protocol) as Protocol], p)).map(([p]) => modelKey(p));
  return [
    '// Generated from src/exchange/catalog.ts by scripts/generate-protocol-settings.ts: do not edit.',
    '// Regenerate with `npm run generate`. The catalog says what each setting means and where it comes from.',
    '',
    '/** Set-PopSettings / Set-ImapSettings -Server <name>: the parameters under their model keys. */',
    'export interface ProtocolSettings {',
    ...entries.map(([parameter, spec]) => `  /** ${PROTOCOLS.filter((p) => Object.prototype.hasOwnProperty.call(PROTOCOL_SETTINGS_OF[p], parameter)).map((p) => `${PROTOCOL_SETTINGS_CMDLETS[p].set} -${parameter}`).join(' / ')}. */\n  readonly ${modelKey(parameter)}?: ${modelType(spec)};`),
    '}',
    '',
    '/** Every settings key, in the catalog\'s order. */',
    `export const PROTOCOL_SETTING_KEYS = ${list(entries.map(([p]) => modelKey(p)))} as const satisfies readonly (keyof ProtocolSettings)[];`,
    '',
    '/** The settings only one protocol has (the schema refuses them under the other). */',
    `export const PROTOCOL_ONLY_SETTING_KEYS = { pop3: ${list(only('pop3'))}, imap4: ${list(only('imap4'))} } as const satisfies Readonly<Record<'pop3' | 'imap4', readonly (keyof ProtocolSettings)[]>>;`,
    '',
    '/** The settings written as TimeSpans (`hh:mm:ss`): checked and normalised to Exchange\'s form. */',
    `export const TIMEOUT_SETTING_KEYS = ${list(keysOfType('timespan'))} as const satisfies readonly (keyof ProtocolSettings)[];`,
    '',
    '/** The settings written as sizes (`10 MB`, `Unlimited`): normalised to one form (./byte-quantity). */',
    `export const BYTE_QUANTITY_SETTING_KEYS = ${list(keysOfType('byteQuantity'))} as const satisfies readonly (keyof ProtocolSettings)[];`,
    '',
  ].join('\n');
}
