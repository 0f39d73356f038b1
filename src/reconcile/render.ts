/**
 * Plans for people and programs: text, JSON and markdown. The first line of each names the
 * backend the plan was read through. Secret parameters (catalog type `secret`) are redacted.
 *
 * Commands are shown in PowerShell syntax for reading only: mailpolicy never runs this text,
 * it sends the parameters as JSON to be splatted.
 */
import { isCmdletName } from '../exchange/catalog';
import { secretParameters } from '../exchange/request';
import { escapeControls, hasUnsafeCharacters, joinLines, jsonText, UNSAFE_CHARACTERS } from '../text/escape';
import { rulesDocument, rulesSectionMarkdown, rulesSectionText, type CheckedFile } from '../report/findings';
import { markdownCode } from '../report/table';
import type { CmdletRequest, JsonValue } from '../exchange/types';
import { count, namesShown, sameGroups, type SameGroup } from '../report/same-groups';
import { describeDrift } from './drift';
import { formatValue } from './format-value';
import { jsonTextChunks, mapIterable, streamedArray } from '../report/json-stream';
import { changesByResource, type Change, type Plan, type PlanTarget } from './plan';
import { unmatchedDocument, unmatchedWarning, type Locate } from './unmatched';

export const PLAN_FORMATS = ['text', 'json', 'markdown'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export const REDACTED = '***';

/** The request with every secret parameter replaced by `***`. */
export function redactRequest(request: CmdletRequest): CmdletRequest {
  if (!isCmdletName(request.cmdlet)) return request;
  const secrets = secretParameters(request.cmdlet);
  if (secrets.length === 0) return request;
  const parameters: Record<string, JsonValue> = { ...request.parameters };
  for (const name of secrets) if (name in parameters) parameters[name] = REDACTED;
  return { ...request, parameters };
}

// PowerShell treats U+2018..U+201B as single quotes too: double them all, as for `'`.
function quote(text: string): string {
  return `'${text.replace(/['\u2018-\u201b]/g, (q) => q + q)}'`;
}

/**
 * Inside a double-quoted string: what starts an escape or an expansion, or ends the string
 * (U+201C..U+201E are double quotes too). `#` needs no escape, but `` `# `` is `#` all the same
 * and keeps readers (and tree-sitter-powershell, which tests parse with) from seeing a comment.
 */
const EXPANDABLE_SPECIAL = /[`$"#\u201c-\u201e]/g;
const BACKTICK_NAMED: Readonly<Record<string, string>> = { '\0': '`0', '\n': '`n', '\r': '`r', '\t': '`t', '\u001b': '`e' };

/**
 * A value holding control or bidi characters (they come from Exchange): a double-quoted string
 * with backtick escapes (`n, `u{202E}), so the printed line stays one line that reads as it is
 * and pastes as exactly this value. `$` and backticks are escaped, so nothing expands.
 */
function quoteExpandable(text: string): string {
  const body = text
    .replace(EXPANDABLE_SPECIAL, (c) => `\`${c}`)
    .replace(UNSAFE_CHARACTERS, (c) => BACKTICK_NAMED[c] ?? `\`u{${c.charCodeAt(0).toString(16).toUpperCase()}}`);
  return `"${body}"`;
}

/** One PowerShell literal (or a list of them) that evaluates to exactly `value`. */
function psValue(value: JsonValue): string {
  if (value === null) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return hasUnsafeCharacters(value) ? quoteExpandable(value) : quote(value);
  if (Array.isArray(value)) return value.length === 0 ? '@()' : value.map((v) => psValue(v)).join(',');
  return psValue(JSON.stringify(value));
}

function invocation(cmdlet: string, parameters: Readonly<Record<string, JsonValue>>): string {
  const parts = [cmdlet];
  for (const [name, value] of Object.entries(parameters)) {
    parts.push(typeof value === 'boolean' || value === null ? `-${name}:${psValue(value)}` : `-${name} ${psValue(value)}`);
  }
  return parts.join(' ');
}

/**
 * The one rendering of a cmdlet call for people: `Set-CASMailbox -Identity 'a@contoso.com'
 * -PopEnabled:$false`, secrets redacted. A Windows service cmdlet runs on its Exchange server,
 * as the PowerShell host runs it (PowerShell 7's service cmdlets have no -ComputerName; see
 * docs/exchange-facts.md): `Invoke-Command -ComputerName 'EX01' -ScriptBlock { Restart-Service
 * -Name 'MSExchangePOP3','MSExchangePOP3BE' }`. What is printed pastes as what the host runs.
 */
export function commandLine(request: CmdletRequest): string {
  const shown = redactRequest(request);
  if (shown.computerName !== undefined) return `Invoke-Command -ComputerName ${psValue(shown.computerName)} -ScriptBlock { ${invocation(shown.cmdlet, shown.parameters)} }`;
  return invocation(shown.cmdlet, shown.parameters);
}

/** `contoso (Exchange Online worldwide, contoso.onmicrosoft.com)`: the heading of plan and drift reports. */
export function targetLine(t: PlanTarget): string {
  const where = t.platform === 'exchangeOnline' ? `Exchange Online ${t.cloud ?? 'worldwide'}` : 'Exchange Server';
  return `${t.name} (${where}, ${t.organization})`;
}

function summaryLine(plan: Plan): string {
  if (plan.changes.length === 0) return `No changes: ${plan.resources.length} resource(s) match the document.`;
  const touched = changesByResource(plan).filter((g) => g.changes.length > 0).length;
  return `${plan.changes.length} change(s) in ${touched} of ${plan.resources.length} resource(s).`;
}

/** The unmatched-exception warning as text lines, first after the backend line (nothing when there is none). */
export function warningLines(plan: Pick<Plan, 'unmatchedExceptions'>, locate?: Locate): string[] {
  const warning = unmatchedWarning(plan.unmatchedExceptions, locate);
  return warning ? [warning.heading, ...warning.items.map((item) => `  ${item}`), ''] : [];
}

/** What a plan is shown with besides itself: the document's rule findings and its FILE:LINE:COL. */
export interface PlanContext {
  /** The document's rule findings, shown first (what `mailpolicy check` reports). */
  readonly rules?: CheckedFile;
  /** The document's FILE:LINE:COL of a pointer, for the warnings (the CLI has the file). */
  readonly locate?: Locate;
  /** Text and markdown: every change on its own line; by default identical changes are grouped (JSON always lists every one). */
  readonly detail?: boolean;
}

/**
 * Changes that are the same but for the object they act on: the same action and cmdlet with the
 * same parameters other than -Identity (secrets redacted), on the same server, fixing the same
 * settings from the same values to the same values. Only changes with an -Identity group; every
 * other change is its own line.
 */
function sameChangeKey(change: Change): string | undefined {
  const request = redactRequest(change.request);
  if (!('Identity' in request.parameters)) return undefined;
  const { Identity: _identity, ...others } = request.parameters;
  const drift = change.drift.map((d) => [d.key, d.desired, d.actual === undefined ? '(none)' : d.actual]);
  return JSON.stringify([change.action, request.cmdlet, request.computerName ?? null, others, drift]);
}

/** How a group's objects are counted: mailboxes, or objects for any other kind. */
const objectsNoun = (change: Change) => (change.resource.kind === 'CasMailboxProtocol' ? 'mailboxes' : 'objects');

/** A group of identical changes: the command without -Identity, `× N mailboxes`, what it changes, the first identities. */
function groupedChange(group: SameGroup<Change>): { command: string; change: string; names: { shown: string; more?: string } } {
  const { Identity: _identity, ...others } = group.first.request.parameters;
  const command = `${commandLine({ ...group.first.request, parameters: others })} × ${count(group.members.length)} ${objectsNoun(group.first)}`;
  return { command, change: describeDrift(group.first.drift), names: namesShown(group.members.map((c) => c.subject)) };
}

/** Each resource's changes, identical ones grouped unless `detail`. */
function changeGroups(changes: readonly Change[], detail: boolean): SameGroup<Change>[] {
  return detail ? changes.map((c) => ({ first: c, members: [c] })) : sameGroups(changes, sameChangeKey);
}

export function renderText(plan: Plan, backend: string, { rules, locate, detail = false }: PlanContext = {}): string {
  const lines = [backend, ...warningLines(plan, locate), `Plan for ${targetLine(plan.target)}`, ...(rules ? rulesSectionText(rules) : []), summaryLine(plan)];
  for (const group of changesByResource(plan)) {
    if (group.changes.length === 0) continue;
    lines.push('', `${group.resource.kind} ${group.resource.name}`);
    for (const same of changeGroups(group.changes, detail)) {
      if (same.members.length === 1) {
        lines.push(`  ${commandLine(same.first.request)}`, `    # ${same.first.description}`);
        continue;
      }
      const shown = groupedChange(same);
      lines.push(`  ${shown.command}`, `    # ${shown.change}`, `    -Identity: ${shown.names.shown}`, ...(shown.names.more ? [`    ${shown.names.more}`] : []));
    }
  }
  if (plan.notes.length > 0) lines.push('', 'Notes:', ...plan.notes.map((n) => `  - ${n}`));
  return joinLines(lines);
}

/** One change as the JSON plan lists it, secrets redacted. */
function changeDocument(c: Change): Record<string, JsonValue> {
  const request = redactRequest(c.request);
  return {
    action: c.action,
    subject: c.subject,
    cmdlet: request.cmdlet,
    parameters: { ...request.parameters },
    // A Windows service cmdlet's server: Invoke-Command's -ComputerName, not a parameter of the cmdlet.
    ...(request.computerName === undefined ? {} : { computerName: request.computerName }),
    description: c.description,
    drift: c.drift.map((d) => ({ key: d.key, desired: d.desired, actual: d.actual === undefined ? null : d.actual })),
  };
}

/** The JSON plan; `streamed`: each resource's changes as a streamed array (src/report/json-stream.ts), for `planChunks`. */
export function planDocument(plan: Plan, backend: string, { rules, locate }: PlanContext = {}, streamed = false): Record<string, unknown> {
  return {
    backend,
    unmatchedExceptions: unmatchedDocument(plan.unmatchedExceptions, locate),
    target: { ...plan.target },
    ...(rules ? { rules: rulesDocument(rules) as Record<string, JsonValue> } : {}),
    summary: { changes: plan.changes.length, resources: plan.resources.length },
    resources: changesByResource(plan).map((group) => ({
      kind: group.resource.kind,
      name: group.resource.name,
      changes: streamed ? streamedArray(mapIterable(group.changes, changeDocument)) : group.changes.map(changeDocument),
    })),
    notes: [...plan.notes],
  };
}

// `backend` stays on the first line, as for every other format.
const backendFirst = (text: string) => text.replace(/^\{\n\s+"backend"/, '{ "backend"');

export function renderJson(plan: Plan, backend: string, context: PlanContext = {}): string {
  return backendFirst(jsonText(planDocument(plan, backend, context)));
}

/** `renderJson` in chunks, the same bytes: the changes are made as they are written. */
function* jsonChunks(plan: Plan, backend: string, context: PlanContext): Generator<string> {
  let first = true;
  for (const chunk of jsonTextChunks(planDocument(plan, backend, context, true))) {
    yield first ? backendFirst(chunk) : chunk;
    first = false;
  }
}

function cell(text: string): string {
  return escapeControls(text.replace(/\|/g, '\\|').replace(/\n/g, ' '));
}

/** The unmatched-exception warning in markdown, first after the backend line. */
export function markdownWarning(plan: Pick<Plan, 'unmatchedExceptions'>, locate?: Locate): string[] {
  const warning = unmatchedWarning(plan.unmatchedExceptions, locate);
  return warning ? ['', `> **⚠️ ${cell(warning.heading)}**`, ...warning.items.map((item) => `> - ${cell(item)}`)] : [];
}

export function renderMarkdown(plan: Plan, backend: string, { rules, locate, detail = false }: PlanContext = {}): string {
  const lines = [backend, ...markdownWarning(plan, locate), '', `## Plan for ${targetLine(plan.target)}`, '', ...(rules ? [...rulesSectionMarkdown(rules), ''] : []), summaryLine(plan)];
  for (const group of changesByResource(plan)) {
    if (group.changes.length === 0) continue;
    lines.push('', `### ${group.resource.kind} \`${group.resource.name}\``, '', '| Command | Change |', '|---|---|');
    for (const same of changeGroups(group.changes, detail)) {
      const change = same.first;
      const drift = change.drift.length === 0 ? change.description : change.drift.map((d) => `${d.key}: ${formatValue(d.actual)} → ${formatValue(d.desired)}`).join('<br>');
      if (same.members.length === 1) {
        lines.push(`| ${markdownCode(commandLine(change.request))} | ${cell(drift)} |`);
        continue;
      }
      const shown = groupedChange(same);
      const names = `-Identity: ${shown.names.shown}${shown.names.more ? ` ${shown.names.more}` : ''}`;
      lines.push(`| ${markdownCode(shown.command)} | ${cell(drift)}<br>${cell(names)} |`);
    }
  }
  if (plan.notes.length > 0) lines.push('', '**Notes**', '', ...plan.notes.map((n) => `- ${cell(n)}`));
  return joinLines(lines);
}

export function renderPlan(plan: Plan, backend: string, format: PlanFormat, context: PlanContext = {}): string {
  return [...planChunks(plan, backend, format, context)].join('');
}

/** The plan in chunks, to be written one after the other (JSON is made as it is written). */
export function planChunks(plan: Plan, backend: string, format: PlanFormat, context: PlanContext = {}): Iterable<string> {
  switch (format) {
    case 'text':
      return [renderText(plan, backend, context)];
    case 'json':
      return jsonChunks(plan, backend, context);
    case 'markdown':
      return [renderMarkdown(plan, backend, context)];
  }
}
