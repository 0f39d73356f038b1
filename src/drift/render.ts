/**
 * Drift reports for people (text for terminals and CI logs, markdown for job summaries and
 * tickets) and programs (JSON for alerting, SARIF for code scanning). Text and markdown show
 * at most `limit` items per resource so a drifted 100,000-mailbox organisation keeps logs
 * readable; JSON and SARIF always hold every item.
 */
import type { JsonValue } from '../exchange/types';
import { formatLocation } from '../model/problem';
import type { SourceLocation } from '../model/types';
import { formatValue } from '../reconcile/format-value';
import { resourceKey } from '../reconcile/plan';
import { markdownWarning, targetLine, warningLines } from '../reconcile/render';
import { unmatchedDocument } from '../reconcile/unmatched';
import { escapeControls, joinLines, jsonText } from '../text/escape';
import { count, namesShown, sameGroups, type SameGroup } from '../report/same-groups';
import { markdownCell, markdownCode, markdownTable } from '../report/table';
import { jsonTextChunks, mapIterable, streamedArray } from '../report/json-stream';
import { renderSarif, sarifChunks, type SarifResult, type SarifRule, type SarifTool } from '../report/sarif';
import { RESOURCE_KINDS } from '../reconcile/kinds/types';
import { serverVersionText } from '../model/server-versions';
import { UNDECLARED_WHATS } from '../reconcile/undeclared';
import { inSync, serversBelowMinimum, undeclaredFindings, type DriftItem, type DriftReport, type UndeclaredItem } from './report';

export const DRIFT_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

export const DEFAULT_LIMIT = 50;

export interface RenderOptions {
  /** Items shown per resource in text and markdown; 0 = all. */
  readonly limit?: number;
  /** Tool version for SARIF. */
  readonly version?: string;
  /** Text and markdown: every drifted setting on its own line; by default the same drift on many objects is one. */
  readonly detail?: boolean;
}

function summary(report: DriftReport): string {
  const undeclared = report.undeclared?.objects.length ?? 0;
  if (inSync(report)) {
    const also = undeclared > 0 ? ` ${undeclared} object(s) in Exchange are not declared (below; --undeclared error makes them findings).` : '';
    return `In sync: ${report.resources} resource(s) match ${report.file}.${also}`;
  }
  const below = serversBelowMinimum(report).length;
  const servers = below > 0 ? `; ${below} server(s) below minimumServerVersion` : '';
  const objects = undeclared > 0 ? `; ${undeclared} object(s) in Exchange not declared${undeclaredFindings(report) > 0 ? '' : ' (information)'}` : '';
  return `Drift: ${report.items.length} setting(s) in ${report.driftedResources} of ${report.resources} resource(s) differ from ${report.file}${servers}${objects}.`;
}

