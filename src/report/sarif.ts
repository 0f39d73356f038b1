/**
 * A small SARIF 2.1.0 writer shared by every command that reports findings against a document
 * (`check`, `drift`): GitHub code scanning and other SARIF viewers show them at FILE:LINE:COL.
 * Callers describe their rules and results; this module owns the SARIF shape.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceLocation } from '../model/types';
import { jsonText } from '../text/escape';
import { jsonTextChunks, mapIterable, streamedArray } from './json-stream';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifRule {
  readonly id: string;
  /** PascalCase-ish short name, e.g. `SettingDrift`. */
  readonly name: string;
  readonly shortDescription: string;
  readonly fullDescription?: string;
  /** Markdown help shown by viewers. */
  readonly help?: string;
  readonly helpUri?: string;
  readonly defaultLevel: SarifLevel;
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Taxa (external controls) the rule relates to: `rules[].relationships` pointing into `run.taxonomies`. */
  readonly relationships?: readonly SarifTaxonRelationship[];
}

/** A reference from a rule to a taxon of one of the run's taxonomies. */
export interface SarifTaxonRelationship {
  /** The taxonomy's name (SarifTaxonomy.name). */
  readonly taxonomy: string;
  /** The taxon's id. */
  readonly id: string;
  /** SARIF 2.1.0 §3.53.3: e.g. `equal`, `superset`, `subset`, `relevant`. */
  readonly kinds: readonly string[];
}

/** An external classification (a compliance baseline): SARIF's `run.taxonomies[]`, a toolComponent with taxa. */
export interface SarifTaxonomy {
  readonly name: string;
  readonly organization?: string;
  readonly version?: string;
  readonly informationUri?: string;
  readonly shortDescription?: string;
  readonly taxa: readonly { readonly id: string; readonly name: string; readonly shortDescription?: string; readonly helpUri?: string }[];
}

/** An accepted suppression (a waiver): viewers list the result as suppressed, not open. */
export interface SarifSuppression {
  /** inSource: the suppression is written in the analysed file itself (a document's waiver). */
  readonly kind: 'inSource' | 'external';
  readonly justification: string;
}

export interface SarifResult {
  readonly ruleId: string;
  readonly level: SarifLevel;
  readonly message: string;
  readonly location: SourceLocation;
  /** Stable identity of the finding across runs (viewers track it as "the same alert"). */
  readonly fingerprint?: string;
  readonly suppression?: SarifSuppression;
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Taxa the finding is classified by (usually its rule's relationships): `results[].taxa`. */
  readonly taxa?: readonly { readonly taxonomy: string; readonly id: string }[];
}

/** Something about the run rather than a finding, e.g. a document that could not be checked. */
export interface SarifNotification {
  readonly level: SarifLevel;
  readonly message: string;
  readonly location?: SourceLocation;
}

/** What the run says besides its results. */
export interface SarifRunInfo {
  /** Files are written relative to this directory when below it (default: the working directory). */
  readonly baseDir?: string;
  /** Present: the log has one invocation with these notifications. */
  readonly invocation?: {
    readonly executionSuccessful: boolean;
    readonly notifications: readonly SarifNotification[];
    readonly properties?: Readonly<Record<string, unknown>>;
  };
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface SarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
  readonly rules: readonly SarifRule[];
  /** The taxonomies rules' relationships and results' taxa refer to. */
  readonly taxonomies?: readonly SarifTaxonomy[];
}

/** Relative to `baseDir` with forward slashes when the file is below it, else a file:// URI. */
export function artifactUri(file: string, baseDir: string = process.cwd()): string {
  const absolute = path.resolve(baseDir, file);
  const relative = path.relative(baseDir, absolute);
  // Percent-encoded per segment: SARIF requires a URI reference, and file names may hold spaces, quotes or '%'.
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).map(encodeURIComponent).join('/');
  return pathToFileURL(absolute).href;
}

/**
 * Columns are UTF-16 code units, the unit the loader counts in (src/model/line-index.ts) and the
 * one editors and GitHub use.
 */
const COLUMN_KIND = 'utf16CodeUnits';

function physicalLocation(location: SourceLocation, baseDir: string) {
  return {
    artifactLocation: { uri: artifactUri(location.file, baseDir) },
    region: { startLine: Math.max(1, location.line), startColumn: Math.max(1, location.column) },
  };
}

export function sarifLog(tool: SarifTool, results: readonly SarifResult[], info: SarifRunInfo = {}): Record<string, unknown> {
  return sarifSkeleton(tool, results, info, false);
}

