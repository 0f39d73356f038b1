/**
 * Tables for human reports: aligned plain text for terminals and CI logs, GitHub-flavoured
 * markdown for job summaries and tickets. Cells are plain strings (or links); markdown escaping
 * happens here so no report builds markdown by hand.
 */
import { escapeControls } from '../text/escape';

/** A cell that links somewhere (a rule's page): a link in markdown, its text elsewhere. */
export interface LinkCell {
  readonly text: string;
  readonly url: string;
}

/** A cell that is code to copy (a PowerShell command): a code span in markdown, its text elsewhere. */
export interface CodeCell {
  readonly code: string;
}

export type Cell = string | LinkCell | CodeCell;

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  return 'code' in cell ? cell.code : cell.text;
}

/** Columns padded to their widest cell, two spaces apart, no trailing blanks; cell text escaped (src/text/escape.ts). */
export function textTable(table: Table): string {
  const all = [table.headers, ...table.rows].map((row) => row.map((cell) => escapeControls(cellText(cell))));
  const widths = table.headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) => widths.map((width, column) => (row[column] ?? '').padEnd(width)).join('  ').trimEnd()).join('\n') + '\n';
}

/** Characters that would end a cell, start markup or break the row; then control characters (src/text/escape.ts). */
export function markdownCell(text: string): string {
  return escapeControls(text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([`*_<>[\]])/g, '\\$1').replace(/\r?\n/g, '<br>'));
}

/**
 * A code span that shows `code` as it is, for copying: fenced with one backtick more than the
 * longest run inside it (CommonMark), padded when it starts or ends with a backtick or a blank,
 * control characters escaped; in a table, pipes escaped so the row stays one row (GitHub
 * renders `\|` in a cell as `|`).
 */
export function markdownCode(code: string, inTable = true): string {
  const escaped = escapeControls(code);
  const text = inTable ? escaped.replace(/\|/g, '\\|') : escaped;
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') || text.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function markdownCellOf(cell: Cell | undefined): string {
  if (cell === undefined || typeof cell === 'string') return markdownCell(cell ?? '');
  if ('code' in cell) return markdownCode(cell.code);
  // Parentheses and blanks would end the link target early.
  const url = cell.url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${markdownCell(cell.text)}](${url})`;
}

export function markdownTable(table: Table): string {
  const line = (cells: readonly Cell[]) => `| ${table.headers.map((_, i) => markdownCellOf(cells[i])).join(' | ')} |`;
  return [line(table.headers), `|${table.headers.map(() => '---').join('|')}|`, ...table.rows.map(line)].join('\n') + '\n';
}