/** `allowBasicAuthPop true, allowBasicAuthImap false`: what Exchange has on an object not declared. */
function settingsText(settings: UndeclaredItem['settings']): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key} ${formatValue(value)}`)
    .join(', ');
}

/** `FILE:LINE:COL: authentication policy Rogue (the organisation default): allowBasicAuthPop true, …` */
export function undeclaredLine(o: UndeclaredItem): string {
  const settings = settingsText(o.settings);
  return `${formatLocation(o.location)}: ${o.object} ${o.name}${o.note ? ` (${o.note})` : ''}${settings === '' ? '' : `: ${settings}`}`;
}

/** `in Exchange, not in FILE; information (…)`: what the section lists and what it counts for. */
function undeclaredWhat(report: DriftReport): string {
  const what = report.undeclared?.error === true ? 'findings, --undeclared error' : 'information, --undeclared error makes them findings';
  return `in Exchange, not in ${report.file}; ${what}`;
}

/** Objects not declared by kind, in report order, each kind cut to `limit`. */
function undeclaredGroups(report: DriftReport, limit: number): { what: string; shown: UndeclaredItem[]; hidden: number }[] {
  const byWhat = new Map<string, UndeclaredItem[]>();
  for (const o of report.undeclared?.objects ?? []) {
    const list = byWhat.get(o.what) ?? [];
    list.push(o);
    byWhat.set(o.what, list);
  }
  return [...byWhat].map(([what, list]) => {
    const shown = limit > 0 ? list.slice(0, limit) : list;
    return { what, shown, hidden: list.length - shown.length };
  });
}

/**
 * One line per server (Get-ExchangeServer): a server below the document's minimum is drift,
 * located at target.minimumServerVersion; no cmdlet fixes it (upgrade the server).
 */
function serverLines(report: DriftReport): string[] {
  const minimum = report.minimumServerVersion;
  return (report.servers ?? []).map((s) => {
    const text = serverVersionText(s, minimum?.version);
    return s.belowMinimum && minimum ? `${formatLocation(minimum.location)}: ${text} (upgrade the server: no cmdlet fixes this)` : text;
  });
}

const SERVERS_HEADING = 'Servers (Get-ExchangeServer AdminDisplayVersion):';

function actualText(item: DriftItem): string {
  return item.objectMissing ? '(does not exist)' : formatValue(item.actual);
}

/**
 * The same drift on many objects: the same declaration (pointer), setting, desired and actual
 * values, fixed by the same cmdlet. Only mailbox drift groups (many objects under one
 * declaration); every other item is its own line.
 */
function sameDriftKey(item: DriftItem): string | undefined {
  if (item.resource.kind !== 'CasMailboxProtocol') return undefined;
  return JSON.stringify([item.pointer, item.setting, item.desired, item.actual, item.objectMissing, item.cmdlet]);
}

/** Items grouped by resource, in report order, the same drift grouped unless `detail`, each resource's lines cut to `limit`. */
function groups(report: DriftReport, limit: number, detail: boolean): { title: string; shown: SameGroup<DriftItem>[]; hidden: number }[] {
  const out = new Map<string, { title: string; items: DriftItem[] }>();
  for (const item of report.items) {
    const key = resourceKey(item.resource);
    const group = out.get(key) ?? { title: `${item.resource.kind} ${item.resource.name}`, items: [] };
    group.items.push(item);
    out.set(key, group);
  }
  return [...out.values()].map(({ title, items }) => {
    const lines = detail ? items.map((i) => ({ first: i, members: [i] })) : sameGroups(items, sameDriftKey);
    const shown = limit > 0 ? lines.slice(0, limit) : lines;
    return { title, shown, hidden: lines.length - shown.length };
  });
}

/** `FILE:LINE:COL: popEnabled: desired false, actual true × 100,000 mailboxes`: the same drift on many mailboxes. */
function groupedLine(group: SameGroup<DriftItem>): string {
  const item = group.first;
  return `${formatLocation(item.location)}: ${item.setting}: desired ${formatValue(item.desired)}, actual ${actualText(item)} × ${count(group.members.length)} mailboxes`;
}

/** `FILE:LINE:COL: subject setting: desired X, actual Y`: one drifted setting, where the document declares it. */
export function driftItemLine(item: DriftItem): string {
  return `${formatLocation(item.location)}: ${item.subject} ${item.setting}: desired ${formatValue(item.desired)}, actual ${actualText(item)}`;
}

const more = (hidden: number) => `… and ${hidden} more (--limit 0 shows all; --format json lists every item)`;

/** Where each unmatched exception identity is: the report already located them. */
const located = (report: DriftReport) => (pointer: string) => report.unmatchedExceptions.find((u) => u.pointer === pointer)?.location ?? { file: report.file, line: 1, column: 1 };

export function renderText(report: DriftReport, options: RenderOptions = {}): string {
  const lines = [report.backend, ...warningLines(report, located(report)), `Drift check of ${targetLine(report.target)}`, summary(report)];
  for (const group of groups(report, options.limit ?? DEFAULT_LIMIT, options.detail === true)) {
    lines.push('', group.title);
    for (const same of group.shown) {
      const item = same.first;
      if (same.members.length === 1) {
        lines.push(`  ${driftItemLine(item)}`, `    fix: ${item.fix}`);
        continue;
      }
      const names = namesShown(same.members.map((i) => i.subject));
      lines.push(`  ${groupedLine(same)}`, `    mailboxes: ${names.shown}`, ...(names.more ? [`    ${names.more}`] : []), `    fix, first of them: ${item.fix}`);
    }
    if (group.hidden > 0) lines.push(`  ${more(group.hidden)}`);
  }
  if (report.servers && report.servers.length > 0) lines.push('', SERVERS_HEADING, ...serverLines(report).map((l) => `  ${l}`));
  if (report.followUps.length > 0) {
    lines.push('', 'Then:');
    for (const f of report.followUps) lines.push(`  ${formatLocation(f.location)}: ${f.description}`, `    fix: ${f.fix}`);
  }
  const undeclared = undeclaredGroups(report, options.limit ?? DEFAULT_LIMIT);
  if (undeclared.length > 0) {
    lines.push('', `Not declared (${undeclaredWhat(report)}):`);
    for (const group of undeclared) {
      lines.push(`  ${group.what}`, ...group.shown.map((o) => `    ${undeclaredLine(o)}`));
      if (group.hidden > 0) lines.push(`    ${more(group.hidden)}`);
    }
  }
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((n) => `  - ${n}`));
  return joinLines(lines);
}

export function renderMarkdown(report: DriftReport, options: RenderOptions = {}): string {
  const lines = [report.backend, ...markdownWarning(report, located(report)), '', `## ${inSync(report) ? '✅' : '⚠️'} Drift check of ${markdownCell(targetLine(report.target))}`, '', markdownCell(summary(report))];
  for (const group of groups(report, options.limit ?? DEFAULT_LIMIT, options.detail === true)) {
    lines.push('', `### ${markdownCell(group.title)}`, '');
    const table = markdownTable({
      headers: ['Where', 'Object', 'Setting', 'Desired', 'Actual', 'Fix'],
      rows: group.shown.map(({ first: i, members }) => {
        if (members.length === 1) return [formatLocation(i.location), i.subject, i.setting, formatValue(i.desired), actualText(i), { code: i.fix }];
        const names = namesShown(members.map((m) => m.subject));
        return [formatLocation(i.location), `${count(members.length)} mailboxes: ${names.shown}${names.more ? ` ${names.more}` : ''}`, i.setting, formatValue(i.desired), actualText(i), { code: i.fix }];
      }),
    });
    // Cells are escaped already: the table's own newlines separate its rows.
    lines.push(...table.trimEnd().split('\n'));
    if (group.hidden > 0) lines.push('', markdownCell(more(group.hidden)));
  }
  if (report.servers && report.servers.length > 0) lines.push('', `### ${SERVERS_HEADING}`, '', ...serverLines(report).map((l) => `- ${markdownCell(l)}`));
  if (report.followUps.length > 0) {
    lines.push('', '### Then', '');
    for (const f of report.followUps) lines.push(`- ${markdownCell(f.description)}: ${markdownCode(f.fix, false)}`);
  }
  const undeclared = undeclaredGroups(report, options.limit ?? DEFAULT_LIMIT);
  if (undeclared.length > 0) {
    lines.push('', '### Not declared', '', markdownCell(`In ${undeclaredWhat(report).slice(3)}.`), '');
    const table = markdownTable({
      headers: ['Where', 'What', 'Object', 'Exchange has', 'Note'],
      rows: undeclared.flatMap((g) => g.shown.map((o) => [formatLocation(o.location), g.what, `${o.object} ${o.name}`, settingsText(o.settings), o.note ?? ''])),
    });
    lines.push(...table.trimEnd().split('\n'));
    const hidden = undeclared.reduce((n, g) => n + g.hidden, 0);
    if (hidden > 0) lines.push('', markdownCell(more(hidden)));
  }
  if (report.notes.length > 0) lines.push('', '**Notes**', '', ...report.notes.map((n) => `- ${markdownCell(n)}`));
  return joinLines(lines);
}