function sarifSkeleton(tool: SarifTool, results: Iterable<SarifResult>, info: SarifRunInfo, streamResults: boolean): Record<string, unknown> {
  const baseDir = info.baseDir ?? process.cwd();
  const ruleIndex = new Map(tool.rules.map((rule, index) => [rule.id, index]));
  const invocation = info.invocation;
  const taxonomies = tool.taxonomies ?? [];
  const taxonomyIndex = new Map(taxonomies.map((t, index) => [t.name, index]));
  // A reference to a taxonomy by name and index; an unknown name is the caller's bug, not the reader's problem.
  const component = (name: string) => {
    const index = taxonomyIndex.get(name);
    if (index === undefined) throw new Error(`SARIF: no taxonomy named ${name}`);
    return { name, index };
  };
  const taxonIndex = (name: string, id: string): number => taxonomies[component(name).index].taxa.findIndex((t) => t.id === id);
  const sarifResult = (result: SarifResult) => ({
    ruleId: result.ruleId,
    ...(ruleIndex.has(result.ruleId) ? { ruleIndex: ruleIndex.get(result.ruleId) } : {}),
    level: result.level,
    message: { text: result.message },
    locations: [{ physicalLocation: physicalLocation(result.location, baseDir) }],
    ...(result.fingerprint ? { partialFingerprints: { 'mailpolicy/v1': result.fingerprint } } : {}),
    ...(result.suppression ? { suppressions: [{ kind: result.suppression.kind, status: 'accepted', justification: result.suppression.justification }] } : {}),
    ...(result.properties ? { properties: result.properties } : {}),
    ...(result.taxa?.length ? { taxa: result.taxa.map((t) => ({ id: t.id, index: taxonIndex(t.taxonomy, t.id), toolComponent: component(t.taxonomy) })) } : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            ...(taxonomies.length ? { supportedTaxonomies: taxonomies.map((t) => component(t.name)) } : {}),
            rules: tool.rules.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.shortDescription },
              ...(rule.fullDescription ? { fullDescription: { text: rule.fullDescription } } : {}),
              ...(rule.help ? { help: { text: rule.help, markdown: rule.help } } : {}),
              ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
              defaultConfiguration: { level: rule.defaultLevel },
              ...(rule.properties ? { properties: rule.properties } : {}),
              ...(rule.relationships?.length
                ? {
                    relationships: rule.relationships.map((r) => ({
                      target: { id: r.id, index: taxonIndex(r.taxonomy, r.id), toolComponent: component(r.taxonomy) },
                      kinds: [...r.kinds],
                    })),
                  }
                : {}),
            })),
          },
        },
        ...(taxonomies.length
          ? {
              taxonomies: taxonomies.map((t) => ({
                name: t.name,
                ...(t.organization ? { organization: t.organization } : {}),
                ...(t.version ? { version: t.version } : {}),
                ...(t.informationUri ? { informationUri: t.informationUri } : {}),
                ...(t.shortDescription ? { shortDescription: { text: t.shortDescription } } : {}),
                isComprehensive: false,
                taxa: t.taxa.map((taxon) => ({
                  id: taxon.id,
                  name: taxon.name,
                  ...(taxon.shortDescription ? { shortDescription: { text: taxon.shortDescription } } : {}),
                  ...(taxon.helpUri ? { helpUri: taxon.helpUri } : {}),
                })),
              })),
            }
          : {}),
        columnKind: COLUMN_KIND,
        results: streamResults ? streamedArray(mapIterable(results, sarifResult)) : [...results].map(sarifResult),
        ...(invocation
          ? {
              invocations: [
                {
                  executionSuccessful: invocation.executionSuccessful,
                  toolExecutionNotifications: invocation.notifications.map((n) => ({
                    level: n.level,
                    message: { text: n.message },
                    ...(n.location ? { locations: [{ physicalLocation: physicalLocation(n.location, baseDir) }] } : {}),
                  })),
                  ...(invocation.properties ? { properties: invocation.properties } : {}),
                },
              ],
            }
          : {}),
        ...(info.properties ? { properties: info.properties } : {}),
      },
    ],
  };
}

export function renderSarif(tool: SarifTool, results: readonly SarifResult[], info?: SarifRunInfo): string {
  return jsonText(sarifLog(tool, results, info));
}

/**
 * `renderSarif` in chunks (src/report/json-stream.ts), the same bytes: the results are made one
 * at a time from `results` as they are written, so a log of 100,000 results is never whole in memory.
 */
export function sarifChunks(tool: SarifTool, results: Iterable<SarifResult>, info: SarifRunInfo = {}): Generator<string> {
  return jsonTextChunks(sarifSkeleton(tool, results, info, true));
}
