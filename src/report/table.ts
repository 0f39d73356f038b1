/**
 * Tables for human reports: aligned plain text for terminals and CI logs, GitHub-flavoured
 * markdown for job summaries and tickets. Cells are plain strings (or links); markdown escaping
 * happens here so no report builds markdown by hand.
 */

/** A cell that links somewhere (a rule's page): a link in markdown, its text elsewhere. */
export interface LinkCell {
  readonly text: string;
  readonly url: string;
}

export type Cell = string | LinkCell;

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

const cellText = (cell: Cell | undefined): string => (cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text);

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function textTable(table: Table): string {
  const all = [table.headers, ...table.rows].map((row) => row.map(cellText));
  const widths = table.headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) => widths.map((width, column) => (row[column] ?? '').padEnd(width)).join('  ').trimEnd()).join('\n') + '\n';
}

/** Characters that would end a cell, start markup or break the row. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([`*_<>[\]])/g, '\\$1').replace(/\r?\n/g, '<br>');
}

function markdownCellOf(cell: Cell | undefined): string {
  if (cell === undefined || typeof cell === 'string') return markdownCell(cell ?? '');
  // Parentheses and blanks would end the link target early.
  const url = cell.url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${markdownCell(cell.text)}](${url})`;
}

export function markdownTable(table: Table): string {
  const line = (cells: readonly Cell[]) => `| ${table.headers.map((_, i) => markdownCellOf(cells[i])).join(' | ')} |`;
  return [line(table.headers), `|${table.headers.map(() => '---').join('|')}|`, ...table.rows.map(line)].join('\n') + '\n';
}
