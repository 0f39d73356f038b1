/**
 * Plans for people and programs: text, JSON and markdown. The first line of each names the
 * backend the plan was read through. Secret parameters (catalog type `secret`) are redacted.
 *
 * Commands are shown in PowerShell syntax for reading only: mailpolicy never runs this text,
 * it sends the parameters as JSON to be splatted.
 */
import { isCmdletName, secretParameters } from '../exchange/catalog';
import type { CmdletRequest, JsonValue } from '../exchange/types';
import { formatValue } from './drift';
import { changesByResource, type Plan, type PlanTarget } from './plan';
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
  return { cmdlet: request.cmdlet, parameters };
}

// PowerShell treats U+2018..U+201B as single quotes too: double them all, as for `'`.
function quote(text: string): string {
  return `'${text.replace(/['\u2018-\u201b]/g, (q) => q + q)}'`;
}

function psValue(value: JsonValue): string {
  if (value === null) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return value.length === 0 ? '@()' : value.map((v) => psValue(v)).join(',');
  return quote(JSON.stringify(value));
}

/** `Set-CASMailbox -Identity 'a@contoso.com' -PopEnabled:$false` */
export function commandLine(request: CmdletRequest): string {
  const shown = redactRequest(request);
  const parts = [shown.cmdlet];
  for (const [name, value] of Object.entries(shown.parameters)) {
    parts.push(typeof value === 'boolean' || value === null ? `-${name}:${psValue(value)}` : `-${name} ${psValue(value)}`);
  }
  return parts.join(' ');
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

export function renderText(plan: Plan, backend: string, locate?: Locate): string {
  const lines = [backend, ...warningLines(plan, locate), `Plan for ${targetLine(plan.target)}`, summaryLine(plan)];
  for (const group of changesByResource(plan)) {
    if (group.changes.length === 0) continue;
    lines.push('', `${group.resource.kind} ${group.resource.name}`);
    for (const change of group.changes) {
      lines.push(`  ${commandLine(change.request)}`, `    # ${change.description}`);
    }
  }
  if (plan.notes.length > 0) lines.push('', 'Notes:', ...plan.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

export function planDocument(plan: Plan, backend: string, locate?: Locate): Record<string, JsonValue> {
  return {
    backend,
    unmatchedExceptions: unmatchedDocument(plan.unmatchedExceptions, locate),
    target: { ...plan.target },
    summary: { changes: plan.changes.length, resources: plan.resources.length },
    resources: changesByResource(plan).map((group) => ({
      kind: group.resource.kind,
      name: group.resource.name,
      changes: group.changes.map((c) => {
        const request = redactRequest(c.request);
        return {
          action: c.action,
          subject: c.subject,
          cmdlet: request.cmdlet,
          parameters: { ...request.parameters },
          description: c.description,
          drift: c.drift.map((d) => ({ key: d.key, desired: d.desired, actual: d.actual === undefined ? null : d.actual })),
        };
      }),
    })),
    notes: [...plan.notes],
  };
}

export function renderJson(plan: Plan, backend: string, locate?: Locate): string {
  // `backend` stays on the first line, as for every other format.
  return `${JSON.stringify(planDocument(plan, backend, locate), null, 2).replace(/^\{\n\s+"backend"/, '{ "backend"')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The unmatched-exception warning in markdown, first after the backend line. */
export function markdownWarning(plan: Pick<Plan, 'unmatchedExceptions'>, locate?: Locate): string[] {
  const warning = unmatchedWarning(plan.unmatchedExceptions, locate);
  return warning ? ['', `> **⚠️ ${cell(warning.heading)}**`, ...warning.items.map((item) => `> - ${cell(item)}`)] : [];
}

export function renderMarkdown(plan: Plan, backend: string, locate?: Locate): string {
  const lines = [backend, ...markdownWarning(plan, locate), '', `## Plan for ${targetLine(plan.target)}`, '', summaryLine(plan)];
  for (const group of changesByResource(plan)) {
    if (group.changes.length === 0) continue;
    lines.push('', `### ${group.resource.kind} \`${group.resource.name}\``, '', '| Command | Change |', '|---|---|');
    for (const change of group.changes) {
      const drift = change.drift.length === 0 ? change.description : change.drift.map((d) => `${d.key}: ${formatValue(d.actual)} → ${formatValue(d.desired)}`).join('<br>');
      lines.push(`| \`${cell(commandLine(change.request))}\` | ${cell(drift)} |`);
    }
  }
  if (plan.notes.length > 0) lines.push('', '**Notes**', '', ...plan.notes.map((n) => `- ${cell(n)}`));
  return `${lines.join('\n')}\n`;
}

/** `locate`: the document's FILE:LINE:COL of a pointer, for the warnings (the CLI has the file). */
export function renderPlan(plan: Plan, backend: string, format: PlanFormat, locate?: Locate): string {
  switch (format) {
    case 'text':
      return renderText(plan, backend, locate);
    case 'json':
      return renderJson(plan, backend, locate);
    case 'markdown':
      return renderMarkdown(plan, backend, locate);
  }
}