const location = (l: SourceLocation) => ({ file: l.file, line: l.line, column: l.column });

/** One drifted setting as JSON lists it. */
function driftItemDocument(i: DriftItem): Record<string, JsonValue> {
  return {
    resource: { kind: i.resource.kind, name: i.resource.name },
    subject: i.subject,
    setting: i.setting,
    desired: i.desired,
    actual: i.actual,
    objectMissing: i.objectMissing,
    cmdlet: i.cmdlet,
    fix: i.fix,
    pointer: i.pointer,
    location: location(i.location),
  };
}

/** One object not declared as JSON lists it. */
function undeclaredDocument(o: UndeclaredItem): Record<string, JsonValue> {
  return {
    kind: o.kind,
    what: o.what,
    object: o.object,
    name: o.name,
    settings: { ...o.settings },
    ...(o.note === undefined ? {} : { note: o.note }),
    listedBy: o.listedBy,
    pointer: o.pointer,
    location: location(o.location),
  };
}

/** The JSON document; `streamed`: the drift list as a streamed array (src/report/json-stream.ts), for `driftChunks`. */
export function driftDocument(report: DriftReport, streamed = false): Record<string, unknown> {
  return {
    backend: report.backend,
    file: report.file,
    unmatchedExceptions: unmatchedDocument(report.unmatchedExceptions, located(report)),
    target: { ...report.target },
    inSync: inSync(report),
    summary: { settings: report.items.length, driftedResources: report.driftedResources, resources: report.resources },
    drift: streamed ? streamedArray(mapIterable(report.items, driftItemDocument)) : report.items.map(driftItemDocument),
    followUps: report.followUps.map((f) => ({
      resource: { kind: f.resource.kind, name: f.resource.name },
      subject: f.subject,
      description: f.description,
      cmdlet: f.cmdlet,
      fix: f.fix,
      pointer: f.pointer,
      location: location(f.location),
    })),
    notes: [...report.notes],
    ...(report.undeclared === undefined
      ? {}
      : {
          undeclared: {
            error: report.undeclared.error,
            count: report.undeclared.objects.length,
            objects: streamed ? streamedArray(mapIterable(report.undeclared.objects, undeclaredDocument)) : report.undeclared.objects.map(undeclaredDocument),
          },
        }),
    ...(report.servers === undefined
      ? {}
      : { servers: report.servers.map((s) => ({ name: s.name, version: s.version, product: s.product, supported: s.supported, belowMinimum: s.belowMinimum })) }),
  };
}

