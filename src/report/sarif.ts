/**
 * A small SARIF 2.1.0 writer shared by every command that reports findings against a document
 * (`check`, `drift`): GitHub code scanning and other SARIF viewers show them at FILE:LINE:COL.
 * Callers describe their rules and results; this module owns the SARIF shape.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceLocation } from '../model/types';

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
}

export interface SarifResult {
  readonly ruleId: string;
  readonly level: SarifLevel;
  readonly message: string;
  readonly location: SourceLocation;
  /** Stable identity of the finding across runs (viewers track it as "the same alert"). */
  readonly fingerprint?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface SarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
  readonly rules: readonly SarifRule[];
}

/** Relative to `baseDir` with forward slashes when the file is below it, else a file:// URI. */
export function artifactUri(file: string, baseDir: string = process.cwd()): string {
  const absolute = path.resolve(baseDir, file);
  const relative = path.relative(baseDir, absolute);
  // Percent-encoded per segment: SARIF requires a URI reference, and file names may hold spaces, quotes or '%'.
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).map(encodeURIComponent).join('/');
  return pathToFileURL(absolute).href;
}

export function sarifLog(tool: SarifTool, results: readonly SarifResult[], baseDir: string = process.cwd()): Record<string, unknown> {
  const ruleIndex = new Map(tool.rules.map((rule, index) => [rule.id, index]));
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
            rules: tool.rules.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.shortDescription },
              ...(rule.fullDescription ? { fullDescription: { text: rule.fullDescription } } : {}),
              ...(rule.help ? { help: { text: rule.help, markdown: rule.help } } : {}),
              ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
              defaultConfiguration: { level: rule.defaultLevel },
              ...(rule.properties ? { properties: rule.properties } : {}),
            })),
          },
        },
        columnKind: 'unicodeCodePoints',
        results: results.map((result) => ({
          ruleId: result.ruleId,
          ...(ruleIndex.has(result.ruleId) ? { ruleIndex: ruleIndex.get(result.ruleId) } : {}),
          level: result.level,
          message: { text: result.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(result.location.file, baseDir) },
                region: { startLine: Math.max(1, result.location.line), startColumn: Math.max(1, result.location.column) },
              },
            },
          ],
          ...(result.fingerprint ? { partialFingerprints: { 'mailpolicy/v1': result.fingerprint } } : {}),
          ...(result.properties ? { properties: result.properties } : {}),
        })),
      },
    ],
  };
}

export function renderSarif(tool: SarifTool, results: readonly SarifResult[], baseDir?: string): string {
  return `${JSON.stringify(sarifLog(tool, results, baseDir), null, 2)}\n`;
}
