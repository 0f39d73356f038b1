/**
 * Generates docs/schema.md from schema/mailpolicy.schema.json: every key with its type, whether
 * it is required, Exchange's default, the cmdlet and parameter it maps to, and what it means.
 * Descriptions in the schema start with what the key maps to (`Set-TransportConfig
 * -AllowLegacyTLSClients.`) or `mailpolicy.` for keys of the document itself.
 * `npm run generate` writes the page; test/generated.test.ts fails when it is stale.
 */
import { readFileSync } from 'node:fs';
import { resolveRef, schemaPath } from '../src/model/schema-document';
import { packagePath } from '../src/package-root';

type Node = Readonly<Record<string, unknown>>;

export const SCHEMA_DOCS_PATH = packagePath('docs', 'schema.md');

const CMDLET = String.raw`[A-Z][A-Za-z]+-[A-Za-z]+(?: -[A-Za-z0-9]+)?`;
const MAPPING = new RegExp(`^(${CMDLET}(?: / ${CMDLET})*)\\. `);

/** Splits a description into what the key maps to (cmdlets with parameters) and the text. */
export function splitDescription(description: string): { readonly mapsTo: readonly string[]; readonly text: string } {
  if (description.startsWith('mailpolicy. ')) return { mapsTo: [], text: description.slice('mailpolicy. '.length) };
  const match = MAPPING.exec(description);
  if (!match) throw new Error(`description does not start with "mailpolicy." or a cmdlet: ${description}`);
  return { mapsTo: (match[1] as string).split(' / '), text: description.slice(match[0].length) };
}

export interface KeyDoc {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: string;
  readonly mapsTo: readonly string[];
  readonly text: string;
}

function typeText(schema: Node, node: Node): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (Array.isArray(node.enum)) return node.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (Array.isArray(node.type)) return node.type.join(' \\| ');
  if (node.type === 'array') {
    const items = resolveRef((node.items as Node | undefined) ?? {}, schema);
    return items.type === 'object' ? 'list of mappings' : `list of ${typeText(schema, items)}`;
  }
  if (node.type === 'object') return 'mapping';
  if (node.type === 'integer' && typeof node.minimum === 'number') return `integer ${node.minimum}–${String(node.maximum ?? '')}`;
  return String(node.type ?? 'any');
}

/** The value's format rules: its own pattern's, those of the definitions it combines (allOf), and its length limit. */
function formatText(schema: Node, node: Node): string {
  const list = node.type === 'array';
  const value = list ? resolveRef((node.items as Node | undefined) ?? {}, schema) : node;
  const parts = [value, ...((value.allOf as readonly Node[] | undefined) ?? []).map((part) => resolveRef(part, schema))];
  const rules = parts.map((part) => part.patternErrorMessage).filter((rule): rule is string => typeof rule === 'string');
  const maxLength = parts.map((part) => part.maxLength).find((limit): limit is number => typeof limit === 'number');
  const sentences = [...rules.map((rule) => rule.replace(/^must/, list ? 'Each item must' : 'Must')), ...(maxLength === undefined ? [] : [`${list ? 'Each item: at' : 'At'} most ${maxLength} characters`])];
  return sentences.map((sentence) => ` ${sentence}.`).join('');
}

/** Every key of the schema, depth first, in the schema's order. */
export function schemaKeys(schema: Node): KeyDoc[] {
  const keys: KeyDoc[] = [];
  const walk = (node: Node, prefix: string): void => {
    const object = node.type === 'array' ? resolveRef((node.items as Node | undefined) ?? {}, schema) : node;
    const properties = (object.properties as Readonly<Record<string, Node>> | undefined) ?? {};
    const required = new Set((object.required as string[] | undefined) ?? []);
    const base = node.type === 'array' ? `${prefix}[]` : prefix;
    for (const [name, raw] of Object.entries(properties)) {
      const child = resolveRef(raw, schema);
      const path = base === '' ? name : `${base}.${name}`;
      const { mapsTo, text } = splitDescription(String(child.description ?? ''));
      // Settings shared by POP3 and IMAP4 name both cmdlets; under one protocol, show its own.
      const other = /\.pop3(\.|$)/.test(path) ? 'Imap' : /\.imap4(\.|$)/.test(path) ? 'Pop' : undefined;
      keys.push({
        path,
        type: typeText(schema, child),
        required: required.has(name),
        ...(child.default !== undefined ? { default: JSON.stringify(child.default) } : {}),
        mapsTo: other ? mapsTo.filter((m) => !m.includes(`-${other}`)) : mapsTo,
        text: `${text}${formatText(schema, child)}`,
      });
      walk(child, path);
    }
  };
  walk(schema, '');
  return keys;
}

/** Keys every document has, shown together in the first table. */
const DOCUMENT_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'target']);

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function generateSchemaDocs(schemaText: string = readFileSync(schemaPath(), 'utf8')): string {
  const schema = JSON.parse(schemaText) as Node;
  const keys = schemaKeys(schema);
  const sections = new Map<string, KeyDoc[]>();
  for (const key of keys) {
    const top = key.path.split(/[.[]/)[0] as string;
    const section = DOCUMENT_KEYS.has(top) ? 'Document and target' : `\`${top}\``;
    sections.set(section, [...(sections.get(section) ?? []), key]);
  }
  const lines = [
    '# MailPolicy document reference',
    '',
    '<!-- Generated by scripts/generate-schema-docs.ts from schema/mailpolicy.schema.json: edit the schema, then run `npm run generate`. -->',
    '',
    `${splitDescription(String(schema.description)).text}`,
    '',
    'The schema is [`schema/mailpolicy.schema.json`](../schema/mailpolicy.schema.json) (JSON Schema 2020-12). Start a document with',
    '`# yaml-language-server: $schema=../schema/mailpolicy.schema.json` (path relative to the document) and editors with the YAML',
    'language server complete keys and show these descriptions. [`mailpolicy validate`](commands/validate.md) checks a document',
    'against the schema (which also states the sections and keys valid on one platform only: `validate` reports them with',
    'platform-specific messages) and the rules it cannot express (connection settings against bindings and certificate,',
    'timeout ranges, calendar dates, unique names).',
    '',
    'Keys are the Exchange parameter names with the first letter lowercased. "Exchange default" is what Exchange uses when',
    'nothing was ever set; mailpolicy never fills it in: an absent key is not managed.',
    '',
  ];
  for (const [section, docs] of sections) {
    lines.push(`## ${section}`, '', '| Key | Type | Required | Exchange default | Maps to | Description |', '|---|---|---|---|---|---|');
    for (const key of docs) {
      const mapsTo = key.mapsTo.length === 0 ? '—' : key.mapsTo.map((m) => `\`${m}\``).join('<br>');
      lines.push(`| \`${key.path}\` | ${key.type} | ${key.required ? 'yes' : ''} | ${key.default === undefined ? '' : `\`${key.default}\``} | ${mapsTo} | ${cell(key.text)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