export function renderJson(report: DriftReport): string {
  return jsonText(driftDocument(report));
}

/** One SARIF rule per resource kind, so code-scanning filters can tell transport config drift from mailbox drift. */
export const DRIFT_RULES: readonly SarifRule[] = RESOURCE_KINDS.map((kind) => ({
  id: `drift/${kind}`,
  name: `${kind}Drift`,
  shortDescription: `${kind}: a setting in Exchange differs from the document`,
  help: 'Run `mailpolicy plan` to see every change, then `pulumi up` to apply them, or change the document to accept the value Exchange has.',
  defaultLevel: 'warning',
}));

/** A server below the document's minimumServerVersion. */
export const SERVER_VERSION_DRIFT_RULE: SarifRule = {
  id: 'drift/ServerVersion',
  name: 'ServerVersionDrift',
  shortDescription: 'An Exchange server runs a build below the document\'s target.minimumServerVersion',
  help: 'Upgrade the server (Exchange Server SE is the supported version); no cmdlet fixes this. Or change the document to accept the build the server runs.',
  defaultLevel: 'warning',
};

/** One rule per kind that can tell objects not declared: `note` unless `--undeclared error`. */
export const UNDECLARED_RULES: readonly SarifRule[] = UNDECLARED_WHATS.map(({ kind, what }) => ({
  id: `undeclared/${what}`,
  name: `${what}Undeclared`,
  shortDescription: `${what}: an object in Exchange the document does not mention (its ${kind} section)`,
  help: 'Declare it in the document (`mailpolicy export --undeclared FILE` writes it as it is), or remove it from Exchange. `mailpolicy drift --undeclared error` makes these findings.',
  defaultLevel: 'note',
}));

function driftSarif(report: DriftReport, options: RenderOptions): { tool: SarifTool; results: Iterable<SarifResult> } {
  const minimum = report.minimumServerVersion;
  const servers: SarifResult[] = minimum
    ? serversBelowMinimum(report).map((s) => ({
        ruleId: SERVER_VERSION_DRIFT_RULE.id,
        level: 'warning' as const,
        message: escapeControls(serverVersionText(s, minimum.version)),
        location: minimum.location,
        fingerprint: `ServerVersion/${s.name.toLowerCase()}`,
        properties: { version: s.version, minimum: minimum.version, backend: report.backend },
      }))
    : [];
  const result = (i: DriftItem): SarifResult => ({
    ruleId: `drift/${i.resource.kind}`,
    level: 'warning' as const,
    // Viewers show the message as it is.
    message: escapeControls(`${i.subject} ${i.setting}: desired ${formatValue(i.desired)}, actual ${actualText(i)}. Fix: ${i.fix}`),
    location: i.location,
    fingerprint: `${i.resource.kind}/${i.subject.toLowerCase()}/${i.setting}`,
    properties: { desired: i.desired, actual: i.actual, cmdlet: i.cmdlet, backend: report.backend },
  });
  // Made one at a time as they are written (sarifChunks): 100,000 results are never all in memory.
  const level = report.undeclared?.error === true ? ('warning' as const) : ('note' as const);
  const undeclared = (o: UndeclaredItem): SarifResult => ({
    ruleId: `undeclared/${o.what}`,
    level,
    message: escapeControls(`${o.object} ${o.name}${o.note ? ` (${o.note})` : ''} is in Exchange but not in the document${Object.keys(o.settings).length > 0 ? `: ${settingsText(o.settings)}` : ''}`),
    location: o.location,
    fingerprint: `undeclared/${o.what}/${o.name.toLowerCase()}`,
    properties: { object: o.object, name: o.name, settings: { ...o.settings }, listedBy: o.listedBy, backend: report.backend },
  });
  function* results(): Generator<SarifResult> {
    yield* mapIterable(report.items, result);
    yield* servers;
    yield* mapIterable(report.undeclared?.objects ?? [], undeclared);
  }
  return { tool: { name: 'mailpolicy drift', version: options.version ?? '0.0.0', rules: [...DRIFT_RULES, SERVER_VERSION_DRIFT_RULE, ...UNDECLARED_RULES] }, results: results() };
}

export function renderDriftSarif(report: DriftReport, options: RenderOptions = {}): string {
  const { tool, results } = driftSarif(report, options);
  return renderSarif(tool, [...results]);
}

export function renderDrift(report: DriftReport, format: DriftFormat, options: RenderOptions = {}): string {
  return [...driftChunks(report, format, options)].join('');
}

/**
 * The report in chunks, to be written one after the other: JSON and SARIF are made as they are
 * written (src/report/json-stream.ts), byte for byte `renderJson` and `renderDriftSarif`, so a
 * 100,000-mailbox report never stands whole in memory.
 */
export function driftChunks(report: DriftReport, format: DriftFormat, options: RenderOptions = {}): Iterable<string> {
  switch (format) {
    case 'text':
      return [renderText(report, options)];
    case 'markdown':
      return [renderMarkdown(report, options)];
    case 'json':
      return jsonTextChunks(driftDocument(report, true));
    case 'sarif': {
      const { tool, results } = driftSarif(report, options);
      return sarifChunks(tool, results);
    }
  }
}
